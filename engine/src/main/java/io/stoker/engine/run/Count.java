package io.stoker.engine.run;

/** A number with its noun in the singular or plural, for the lines a run's log says: "1 file", "3 files". */
final class Count {
    private Count() {
    }

    /** {@code n} and the noun, with an "s" unless n is 1. */
    static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

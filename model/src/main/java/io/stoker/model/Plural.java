package io.stoker.model;

/**
 * A count said in words, {@code 1 file} or {@code 2 files}: user-facing text says how many, never {@code file(s)}.
 * Every noun it is given takes an {@code s}.
 */
public final class Plural {
    private Plural() {
    }

    /** {@code n} with its noun: {@code 1 file}, {@code 0 files}, {@code 2 files}. */
    public static String of(long n, String noun) {
        return n + " " + noun(n, noun);
    }

    /** The noun alone, as {@code n} of them are said: {@code task} for one, {@code tasks} for any other count. */
    public static String noun(long n, String noun) {
        return n == 1 ? noun : noun + "s";
    }
}

package io.stoker.model;

/**
 * A count said in words, {@code 1 file} or {@code 2 files}: user-facing text says how many, never {@code file(s)}.
 * A noun takes an {@code s} unless its plural is given ({@code process}, {@code processes}).
 */
public final class Plural {
    private Plural() {
    }

    /** {@code n} with its noun: {@code 1 file}, {@code 0 files}, {@code 2 files}. */
    public static String of(long n, String noun) {
        return n + " " + noun(n, noun);
    }

    /** {@code n} with its noun, whose plural is not the noun and an {@code s}: {@code 1 process}, {@code 2 processes}. */
    public static String of(long n, String noun, String plural) {
        return n + " " + (n == 1 ? noun : plural);
    }

    /** The noun alone, as {@code n} of them are said: {@code task} for one, {@code tasks} for any other count. */
    public static String noun(long n, String noun) {
        return n == 1 ? noun : noun + "s";
    }
}

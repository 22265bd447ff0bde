package io.stoker.model;

import java.util.Collection;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one (optimal string alignment distance, so swaps count once). */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The closest candidate within a small distance, if any. */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        if (wrong == null) return Optional.empty();
        int limit = wrong.length() <= 3 ? 1 : wrong.length() < 10 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wrong.toLowerCase(), candidate.toLowerCase());
            if (d <= limit && d < wrong.length() && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " — did you mean 'x'?"} or the empty string. */
    public static String suffix(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(c -> " — did you mean '" + c + "'?").orElse("");
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

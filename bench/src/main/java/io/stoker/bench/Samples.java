package io.stoker.bench;

import java.util.Arrays;
import java.util.List;

/** Measured durations in nanoseconds, sorted, with the order statistics the tables print. */
record Samples(long[] sortedNanos) {

    static Samples of(List<Long> nanos) {
        if (nanos.isEmpty()) throw new IllegalArgumentException("no samples");
        long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new Samples(a);
    }

    int count() {
        return sortedNanos.length;
    }

    /** Nearest-rank percentile, {@code p} in 0..100. */
    long percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.min(sortedNanos.length - 1, Math.max(0, rank - 1))];
    }

    long median() {
        int n = sortedNanos.length;
        return n % 2 == 1 ? sortedNanos[n / 2] : (sortedNanos[n / 2 - 1] + sortedNanos[n / 2]) / 2;
    }

    long min() {
        return sortedNanos[0];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}

package io.stoker.server.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which finished runs of a job are discarded, as Jenkins' "discard old builds" does: those beyond the newest
 * {@code keepLast} finished ones, and those finished longer than {@code keepFor} ago (either rule is enough). A
 * job's newest run (by number) is always kept, so its numbers never start again; queued and running runs are never
 * touched. Both unset: every run is kept (the default).
 *
 * @param keepLast finished runs kept per job; 0 for no count limit
 * @param keepFor  how long a finished run is kept; null for no age limit
 */
public record RetentionPolicy(int keepLast, Duration keepFor) {
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(0, null);

    /** {@code STOKER_KEEP_RUNS} (a count) and {@code STOKER_KEEP_RUNS_DAYS} (whole days); a bad value stops the start. */
    public static RetentionPolicy fromEnv(Map<String, String> env) {
        int last = positive(env, "STOKER_KEEP_RUNS");
        int days = positive(env, "STOKER_KEEP_RUNS_DAYS");
        return new RetentionPolicy(last, days == 0 ? null : Duration.ofDays(days));
    }

    private static int positive(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return 0;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 1 (unset: keep all), not '" + v.trim() + "'");
    }

    /** Whether any run is ever discarded. */
    public boolean active() {
        return keepLast > 0 || keepFor != null;
    }

    /** The keys to discard of a job's finished runs ({@code newestFirst}), whose newest run has {@code newestNumber}. */
    public List<String> discard(List<FinishedRun> newestFirst, long newestNumber, Instant now) {
        List<String> out = new ArrayList<>();
        Instant cutoff = keepFor == null ? null : now.minus(keepFor);
        for (int i = 0; i < newestFirst.size(); i++) {
            FinishedRun run = newestFirst.get(i);
            if (run.number() == newestNumber) continue;
            boolean tooMany = keepLast > 0 && i >= keepLast;
            boolean tooOld = cutoff != null && run.finishedAt() != null && run.finishedAt().isBefore(cutoff);
            if (tooMany || tooOld) out.add(run.key());
        }
        return out;
    }

    /** The policy in words, for the log. */
    public String describe() {
        if (!active()) return "every run is kept";
        List<String> parts = new ArrayList<>();
        if (keepLast > 0) parts.add("the newest " + keepLast + " finished runs of each job");
        if (keepFor != null) parts.add("runs finished in the last " + keepFor.toDays() + " days");
        return "keeping " + String.join(" and ", parts) + " (and each job's newest run)";
    }
}

package io.stoker.engine.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The jobs up a chain of triggered runs, nearest first: the triggering run's job, then the job of the run that
 * started it, and so on. The one rule the server (after triggers, trigger steps) and local runs share to stop a
 * cycle of jobs triggering each other: a job already in the chain is refused, and no chain grows past {@link #MAX}.
 * Callers word the refusal in their own terms.
 *
 * @param jobs nearest first, at most {@code MAX + 1}
 */
public record TriggerChain(List<String> jobs) {
    /** Runs a chain may hold before it stops: a Jobfile whose jobs trigger each other in a cycle would never end. */
    public static final int MAX = 20;

    public TriggerChain {
        jobs = List.copyOf(jobs);
    }

    /** A run's job and the run that started it (null at the top of the chain). */
    public record Link(String job, String parent) {
    }

    /** Finds a run's link; null when the run is unknown. */
    @FunctionalInterface
    public interface Links<E extends Exception> {
        Link of(String run) throws E;
    }

    /** The chain from {@code run} upwards (bounded: it stops after {@code MAX + 1} runs). */
    public static <E extends Exception> TriggerChain walk(String run, Links<E> links) throws E {
        List<String> jobs = new ArrayList<>();
        for (String key = run; key != null && jobs.size() <= MAX; ) {
            Link link = links.of(key);
            if (link == null) break;
            jobs.add(link.job());
            key = link.parent();
        }
        return new TriggerChain(jobs);
    }

    /** Whether a run ending a chain of {@code length} runs before it may start another. */
    public static boolean mayExtend(int length) {
        return length < MAX;
    }

    /** The cycle starting {@code job} would close, top first and ending in {@code job}; empty when there is none. */
    public Optional<List<String>> cycleWith(String job) {
        if (!jobs.contains(job)) return Optional.empty();
        List<String> path = new ArrayList<>(jobs.reversed());
        path.add(job);
        return Optional.of(path);
    }
}

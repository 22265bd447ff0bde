package io.stoker.server.endnews;

import java.time.Instant;
import java.util.Set;

/**
 * A run whose queued the tellers in {@code left} have not told; {@code moot} are those that did not tell it but told
 * the run's start or end already (a queued told after them would leave a receiver with a run that waits).
 * {@code queued} is when the run was saved.
 */
public record UntoldQueued(String run, String project, String job, Instant queued, Set<EndTeller> left,
                           Set<EndTeller> moot) {
    public UntoldQueued {
        left = Set.copyOf(left);
        moot = Set.copyOf(moot);
    }
}

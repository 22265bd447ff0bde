package io.stoker.server.endnews;

import java.time.Instant;
import java.util.Set;

/**
 * A run that started and whose start the tellers in {@code left} have not told; {@code moot} are those that did not
 * tell it but told the run's end already (a start told after the end would leave a receiver with a run that goes on).
 * {@code ended} is null while it runs; {@code heldBy} is the server running it (null on a single server, and for a
 * run a start-up or a takeover ended).
 */
public record UntoldStart(String run, String project, String job, Instant started, Instant ended, String heldBy,
                          Set<EndTeller> left, Set<EndTeller> moot) {
    public UntoldStart {
        left = Set.copyOf(left);
        moot = Set.copyOf(moot);
    }
}

package io.stoker.server.endnews;

import io.stoker.engine.run.RunState;

import java.time.Instant;
import java.util.Set;

/**
 * A run that ended and whose end the tellers in {@code left} have not told; {@code heldBy} is the server that ran it
 * (null on a single server, and for a run a start-up or a takeover ended).
 */
public record Untold(String run, String project, String job, RunState state, Instant ended, String heldBy,
                     Set<EndTeller> left) {
    public Untold {
        left = Set.copyOf(left);
    }
}

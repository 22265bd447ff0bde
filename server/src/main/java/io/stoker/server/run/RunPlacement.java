package io.stoker.server.run;

import io.stoker.model.Job;

/**
 * Whether this server takes a queued run now or leaves it for another server of its cluster (one that has the
 * agents its tasks ask for). A server alone takes every run.
 */
@FunctionalInterface
public interface RunPlacement {
    /** Every run is taken here. */
    RunPlacement ANYWHERE = job -> true;

    boolean takeHere(Job job);
}

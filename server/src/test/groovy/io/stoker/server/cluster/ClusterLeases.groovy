package io.stoker.server.cluster

import io.stoker.server.Http

/** STOKER_CLUSTER_LEASE values for the cluster specs. */
final class ClusterLeases {
    /**
     * For specs where no server is lost: the product's default, so a server paused by a GC or a loaded machine
     * never has its runs taken over mid-feature. Specs about a takeover keep a short lease of their own.
     */
    static final String STEADY = "${30 * Http.TIMEOUT_FACTOR}s".toString()

    private ClusterLeases() {
    }
}

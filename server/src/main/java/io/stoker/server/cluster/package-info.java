/**
 * Several servers on one PostgreSQL database: each server's identity and heartbeat ({@link
 * io.stoker.server.cluster.ClusterMember}), the {@code servers} table ({@link io.stoker.server.cluster.ServerRegistry}),
 * runs held with a lease and taken over when their server is lost, and the events and SSH agent changes that cross
 * servers ({@link io.stoker.server.cluster.EventRelay}). On the embedded H2 database there is one server and none of this runs.
 */
package io.stoker.server.cluster;

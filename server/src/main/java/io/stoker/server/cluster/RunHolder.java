package io.stoker.server.cluster;

/**
 * The server holding a running run, as {@code GET /cluster} lists it: where its log is written, its agents are
 * connected and its tasks run.
 *
 * @param address its base URL; null when the server left the list after taking the run (it is then lost, and
 *                another server takes the run over at its next heartbeat)
 */
public record RunHolder(String id, String address) {
}

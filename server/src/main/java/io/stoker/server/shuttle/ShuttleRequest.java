package io.stoker.server.shuttle;

import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * A Build-Shuttle build request, read and checked: where the source is, the environment the caller adds, who is
 * told about its states and log, the caller's {@code metadata} (sent back as the status payload's {@code id}) and
 * the {@code docker://} destination the built image is pushed to (null for none).
 */
record ShuttleRequest(String app, String build, String sourceUrl, Map<String, String> arguments, Object metadata,
                      List<Endpoint> statusHooks, List<LogTarget> logHooks, DockerUrl destination) {
    ShuttleRequest {
        arguments = Map.copyOf(arguments);
        statusHooks = List.copyOf(statusHooks);
        logHooks = List.copyOf(logHooks);
    }

    /** Without the login a {@code docker://} source URL may hold. */
    @Override
    public String toString() {
        String source = DockerUrl.is(sourceUrl) ? sourceUrl.replaceFirst("^(?i)(docker://[^/@]*?:)[^/]*@", "$1***@") : sourceUrl;
        return "ShuttleRequest[app=" + app + ", build=" + build + ", source=" + source + ", destination=" + destination + "]";
    }
}

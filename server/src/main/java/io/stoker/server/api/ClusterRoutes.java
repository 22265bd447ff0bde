package io.stoker.server.api;

import io.stoker.server.cluster.ClusterServer;
import io.stoker.server.cluster.ClusterView;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /cluster}: the servers sharing this server's database, with their heartbeats and the runs they hold. */
public final class ClusterRoutes {
    private final ClusterView cluster;
    private final String self;

    /** @param self this server's id (marked {@code "self": true} in the list) */
    public ClusterRoutes(ClusterView cluster, String self) {
        this.cluster = cluster;
        this.self = self;
    }

    void mount(Router api) {
        api.get("/cluster").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("self", self);
            out.put("servers", cluster.servers().stream().map(ClusterRoutes::json).toList());
            return out;
        }), 200));
    }

    private static Map<String, Object> json(ClusterServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("version", s.version());
        m.put("address", s.address());
        m.put("startedAt", s.startedAt().toString());
        m.put("lastHeartbeat", s.heartbeatAt().toString());
        m.put("alive", s.alive());
        m.put("runsHeld", s.runsHeld());
        m.put("pullAgents", s.pullAgents().names());
        return m;
    }
}

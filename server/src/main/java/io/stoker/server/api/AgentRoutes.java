package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.agent.AgentInput;
import io.stoker.server.agent.AgentService;
import io.stoker.server.agent.AgentState;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /agents}: register, list, show, remove, install, re-pin a host key. Writes need the admin role, reads the
 * viewer role. No answer ever holds a private key.
 */
public final class AgentRoutes {
    private static final Set<String> FIELDS = Set.of("name", "host", "port", "user", "privateKey", "labels",
            "executors", "workDir", "hostKey", "trustOnFirstUse");

    private final AgentService agents;
    private final AgentTokenRoutes tokens;
    private final AgentConnectRoute connect;

    public AgentRoutes(AgentService agents, AgentTokenRoutes tokens, AgentConnectRoute connect) {
        this.agents = agents;
        this.tokens = tokens;
        this.connect = connect;
    }

    public void mount(Router api) {
        connect.mount(api); // before /agents/:agent, which would take "connect" for a name
        tokens.mount(api);
        api.post("/agents").handler(this::create);
        api.get("/agents").handler(ctx -> {
            Access.require(ctx, Role.VIEWER);
            Replies.answer(ctx, Replies.blocking(ctx, () -> agents.list().stream().map(AgentRoutes::view).toList()), 200);
        });
        api.get("/agents/:agent").handler(ctx -> {
            Access.require(ctx, Role.VIEWER);
            Replies.answer(ctx, Replies.blocking(ctx, () -> view(agents.get(ctx.pathParam("agent")))), 200);
        });
        api.delete("/agents/:agent").handler(ctx -> {
            String actor = Access.require(ctx, Role.ADMIN).username();
            boolean force = Bodies.flag(ctx, "force");
            Replies.blocking(ctx, () -> {
                agents.delete(ctx.pathParam("agent"), force, actor);
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
        api.post("/agents/:agent/install").handler(ctx -> {
            String actor = Access.require(ctx, Role.ADMIN).username();
            Replies.answer(ctx, Replies.blocking(ctx, () -> {
                AgentService.Installed done = agents.install(ctx.pathParam("agent"), actor);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("facts", done.facts());
                out.put("labels", done.labels());
                out.put("agent", view(done.agent()));
                return out;
            }), 200);
        });
        api.put("/agents/:agent/host-key").handler(ctx -> {
            String actor = Access.require(ctx, Role.ADMIN).username();
            JsonObject o = Bodies.object(ctx, Set.of("hostKey"));
            String hostKey = text(o, "hostKey");
            if (hostKey == null) throw invalid("hostKey", "required (SHA256:…)");
            Replies.answer(ctx, Replies.blocking(ctx,
                    () -> view(agents.pinHostKey(ctx.pathParam("agent"), hostKey, actor))), 200);
        });
    }

    private void create(RoutingContext ctx) {
        String actor = Access.require(ctx, Role.ADMIN).username();
        JsonObject o = Bodies.object(ctx, FIELDS);
        Boolean tofu = bool(o, "trustOnFirstUse");
        Integer port = integer(o, "port", "1..65535");
        Integer executors = integer(o, "executors", "1.." + AgentInput.MAX_EXECUTORS);
        String name = text(o, "name");
        String host = text(o, "host");
        String user = text(o, "user");
        String privateKey = text(o, "privateKey");
        String workDir = text(o, "workDir");
        String hostKey = text(o, "hostKey");
        List<String> labels = Bodies.names(o, "labels", "labels");
        // AgentInput parses the private key; the first parse of a server's life loads BouncyCastle, seconds of CPU
        // that must not hold the event loop, so the input is built on the worker thread
        Replies.created(ctx, Replies.blocking(ctx, () -> view(agents.register(new AgentInput(name, host,
                port == null ? 22 : port, user, privateKey, labels, executors == null ? 1 : executors, workDir,
                hostKey, tofu != null && tofu), actor))), v -> "/agents/" + v.get("name"));
    }

    /** The agent as the API shows it: no private key, ever. */
    static Map<String, Object> view(AgentState s) {
        var a = s.agent();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("host", a.host());
        m.put("port", a.port());
        m.put("user", a.user());
        // every label an agent expression matches, its own name among them (Agent.allLabels, which routing uses)
        m.put("labels", List.copyOf(a.allLabels()));
        m.put("userLabels", a.labels());
        m.put("automaticLabels", a.autoLabels());
        m.put("executors", a.executors());
        m.put("busy", s.busy());
        m.put("status", s.status());
        m.put("statusReason", s.statusReason());
        // a pull agent dials the server and runs tasks with the agent program over its WebSocket
        m.put("mode", s.pull() ? "pull" : s.mode() == null ? null : s.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("modeReason", s.modeReason());
        m.put("hostKey", a.hostKey());
        m.put("offeredHostKey", s.offeredHostKey());
        m.put("trustOnFirstUse", a.trustOnFirstUse());
        m.put("workDir", a.workDir());
        List<Map<String, String>> tasks = new ArrayList<>();
        s.tasks().forEach(t -> tasks.add(Map.of("run", t.run(), "task", t.task())));
        m.put("tasks", tasks);
        m.put("lastSeen", s.lastSeen() == null ? null : s.lastSeen().toString());
        m.put("facts", a.facts());
        m.put("createdAt", a.createdAt().toString());
        m.put("installedAt", a.installedAt() == null ? null : a.installedAt().toString());
        return m;
    }

    private static String text(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw invalid(field, "must be a string");
    }

    /** A whole number within {@code range} (as the field's own check words it), so a huge one is not "not whole". */
    private static Integer integer(JsonObject o, String field, String range) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            if (Math.abs(n.doubleValue()) < Integer.MAX_VALUE) return n.intValue();
            throw invalid(field, "must be " + range + ", not " + v);
        }
        if (v instanceof String s) throw invalid(field, "must be a whole number, not the text '" + s + "' (send it without quotes)");
        throw invalid(field, "must be a whole number, not " + v);
    }

    private static Boolean bool(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        throw invalid(field, "must be true or false, not " + v);
    }

    private static Problem invalid(String field, String message) {
        return Problem.badRequest(field + ": " + message, "field: " + field);
    }
}

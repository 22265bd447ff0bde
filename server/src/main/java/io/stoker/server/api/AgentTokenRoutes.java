package io.stoker.server.api;

import io.stoker.server.agent.AgentToken;
import io.stoker.server.agent.AgentTokens;
import io.stoker.server.agent.NewAgentToken;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /agent-tokens}: the tokens pull agents connect with. Admins only; the secret is shown once, at creation. */
public final class AgentTokenRoutes {
    private final AgentTokens tokens;

    public AgentTokenRoutes(AgentTokens tokens) {
        this.tokens = tokens;
    }

    public void mount(Router api) {
        api.post("/agent-tokens").handler(ctx -> {
            String actor = Access.require(ctx, Role.ADMIN).username();
            JsonObject o = Bodies.object(ctx, Set.of("name"));
            Object name = o.getValue("name");
            if (!(name instanceof String n)) {
                throw io.stoker.server.Problem.badRequest("name: required, a string", "field: name");
            }
            // a token is never shown again, so there is no URL to read one back: the Location is the list it joins
            Replies.created(ctx, Replies.blocking(ctx, () -> {
                NewAgentToken t = tokens.create(n, actor);
                Map<String, Object> out = view(t.info());
                out.put("token", t.token());
                return out;
            }), v -> "/agent-tokens");
        });
        api.get("/agent-tokens").handler(ctx -> {
            Access.require(ctx, Role.ADMIN);
            Replies.answer(ctx, Replies.blocking(ctx, () -> tokens.list().stream().map(AgentTokenRoutes::view).toList()), 200);
        });
        api.delete("/agent-tokens/:name").handler(ctx -> {
            String actor = Access.require(ctx, Role.ADMIN).username();
            Replies.blocking(ctx, () -> {
                tokens.revoke(ctx.pathParam("name"), actor);
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
    }

    private static Map<String, Object> view(AgentToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("createdBy", t.createdBy());
        m.put("createdAt", t.createdAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        return m;
    }
}

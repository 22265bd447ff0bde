package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.server.forge.GitHost;
import io.stoker.server.forge.PushHooks;
import io.stoker.server.forge.generic.GenericHooks;
import io.stoker.server.forge.WebhookSecret;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /hooks/github|gitlab|gitea|bitbucket}: push webhooks. The body is read raw ({@link HookBodies}),
 * since the signature covers its exact bytes; {@link PushHooks#push} verifies it, refuses replays and starts the
 * runs. {@code POST /hooks/generic/{project}/{job}}: a generic webhook ({@link GenericHooks}). {@code GET
 * /hooks/secret} and {@code POST /hooks/secret/rotate} (admins) show and replace the server's default secret.
 */
final class HookRoutes {
    private final PushHooks hooks;
    private final GenericHooks generic;
    private final WebhookSecret secret;
    private final AuditLog audit;

    HookRoutes(PushHooks hooks, GenericHooks generic, WebhookSecret secret, AuditLog audit) {
        this.hooks = hooks;
        this.generic = generic;
        this.secret = secret;
        this.audit = audit;
    }

    void mount(Router api) {
        for (GitHost host : GitHost.values()) {
            api.post("/hooks/" + host.path()).handler(ctx -> {
                byte[] body = ctx.get(HookBodies.RAW, new byte[0]);
                Replies.blocking(ctx, () -> hooks.push(host, ctx.request()::getHeader, body))
                        .onSuccess(reply -> Replies.json(ctx, reply.status(), reply.body()))
                        .onFailure(ctx::fail);
            });
        }
        api.post("/hooks/generic/:project/:job").handler(ctx -> {
            byte[] body = ctx.get(HookBodies.RAW, new byte[0]);
            Replies.blocking(ctx, () -> generic.trigger(ctx.pathParam("project"), ctx.pathParam("job"),
                            ctx.request().getHeader("Authorization"), ctx.queryParams().get("token"), body))
                    .onSuccess(reply -> Replies.json(ctx, reply.status(), reply.body()))
                    .onFailure(ctx::fail);
        });
        api.get("/hooks/secret").handler(ctx -> {
            Principal who = Access.require(ctx, Role.ADMIN);
            // the audit record is a database write: off the event loop
            Replies.blocking(ctx, () -> {
                audit.record(who.username(), "webhook.secret.read", null, Map.of("source", source()));
                return view(secret.current());
            }).onSuccess(view -> Replies.json(ctx, 200, view)).onFailure(ctx::fail);
        });
        api.post("/hooks/secret/rotate").handler(this::rotate);
    }

    private void rotate(RoutingContext ctx) {
        Principal who = Access.require(ctx, Role.ADMIN);
        if (secret.source() == WebhookSecret.Source.CONFIGURATION) {
            throw Problem.conflict("configured", "the webhook secret is set by the server's configuration "
                    + "(webhookSecret or STOKER_WEBHOOK_SECRET); change it there");
        }
        Replies.blocking(ctx, () -> {
                    var fresh = secret.rotate();
                    audit.record(who.username(), "webhook.secret.rotated", null, Map.of());
                    return view(fresh);
                })
                .onSuccess(view -> Replies.json(ctx, 200, view))
                .onFailure(ctx::fail);
    }

    private Map<String, Object> view(String value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", value);
        out.put("source", source());
        out.put("rotatable", secret.source() == WebhookSecret.Source.GENERATED);
        return out;
    }

    private String source() {
        return secret.source().name().toLowerCase(Locale.ROOT);
    }
}

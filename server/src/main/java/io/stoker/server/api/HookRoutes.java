package io.stoker.server.api;

import io.stoker.server.trigger.JobTriggers;
import io.stoker.server.webhook.GitHost;
import io.vertx.ext.web.Router;

/**
 * {@code POST /hooks/github|gitlab|gitea}: push webhooks. The body is read raw, since the signature covers its
 * exact bytes; {@link JobTriggers#push} verifies it and starts the runs.
 */
final class HookRoutes {
    private final JobTriggers triggers;

    HookRoutes(JobTriggers triggers) {
        this.triggers = triggers;
    }

    void mount(Router api) {
        for (GitHost host : GitHost.values()) {
            api.post("/hooks/" + host.path()).handler(ctx -> {
                byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
                Replies.blocking(ctx, () -> triggers.push(host, ctx.request()::getHeader, body))
                        .onSuccess(reply -> Replies.json(ctx, reply.status(), reply.body()))
                        .onFailure(ctx::fail);
            });
        }
    }
}

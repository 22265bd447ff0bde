package io.stoker.server.shuttle;

import io.stoker.server.auth.Access;
import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.api.Bodies;
import io.stoker.server.api.Replies;
import io.stoker.server.api.WebhookFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Build-Shuttle routes, below {@link ShuttleSettings#path()}: {@code POST/DELETE /:app/:build},
 * {@code GET /:app/:build/status} and {@code GET /:app/:build/logs}. Thin: read the request, call
 * {@link ShuttleService} on a worker thread, answer.
 */
public final class ShuttleRoutes {
    private static final Set<String> FIELDS = Set.of("webhooks", "metadata", "human_readable_info", "arguments",
            "source", "destination");
    private static final Set<String> OPTIONAL_NULLS = Set.of("webhooks", "metadata", "human_readable_info", "arguments",
            "destination");
    private static final Map<String, Object> OK = Map.of("status", "OK");

    private final ShuttleService shuttle;

    public ShuttleRoutes(ShuttleService shuttle) {
        this.shuttle = shuttle;
    }

    /** Where the routes are mounted, e.g. {@code /shuttle}. */
    public String path() {
        return shuttle.settings().path();
    }

    public void mount(Router router) {
        router.post("/:app_id/:build_id").handler(this::start);
        router.delete("/:app_id/:build_id").handler(ctx -> Replies.blocking(ctx, () -> shuttle.stop(app(ctx), build(ctx), Access.principal(ctx)))
                .compose(f -> Future.fromCompletionStage(f, ctx.vertx().getOrCreateContext()))
                .onSuccess(v -> Replies.json(ctx, 200, OK)).onFailure(ctx::fail));
        router.get("/:app_id/:build_id/status").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            ShuttleService.Status s = shuttle.status(app(ctx), build(ctx));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("building", s.building());
            out.put("status", s.status());
            out.put("type", "stoker");
            out.put("id", s.metadata());
            return out;
        }), 200));
        router.get("/:app_id/:build_id/logs").handler(ctx -> Replies.blocking(ctx, () -> shuttle.log(app(ctx), build(ctx)))
                .onSuccess(file -> {
                    ctx.response().putHeader("content-type", "text/plain; charset=utf-8");
                    if (file.isEmpty()) ctx.response().end();
                    else ctx.response().sendFile(file.get().toString()).onFailure(ctx::fail);
                })
                .onFailure(ctx::fail));
    }

    private void start(RoutingContext ctx) {
        // Build-Shuttle clients send what they have not set as null: taken as absent there (never 'source')
        JsonObject body = Bodies.object(ctx, FIELDS, OPTIONAL_NULLS);
        JsonObject source = object(body, "source", true);
        String url = Bodies.string(source, "url");
        if (url == null || url.isBlank()) throw Problem.badRequest("'source.url' is required", "field: source.url");
        SourceFetcher.checkScheme(url);
        if (DockerUrl.is(url)) DockerUrl.parse("source.url", url); // a malformed one is a 400 before anything runs
        JsonObject destination = object(body, "destination", false);
        Map<String, String> arguments = Bodies.scalars(body, "arguments");
        DockerUrl image = null;
        if (destination != null) {
            for (String field : destination.fieldNames()) {
                if (!field.equals("url") && !field.equals("image")) {
                    throw Problem.badRequest("unknown field 'destination." + field + "'", "known fields: image, url");
                }
                String to = Bodies.string(destination, field);
                if (DockerUrl.is(to)) {
                    if (image != null) throw Problem.badRequest("give one docker:// destination, in 'destination.url' or 'destination.image'");
                    image = DockerUrl.parse("destination." + field, to);
                    to = image.reference(); // the build sees where it goes, never the login
                }
                // a non-docker destination is for the Jobfile to push to
                if (to != null) arguments.putIfAbsent("STOKER_DESTINATION", to);
            }
        }
        ShuttleRequest req = new ShuttleRequest(app(ctx), build(ctx), url, arguments,
                Bodies.plain(body.getValue("metadata")), WebhookFields.status(body), WebhookFields.logs(body), image);
        var who = Access.principal(ctx);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            shuttle.start(req, who);
            return OK;
        }), 200);
    }

    private static JsonObject object(JsonObject body, String field, boolean required) {
        Object v = body.getValue(field);
        if (v == null && !required) return null;
        if (v == null) throw Problem.badRequest("'" + field + "' is required, e.g. {\"url\": \"https://…/src.tar.gz\"}");
        if (!(v instanceof JsonObject o)) throw Problem.badRequest("'" + field + "' must be an object like {\"url\": \"…\"}");
        return o;
    }

    private static String app(RoutingContext ctx) {
        return ctx.pathParam("app_id");
    }

    private static String build(RoutingContext ctx) {
        String b = ctx.pathParam("build_id");
        if (b.length() > 200) throw new Refused.Malformed("the build id is longer than 200 characters");
        return b;
    }
}

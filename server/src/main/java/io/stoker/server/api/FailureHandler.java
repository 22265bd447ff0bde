package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.db.StoreFailure;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place failures become answers: a service's {@link Refused} (malformed 400, unauthenticated 401,
 * forbidden 403, not found 404, conflict 409, invalid 422, throttled 429 with {@code Retry-After}), a route's
 * {@link Problem} with its status; Vert.x' own 4xx (413 from the body
 * limit, 404, 405 with {@code Allow}) as JSON; the Jobfile compiler's queue full a 503 with {@code Retry-After};
 * the store failing (a full disk: {@link StoreFailure}) a 503 that says
 * so; a client that went away mid-answer ({@link ClientGone}) nothing but a debug line; anything else a logged 500
 * without internals. Always {@code {"error", "details"}}.
 */
final class FailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})[^/%]{0,2}");
    private final AllowedMethods allowed;

    /** @param allowed names a 405's allowed methods in its {@code Allow} header */
    FailureHandler(AllowedMethods allowed) {
        this.allowed = allowed;
    }

    @Override
    public void handle(RoutingContext ctx) {
        handle(ctx, ctx.statusCode());
    }

    /** The body limit the request was read under, as ApiRouter put it: ": at most N bytes (…)". */
    private static String bodyLimit(RoutingContext ctx) {
        String limit = ctx.get(ApiRouter.BODY_LIMIT);
        return limit == null ? "" : ": " + limit;
    }

    /** For the router's error handlers, which know the status but may carry no failure. */
    Handler<RoutingContext> forStatus(int known) {
        return ctx -> handle(ctx, ctx.failure() == null ? known : ctx.statusCode());
    }

    private void handle(RoutingContext ctx, int statusCode) {
        Throwable f = ctx.failure();
        if (f instanceof java.util.concurrent.CompletionException && f.getCause() != null) f = f.getCause();
        int status;
        String error;
        String message;
        List<String> details = List.of();
        if (f instanceof Refused r) {
            status = switch (r) {
                case Refused.Malformed m -> 400;
                case Refused.Unauthenticated u -> 401;
                case Refused.Forbidden f403 -> 403;
                case Refused.NotFound n -> 404;
                case Refused.Conflict c -> 409;
                case Refused.Invalid i -> 422;
                case Refused.Throttled t -> 429;
                case Refused.Gone g -> 410;
            };
            if (r instanceof Refused.Throttled t && !ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, t.retryAfter().toSeconds())));
            }
            error = r instanceof Refused.Conflict c ? c.reason() : word(status);
            message = r.getMessage();
            details = r.details();
        } else if (f instanceof Problem p) {
            status = p.status();
            error = p.error();
            message = p.getMessage();
            details = p.details();
        } else if (f instanceof DecodeException) {
            status = 400;
            error = "bad request";
            message = "the body is not valid JSON";
            details = List.of(JsonSyntax.describe(f));
        } else if (f instanceof HttpException h && h.getStatusCode() < 500) {
            status = h.getStatusCode();
            error = word(status);
            message = h.getPayload() != null ? h.getPayload() : word(status);
        } else if (statusCode == 400 && invalidEscape(ctx.request().path()) != null) {
            // Vert.x refuses to decode the path's parameters and says only "bad request"
            status = 400;
            error = word(status);
            message = "the path holds an invalid %-escape '" + invalidEscape(ctx.request().path())
                    + "': a '%' must start two hex digits (write '%' itself as %25)";
        } else if (f == null && statusCode >= 400 && statusCode < 500) {
            status = statusCode;
            error = word(status);
            message = switch (status) {
                case 413 -> "the request body is larger than the server accepts" + bodyLimit(ctx);
                case 404, 405 -> unrouted(ctx, status);
                default -> word(status);
            };
        } else if (f != null && ctx.get(ApiRouter.BODY_READ) == null && ctx.request().path().startsWith(ApiRouter.PREFIX)) {
            // failed while the body was being read, before any route ran: e.g. a form body with bad %-escapes
            status = 400;
            error = "bad request";
            message = "the request body cannot be read";
            details = f.getMessage() == null ? List.of() : f.getMessage().lines().findFirst().map(List::of).orElse(List.of());
        } else if (f != null && StoreFailure.reason(f).isPresent()) {
            // the operator hears of it once from StoreHealth; the client in words, not as an internal error
            status = 503;
            error = word(status);
            message = StoreFailure.reason(f).get();
            details = List.of("nothing needs a restart: the server opens the database again on its next use, so "
                    + "retry once the cause is gone");
        } else if (compilerBusy(f) instanceof io.stoker.dsl.isolate.CompilerBusy busy) {
            // as many compiles as may wait are waiting: the client tries again later, nothing failed
            status = 503;
            error = word(status);
            message = busy.getMessage();
            if (!ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, busy.retryAfter().toSeconds())));
            }
        } else if (ClientGone.is(f)) {
            // the client left while its answer was being written: nothing failed here, and no one is left to answer
            LOG.debug("{} {}: the client went away ({})", ctx.request().method(), ctx.request().path(), f.getMessage());
            if (!ctx.response().closed()) ctx.response().reset();
            return;
        } else {
            status = 500;
            error = "internal error";
            message = "the server failed to answer this request; see its log";
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), f);
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        // RFC 9110: a 405 says which methods the path has (a route that knows sets it itself)
        if (status == 405 && ctx.response().headers().get("Allow") == null) {
            String allow = allowed.header(ctx.normalizedPath());
            if (allow != null) ctx.response().putHeader("Allow", allow);
        }
        // RFC 6750: a 401 names the scheme the client should use
        if (status == 401) ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"stoker\"");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("details", details);
        Replies.json(ctx, status, body);
    }

    /** The compiler's refusal among {@code f}'s causes (a compile shared with another request wraps it); or null. */
    private static io.stoker.dsl.isolate.CompilerBusy compilerBusy(Throwable f) {
        for (Throwable t = f; t != null; t = t.getCause()) {
            if (t instanceof io.stoker.dsl.isolate.CompilerBusy busy) return busy;
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** The first '%' of {@code rawPath} not followed by two hex digits, with what follows it; null when none. */
    static String invalidEscape(String rawPath) {
        Matcher m = BAD_ESCAPE.matcher(rawPath == null ? "" : rawPath);
        return m.find() ? m.group() : null;
    }

    /**
     * What a 404 or 405 no route answered means, in words: "not found" alone left a client to guess whether the path
     * or the thing it named is missing.
     */
    private String unrouted(RoutingContext ctx, int status) {
        String path = ctx.request().path();
        if (!path.startsWith(ApiRouter.PREFIX + "/")) return word(status);
        if (status == 404) {
            return "the API has no path " + path + ": " + ApiRouter.PREFIX + "/openapi.json lists the paths it has";
        }
        String allow = allowed.header(ctx.normalizedPath());
        return ctx.request().method().name() + " is not a method of " + path + (allow == null ? "" : ": it takes " + allow);
    }

    static String word(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "too large";
            case 415 -> "unsupported media type";
            case 410 -> "gone";
            case 416 -> "range not satisfiable";
            case 422 -> "unprocessable";
            case 429 -> "too many requests";
            case 503 -> "service unavailable";
            default -> "error " + status;
        };
    }
}

package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/**
 * What a request says its body is. A JSON body is read whatever the type says ({@code curl -d} sends JSON typed as a
 * form, and the README's own examples rely on it); a body that is not JSON and was not declared JSON either (a form's
 * fields, plain text) was never meant for this API, so it is a 415 naming the type to send, not a JSON syntax error.
 */
final class BodyType {
    static final String JSON = "application/json";
    /** The routing context's key for the type a client declared, kept when the router reads a form's body as JSON. */
    static final String DECLARED = "stoker.declaredContentType";

    private BodyType() {
    }

    /** The body as {@link StrictJson} reads it; a 400 when declared JSON and not, a 415 when declared as another type. */
    static Object read(RoutingContext ctx) {
        try {
            return StrictJson.read(ctx.body().buffer().getBytes());
        } catch (Problem notJson) {
            String declared = declared(ctx);
            if (declared == null || isJson(declared)) throw notJson;
            throw new Problem(415, "unsupported media type",
                    "the body is " + declared + ", not JSON: this endpoint takes a JSON body, sent with Content-Type: " + JSON,
                    List.of("Content-Type: " + JSON));
        }
    }

    /** The declared media type without its parameters, in lower case; null when there is none. */
    private static String declared(RoutingContext ctx) {
        String kept = ctx.get(DECLARED);
        String header = kept != null ? kept : ctx.request().getHeader("content-type");
        if (header == null) return null;
        String type = header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /** {@code application/json} or a JSON-based type ({@code application/merge-patch+json}). */
    private static boolean isJson(String type) {
        return type.equals(JSON) || type.endsWith("+json");
    }
}

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

    /**
     * The body as {@link StrictJson} reads it; a 400 when declared JSON, or written as a JSON object or array, and not
     * valid; a 415 when declared as another type and not written as JSON.
     */
    static Object read(RoutingContext ctx) {
        try {
            return StrictJson.read(ctx.body().buffer().getBytes());
        } catch (Problem notJson) {
            String declared = declared(ctx);
            if (declared == null || isJson(declared) || meantAsJson(ctx.body().buffer().getBytes())) throw notJson;
            throw new Problem(415, "unsupported media type",
                    "the body is " + declared + ", not JSON: this endpoint takes a JSON body, sent with Content-Type: " + JSON,
                    List.of("Content-Type: " + JSON));
        }
    }

    /**
     * Whether a body starts, after white space, as a JSON object or array does: {@code curl -d '{"name": …'} with a
     * mistake in it (a field twice, a brace never closed) is told what is wrong with its JSON; a form's fields
     * ({@code a=b&c=d}) and plain text never start so.
     */
    private static boolean meantAsJson(byte[] body) {
        for (byte b : body) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
            return b == '{' || b == '[';
        }
        return false;
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

package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The file path a route's trailing {@code *} matched ({@code …/files/dist/my%20report.txt}), percent-decoded as the
 * route's named parameters are: Vert.x leaves the wildcard as sent, so a file whose name holds a space, a '%' or a
 * letter beyond ASCII could never be asked for. A '+' stays a '+' (it means a space only in query strings).
 */
final class WildcardPath {
    private WildcardPath() {
    }

    /** The decoded path; empty when the route matched nothing after its last '/'. */
    static String of(RoutingContext ctx) {
        String raw = ctx.pathParam("*");
        if (raw == null || raw.isEmpty()) return "";
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("the file path '" + raw + "' holds a '%' that starts no escape",
                    "write a '%' in a file name as %25");
        }
    }
}

package io.stoker.server.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/**
 * A query string sent with raw (not percent-encoded) UTF-8 bytes, as {@code curl 'http://…/runs?branch=fëature'}
 * sends it, reads as the same text as its encoded form. The HTTP decoder turns each byte of the request line into
 * one character (ISO-8859-1), so {@code ë} (bytes C3 AB) arrived as {@code Ã«} and the filter matched nothing; the
 * query is decoded again from those bytes, as UTF-8, as an encoded one is. An all-ASCII query is left as it is.
 */
final class RawQueryBytes implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        String query = ctx.request().query();
        if (query != null && !isAscii(query)) {
            MultiMap params = ctx.queryParams();
            params.clear();
            new QueryStringDecoder(escaped(query), StandardCharsets.UTF_8, false).parameters()
                    .forEach(params::add);
        }
        ctx.next();
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** Each character past ASCII (one raw byte of the request line) percent-encoded, the rest as sent. */
    static String escaped(String query) {
        StringBuilder b = new StringBuilder(query.length() + 16);
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c < 0x80) b.append(c);
            else if (c <= 0xFF) percent(b, c);
            else for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) percent(b, x & 0xFF); // not from a byte
        }
        return b.toString();
    }

    private static void percent(StringBuilder b, int octet) {
        b.append('%').append(Character.toUpperCase(Character.forDigit(octet >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(octet & 0xF, 16)));
    }
}

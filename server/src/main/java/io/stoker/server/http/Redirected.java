package io.stoker.server.http;

import java.net.http.HttpHeaders;

/**
 * A receiver answered a POST with a redirect (3xx). Stoker's senders do not follow one: a 301 or 302 would turn the
 * POST into a GET without its body in most clients, and following it would hand the target's credentials to
 * whatever host it names. Sending the same request again gets the same answer, so it is a refusal for good, and
 * its words say where the receiver moved, which is the fix a user needs (most often {@code http://} to
 * {@code https://}).
 */
public final class Redirected {
    private Redirected() {
    }

    /** Is {@code status} a redirect? */
    public static boolean is(int status) {
        return status / 100 == 3;
    }

    /** {@code HTTP 301: the receiver redirects to https://…, which is not followed: give that URL instead}. */
    public static String describe(int status, HttpHeaders headers) {
        String to = headers.firstValue("location").map(String::strip).filter(l -> !l.isEmpty()).orElse(null);
        return "HTTP " + status + ": the receiver redirects " + (to == null ? "elsewhere (no Location)" : "to " + to)
                + ", which is not followed: give " + (to == null ? "its new URL" : "that URL") + " instead";
    }
}

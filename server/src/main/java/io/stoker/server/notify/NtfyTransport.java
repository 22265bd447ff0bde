package io.stoker.server.notify;

import io.stoker.server.http.OnDemandHttpClient;
import io.stoker.server.http.WholeAnswer;
import io.stoker.server.outbox.Delivery;
import io.stoker.server.outbox.RetryAfter;
import io.stoker.server.outbox.Transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Publishes to an ntfy topic the way its HTTP API reads it: {@code POST <topic URL>} with the message as the
 * plain-text body and {@code Title}, {@code Priority}, {@code Tags}, {@code Click} headers. A token or user:password
 * in the topic URL becomes the Authorization header (the outbox keeps it sealed).
 */
public final class NtfyTransport implements Transport {
    private final OnDemandHttpClient http;
    private final Duration timeout;
    private final java.time.Clock clock;

    public NtfyTransport(Duration timeout, java.time.Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        this.http = new OnDemandHttpClient(() -> HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    @Override
    public Outcome send(Delivery d, String authorization) throws InterruptedException {
        Payloads.Ntfy n = Payloads.Ntfy.read(d.payload());
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(d.target())).timeout(timeout)
                .header("content-type", "text/plain; charset=utf-8").header("user-agent", "stoker")
                .header("x-stoker-delivery", Long.toString(d.id()))
                // header values must be ASCII for the JDK client; ntfy decodes RFC 2047 encoded words
                .header("Title", header(n.title())).header("Priority", Integer.toString(n.priority()))
                .header("Tags", String.join(",", n.tags())).header("Click", n.click())
                .POST(HttpRequest.BodyPublishers.ofString(n.message(), StandardCharsets.UTF_8));
        try {
            if (authorization != null) req.header("authorization", authorization.strip());
            var answer = WholeAnswer.send(http.get(), req.build(), timeout.multipliedBy(2));
            int status = answer.statusCode();
            if (status / 100 == 2) return new Outcome(status, null, false);
            if (io.stoker.server.http.Redirected.is(status)) {
                return new Outcome(status, io.stoker.server.http.Redirected.describe(status, answer.headers()), true);
            }
            // the sender decides on 4xx like for any POST, and waits for a rate limit's Retry-After
            return new Outcome(status, io.stoker.server.http.RefusedAnswer.describe(answer), false,
                    RetryAfter.of(answer.headers(), clock.instant()).orElse(null));
        } catch (java.io.IOException | IllegalArgumentException e) {
            String why = io.stoker.server.http.SendFailure.describe(e, URI.create(d.target()));
            return Outcome.retry(io.stoker.server.outbox.Endpoint.redact(why, authorization));
        }
    }

    /** ASCII as is; anything else as an RFC 2047 encoded word, which ntfy decodes. */
    static String header(String value) {
        if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) return value;
        return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}

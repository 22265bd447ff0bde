package io.stoker.server.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a request and waits for its whole answer, body included, within a limit. The JDK's request timeout stops at
 * the response headers: a receiver that sent them and then stalled held the sending thread for ever (four such
 * receivers stopped every delivery of the outbox).
 */
public final class WholeAnswer {
    private WholeAnswer() {
    }

    /** How much of a body is kept: enough for a refusal's reason ({@link RefusedAnswer}), never a large answer. */
    static final int KEPT_BYTES = 4096;

    /**
     * The response, its body read and all but its first {@value #KEPT_BYTES} bytes dropped; an {@link IOException}
     * naming the limit when it took longer.
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration limit)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, info -> {
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk ->
                    chunk.ifPresent(bytes -> kept.write(bytes, 0, Math.min(bytes.length, KEPT_BYTES - kept.size())))),
                    done -> kept.toByteArray());
        });
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no whole answer within " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new IOException(cause);
        } finally {
            answer.cancel(true); // a stalled exchange is aborted, its connection closed
        }
    }
}

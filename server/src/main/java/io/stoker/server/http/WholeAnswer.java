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

    /** The response, its body read and dropped; an {@link IOException} naming the limit when it took longer. */
    public static HttpResponse<Void> send(HttpClient client, HttpRequest request, Duration limit)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
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

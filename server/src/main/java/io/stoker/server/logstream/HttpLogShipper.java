package io.stoker.server.logstream;

import io.stoker.server.http.OnDemandHttpClient;
import io.stoker.server.http.Redirected;
import io.stoker.server.outbox.Endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A run's log to an http(s) URL: one long-lived chunked {@code POST} (text/plain) that carries the log as it is
 * produced, one chunk per batch of lines. Each request says where its body starts in the run's combined log
 * ({@code X-Stoker-Log-Offset}) and whether it runs to the log's end ({@code X-Stoker-Log-Complete}); a 2xx answer,
 * given after reading the body to its end, acknowledges every byte of it. After a drop (no answer) the next request
 * starts again at the last acknowledged offset; a request is also ended (and the next started) after
 * {@code maxRequest}, which bounds what a drop sends again.
 */
public final class HttpLogShipper implements LogShipper {
    public static final String OFFSET = "X-Stoker-Log-Offset";
    public static final String COMPLETE = "X-Stoker-Log-Complete";
    public static final String RUN = "X-Stoker-Run";

    private final Duration timeout;
    private final Duration maxRequest;
    private final ExecutorService clientThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stoker-log-stream-http");
        t.setDaemon(true);
        return t;
    });
    private final OnDemandHttpClient http;
    private final LongAdder bytes = new LongAdder();

    /** @param timeout to connect, and to wait for the answer once a body ended */
    public HttpLogShipper(Duration timeout, Duration maxRequest) {
        this.timeout = timeout;
        this.maxRequest = maxRequest;
        this.http = new OnDemandHttpClient(() -> HttpClient.newBuilder().connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).executor(clientThreads).build());
    }

    /** Bytes receivers acknowledged. */
    public long bytesAcknowledged() {
        return bytes.sum();
    }

    @Override
    public boolean sends(LogTarget target) {
        return target instanceof LogTarget.Http;
    }

    @Override
    public void ship(String runKey, LogTarget target, long from, LogSource log, Progress progress) throws Exception {
        Endpoint endpoint = ((LogTarget.Http) target).endpoint();
        long offset = from;
        while (true) {
            boolean toEnd = log.over();
            Sent sent = request(endpoint, runKey, offset, toEnd, log);
            bytes.add(sent.end - offset);
            offset = sent.end;
            progress.acked(offset, sent.status);
            if (toEnd) return;
        }
    }

    private record Sent(long end, int status) {
    }

    /** One request from {@code offset}; the offset its acknowledged body ends at. */
    private Sent request(Endpoint endpoint, String runKey, long offset, boolean toEnd, LogSource log) throws Exception {
        PushedBody body = new PushedBody();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .header("content-type", "text/plain; charset=utf-8").header("user-agent", "stoker")
                .header(RUN, runKey).header(OFFSET, Long.toString(offset)).header(COMPLETE, Boolean.toString(toEnd))
                .POST(body);
        try {
            if (endpoint.authorization() != null) req.header("authorization", endpoint.authorization());
        } catch (IllegalArgumentException e) { // the JDK's message repeats the value
            throw new IOException("the credential holds a character no HTTP header may (a line break?)");
        }
        CompletableFuture<HttpResponse<Void>> answer = http.get().sendAsync(req.build(), HttpResponse.BodyHandlers.discarding());
        long pos = offset;
        long deadline = System.nanoTime() + maxRequest.toNanos();
        boolean bodyEnded = false;
        try {
            while (!answer.isDone()) {
                CombinedLog.Batch b = log.read(pos, 500);
                if (b.bytes().length > 0) {
                    if (!body.push(ByteBuffer.wrap(b.bytes()), answer::isDone)) break;
                    pos += b.bytes().length;
                } else if (b.end() || (!toEnd && System.nanoTime() > deadline)) {
                    body.complete(answer::isDone);
                    bodyEnded = true;
                    break;
                }
            }
            HttpResponse<Void> res = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int status = res.statusCode();
            if (status / 100 == 2 && bodyEnded) return new Sent(pos, status);
            if (status / 100 == 2) throw new IOException("answered " + status + " before the body ended");
            if (status / 100 == 4 && status != 408 && status != 425 && status != 429) throw new LogStreamRefused(status);
            if (Redirected.is(status)) throw new LogStreamRefused(status, Redirected.describe(status, res.headers()));
            throw new IOException("HTTP " + status);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + " s after the body ended");
        } finally {
            if (!answer.isDone()) {
                body.abort(new IOException("stopped"));
                answer.cancel(true);
            }
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        clientThreads.shutdownNow();
    }
}

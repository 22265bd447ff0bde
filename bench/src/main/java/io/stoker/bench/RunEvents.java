package io.stoker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code GET /events} and notes, per run key, when the client saw the run end and how: the clock of "seen
 * as succeeded by the client" without polling the server.
 */
final class RunEvents implements AutoCloseable {
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "timedout", "cancelled", "skipped");

    /** How a run ended and when this client read it ({@link System#nanoTime()}). */
    record End(String status, long seenNanos) {
    }

    private final InputStream body;
    private final Map<String, End> ends = new HashMap<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);

    private RunEvents(InputStream body) {
        this.body = body;
    }

    static RunEvents open(ServerApi api) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = api.stream("/events", "text/event-stream");
        if (r.statusCode() != 200) throw new IOException("GET /events answered " + r.statusCode());
        RunEvents events = new RunEvents(r.body());
        Thread.ofVirtual().start(events::read);
        // the server writes a comment once it has subscribed us; runs triggered before that could be missed
        if (!events.subscribed.await(30, TimeUnit.SECONDS)) throw new IOException("GET /events sent nothing in 30 s");
        return events;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                subscribed.countDown();
                if (!line.startsWith("data:")) continue;
                long now = System.nanoTime();
                String json = line.substring(5);
                if (!"run".equals(ServerApi.field(json, "type"))) continue;
                String status = ServerApi.field(json, "status");
                if (!FINAL.contains(status)) continue;
                synchronized (this) {
                    ends.putIfAbsent(ServerApi.field(json, "run"), new End(status, now));
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // closed by close(), or the server went away; waiters time out
        }
    }

    /** Waits until the run has ended, at most {@code timeoutMillis}. */
    synchronized End awaitEnd(String key, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!ends.containsKey(key)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) throw new IllegalStateException("run " + key + " did not end within " + timeoutMillis + " ms");
            wait(left);
        }
        return ends.get(key);
    }

    /** Waits until every one of the runs has ended, at most {@code timeoutMillis}; answers how many ended. */
    synchronized int awaitAll(Set<String> keys, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            int ended = (int) keys.stream().filter(ends::containsKey).count();
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (ended == keys.size() || left <= 0) return ended;
            wait(Math.min(left, 1000));
        }
    }

    synchronized End end(String key) {
        return ends.get(key);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stoker.cli.CliException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * When to read a followed deployment again: as soon as the server's {@code /events} says a deployment of its project
 * ended, and besides that every {@code recheck} while the stream is open (an event lost in between, a server without
 * deployment events) or every {@code poll} while it is not (it could not be opened, or broke: it is opened again,
 * waiting longer each time). The stream is read on a daemon thread until {@link #close}.
 */
final class DeploymentSignals implements AutoCloseable {
    /** The server's event stream, where it says each deployment's end. */
    static final String EVENTS = "/events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final Duration recheck;
    private final Duration poll;
    private final Semaphore nudges = new Semaphore(0);
    private final CountDownLatch firstTry = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean streaming;
    private volatile boolean closed;
    private volatile InputStream open;

    private DeploymentSignals(Duration recheck, Duration poll, StokerClient client, String path, String project) {
        this.recheck = recheck;
        this.poll = poll;
        this.reader = Thread.ofPlatform().daemon().name("stoker-deployment-events")
                .unstarted(() -> read(client, path, project));
    }

    /**
     * Starts following {@code path} for the deployments of {@code project}, and waits (at most {@code openWithin})
     * until the stream is open or could not be: a verdict recorded after that is not missed.
     */
    static DeploymentSignals start(StokerClient client, String path, String project, Duration recheck, Duration poll,
                                   Duration openWithin) {
        DeploymentSignals signals = new DeploymentSignals(recheck, poll, client, path, project);
        signals.reader.start();
        try {
            signals.firstTry.await(openWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return signals;
    }

    /**
     * Waits until a deployment of the project ended, or for {@code recheck} (while the stream is open) or {@code poll}
     * (while it is not), never longer than {@code left}. Returns true when an event woke it.
     */
    boolean await(Duration left) throws InterruptedException {
        // in nanoseconds: a wait cut to whole milliseconds would end before the deadline, and read once more
        long wait = Math.min(left.toNanos(), (streaming ? recheck : poll).toNanos());
        boolean woken = nudges.tryAcquire(Math.max(wait, 0), TimeUnit.NANOSECONDS);
        nudges.drainPermits(); // several events meanwhile need one read
        return woken;
    }

    private void read(StokerClient client, String path, String project) {
        Duration retry = FIRST_RETRY;
        while (!closed) {
            try (InputStream in = client.stream(path, null)) {
                open = in;
                if (closed) return;
                streaming = true;
                retry = FIRST_RETRY;
                firstTry.countDown();
                ServerEvent.read(new InputStreamReader(in, StandardCharsets.UTF_8), e -> {
                    if ("deployment".equals(e.type()) && project.equals(projectOf(e))) nudges.release();
                }, comment -> { });
            } catch (ServerLost | IOException lost) {
                // waited out below; meanwhile the follow polls
            } catch (CliException refused) {
                // refused (a server without /events, a token refused meanwhile): polling alone, as before streams
                return;
            } finally {
                streaming = false;
                firstTry.countDown();
                nudges.release(); // read again now, and poll from here on until the stream is back
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            retry = retry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retry.multipliedBy(2);
        }
    }

    private static String projectOf(ServerEvent e) {
        try {
            JsonNode data = JSON.readTree(e.data());
            return data.path("project").asText(null);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Stops reading the stream (closing it ends a read in progress). */
    @Override
    public void close() {
        closed = true;
        InputStream in = open;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        }
        reader.interrupt();
    }
}

package io.stoker.agent.pull;

import io.stoker.agent.client.AgentClient;
import io.stoker.agent.client.RemoteTask;
import io.stoker.agent.protocol.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A short shell command the server runs on a pull agent for itself (workspace files in, changed files out, a run's
 * copy removed): a protocol task like any other, so its bytes have the same credits and survive a dropped
 * connection the same way.
 */
final class HelperTask {
    /** Feeds the command's stdin. */
    @FunctionalInterface
    interface Feed {
        void write(OutputStream stdin) throws IOException;
    }

    /** Reads the command's stdout to its end. */
    @FunctionalInterface
    interface Drain {
        void read(InputStream stdout) throws IOException;
    }

    private HelperTask() {
    }

    /** Runs {@code script} with bash in {@code workdir}; throws with its stderr when it fails. */
    static void run(PullAgent agent, String workdir, String script, Feed feed, Drain drain) throws IOException {
        String id = "helper/" + UUID.randomUUID();
        RemoteTask t = agent.start(new Frame.Start(id, List.of(script), Map.of(), Set.of(), workdir, feed != null,
                AgentClient.WINDOW, false, null));
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Void> errors = CompletableFuture.runAsync(() -> copy(t.stderr(), err),
                    r -> Thread.ofPlatform().daemon().name("helper-err").start(r));
            CompletableFuture<Void> out = CompletableFuture.runAsync(() -> {
                try {
                    if (drain != null) drain.read(t.stdout());
                    t.stdout().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> Thread.ofPlatform().daemon().name("helper-out").start(r));
            if (feed != null) {
                try (OutputStream in = t.stdin()) {
                    feed.write(in);
                } catch (IOException e) {
                    if (!t.exit().isDone()) throw e; // else the exit below says why
                }
            }
            Frame.Exit exit = agent.await(t, note -> { }); // no task log to tell an outage in
            errors.join();
            try {
                out.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (exit.error() == null && exit.code() == 0) throw new IOException(e.getCause().getMessage(), e.getCause());
            }
            if (exit.error() != null) throw new IOException(exit.error());
            if (exit.code() != 0) {
                throw new IOException("'" + script + "' failed with exit code " + exit.code() + ": "
                        + err.toString(StandardCharsets.UTF_8).trim());
            }
        } finally {
            t.release();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (to.size() < 8192) to.write(buf, 0, Math.min(n, 8192 - to.size()));
            }
        } catch (IOException e) {
            // the task was given up: its exit says why
        }
    }
}

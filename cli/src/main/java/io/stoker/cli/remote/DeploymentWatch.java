package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Follows a deployment the server accepted until it is judged, printing each step once: started, good or bad, and
 * the automatic rollback a bad one starts (followed to its own end). Reads the deployment by its id (and the
 * target's newest history for the rollback) when the server's event stream says a deployment of its project ended,
 * and besides that every few seconds, or polls when the stream cannot be had ({@link DeploymentSignals}); bounded by
 * a deadline.
 */
final class DeploymentWatch {
    /** How often the deployment is read while the event stream is lost (as before there was one). */
    private static final Duration POLL = Duration.ofMillis(500);
    /** How often it is read while the stream is open: an event missed costs at most this. */
    private static final Duration RECHECK = Duration.ofSeconds(5);
    /** How long the first read waits for the stream to open, so a verdict right after it is not missed. */
    private static final Duration OPEN_WITHIN = Duration.ofSeconds(5);
    /** The exit code when the wait ends before the verdict: the deployment goes on, neither good nor bad yet. */
    static final int STILL_RUNNING = 4;

    private final StokerClient client;
    private final PrintWriter out;
    private final Reconnect reconnect;
    private final String events;
    private final Duration recheck;
    private final Duration poll;
    /** The deployment followed as last read (the first one, not a rollback it started); null before a read. */
    private JsonNode first;

    /** A watch printing to {@code out}; a lost server is waited out as {@code reconnect} says. */
    DeploymentWatch(StokerClient client, PrintWriter out, Reconnect reconnect) {
        this(client, out, reconnect, DeploymentSignals.EVENTS, RECHECK, POLL);
    }

    /** A watch woken by the event stream {@code events}, reading besides every {@code recheck}, or {@code poll}. */
    DeploymentWatch(StokerClient client, PrintWriter out, Reconnect reconnect, String events, Duration recheck,
                    Duration poll) {
        this.client = client;
        this.out = out;
        this.reconnect = reconnect;
        this.events = events;
        this.recheck = recheck;
        this.poll = poll;
    }

    /** {@code deploy of version 1.4 to staging (run #3, shop/deploy-staging)}: its run by number, as people know runs. */
    static String describe(JsonNode d) {
        return d.path("reason").asText() + " of version " + d.path("version").asText() + " to "
                + d.path("target").asText() + " (" + DeploymentRunName.reference(d) + ")";
    }

    /** The deployment {@link #follow} was given, as last read from the server; {@code accepted} before any read. */
    JsonNode lastSeen(JsonNode accepted) {
        return first != null ? first : accepted;
    }

    /**
     * Waits for deployment {@code started}; 0 when what it ends with is good, {@link #STILL_RUNNING} when the timeout
     * comes first, 1 otherwise.
     */
    int follow(JsonNode started, Duration timeout) {
        String project = started.path("project").asText();
        try (DeploymentSignals signals = DeploymentSignals.start(client, events, project, recheck, poll, OPEN_WITHIN)) {
            return follow(started, timeout, project, signals);
        }
    }

    private int follow(JsonNode started, Duration timeout, String project, DeploymentSignals signals) {
        String deployments = "/projects/" + StokerClient.segment(project) + "/deployments";
        // the newest of the target's history, where the automatic rollback a bad verdict starts is found
        String newest = deployments + "?target=" + StokerClient.segment(started.path("target").asText()) + "&limit=20";
        long deadline = System.nanoTime() + timeout.toNanos();
        long watching = started.path("id").asLong();
        boolean sawRollback = false;
        while (System.nanoTime() - deadline < 0) {
            // read by its id: the history's newest may all be deployments asked for after it
            long id = watching;
            JsonNode watched = reconnect.call(() -> client.get(deployments + "/" + id));
            if (id == started.path("id").asLong()) first = watched;
            if (!"running".equals(watched.path("state").asText())) {
                String state = watched.path("state").asText();
                out.println(state + ": " + watched.path("detail").asText());
                if (!"bad".equals(state) || sawRollback) return "good".equals(state) && !sawRollback ? 0 : 1;
                JsonNode after = null;
                for (JsonNode d : reconnect.call(() -> client.get(newest)).path("deployments")) {
                    if (d.path("id").asLong() > watching && "auto-rollback".equals(d.path("reason").asText())) after = d;
                }
                if (after == null) return 1;
                out.println("rolling back: " + describe(after));
                out.flush();
                watching = after.path("id").asLong();
                sawRollback = true;
                continue;
            }
            out.flush();
            try {
                signals.await(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        out.println("still running after " + io.stoker.engine.run.DurationText.of(timeout) + "; see stoker deployments " + project);
        return STILL_RUNNING;
    }
}

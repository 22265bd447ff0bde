package io.stoker.server.outbox;

import io.stoker.server.db.Json;
import io.stoker.server.endnews.EndTeller;
import io.stoker.server.endnews.EndsTold;
import io.stoker.server.endnews.NewsTold;
import io.stoker.server.endnews.StartsTold;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Turns run state changes from the event hub into status webhook deliveries (the Build-Shuttle contract):
 * {@code {"id": metadata, "type": "stoker", "building", "status", "run", "job", "url"}} to every status URL the
 * run's trigger named. The hub's publisher is a run or the dispatcher: this only hands the event to its own
 * thread, in order, so a run never waits for the database or a receiver. The one place that reads hub events.
 */
public final class StatusWebhooks implements AutoCloseable {
    public static final String KIND = "status";
    private static final Logger LOG = LoggerFactory.getLogger(StatusWebhooks.class);
    private static final Set<String> BUILDING = Set.of("pending", "queued", "running");

    private final Outbox outbox;
    private final OutboxSender sender;
    private final RunRepository runs;
    private final Supplier<String> baseUrl;
    private final EndsTold ends;
    private final StartsTold starts;
    /** New runs whose {@code queued} {@link #receiversKnown} enqueued: their queued event tells nothing more. */
    private final Set<String> toldQueued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-status-webhooks");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param baseUrl the server's URL, for the link to the run page
     * @param starts  where a run's start is marked told, in the transaction that queues its messages
     * @param ends    where a run's end is marked told, likewise
     */
    public StatusWebhooks(Outbox outbox, OutboxSender sender, RunRepository runs, Supplier<String> baseUrl,
                          StartsTold starts, EndsTold ends) {
        this.starts = starts;
        this.outbox = outbox;
        this.sender = sender;
        this.runs = runs;
        this.baseUrl = baseUrl;
        this.ends = ends;
    }

    /**
     * A new run's {@code queued}, enqueued on the caller's thread once its receivers are subscribed and before its
     * queued event ({@code RunService}'s receivers-known hook). Told from the hub's thread instead, it raced the
     * run's start: in a cluster another server claims a run the moment its queued event reaches it, and its
     * {@code running} (even the end) could be enqueued first, leaving the receiver with {@code building: true} for
     * a run that had ended. Enqueued before the event, it is first in the run's line to each receiver. A run without
     * status webhooks costs nothing here (no read of the database).
     */
    public void receiversKnown(String key) {
        if (!outbox.takeSubscribed(key, KIND)) return;
        toldQueued.add(key);
        changed(key, "queued", null);
    }

    /** The hub subscriber: a run's new state, handed to this class's own thread. */
    public void onEvent(LifecycleEvent event) {
        String status = switch (event) {
            // told already when it was saved, unless it is queued again (a restart's retry)
            case RunQueued q -> toldQueued.remove(q.run()) ? null : "queued";
            case RunStarted r -> "running";
            case RunFinished f -> f.state().label();
            case TaskChanged t -> null;
            case io.stoker.server.event.GateChanged g -> null;
            case io.stoker.server.event.AgentChanged a -> null;
            case io.stoker.server.event.DeploymentEnded d -> null;
            case io.stoker.server.event.ServerReady r -> null;
        };
        if (status == null) return;
        try {
            NewsTold marks = event instanceof RunFinished ? ends : event instanceof RunStarted ? starts : null;
            queue.execute(() -> changed(event.run(), status, marks));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: the state is saved; the receiver is told nothing more
        }
    }

    /**
     * A {@code queued} that comes from the hub (a run queued again by a restart's retry) for a run no longer queued
     * whose receivers were told something since is stale news, and is not sent: it would leave the receiver
     * believing the run waits, {@code building: true}, after it went on. A run's {@code running} and its end are
     * queued with the mark that says they were told ({@code marks}: {@link StartsTold}, {@link EndsTold}; null for
     * {@code queued}), so each is queued once, and again after a crash only if it was not.
     */
    private void changed(String key, String status, NewsTold marks) {
        try {
            List<Endpoint> targets = outbox.targets(key, KIND);
            if (targets.isEmpty()) {
                if (marks != null) marks.told(key, EndTeller.STATUS_WEBHOOKS);
                return;
            }
            RunRow run = runs.find(key).orElse(null);
            if (run == null) return;
            if ("queued".equals(status) && run.status() != io.stoker.engine.run.RunState.QUEUED
                    && outbox.list(key).stream().anyMatch(d -> KIND.equals(d.kind()))) {
                LOG.debug("run {}: its webhooks were told a later status already; 'queued' is not sent", key);
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", run.metadata());
            body.put("type", "stoker");
            body.put("building", BUILDING.contains(status));
            body.put("status", status);
            body.put("run", key);
            body.put("project", run.project());
            body.put("job", run.job());
            body.put("url", baseUrl.get() + "/#/runs/" + key);
            String payload = Json.write(body);
            if (marks != null) {
                boolean first = marks.once(key, EndTeller.STATUS_WEBHOOKS, c -> {
                    for (Endpoint target : targets) outbox.enqueue(c, key, KIND, target, payload);
                });
                if (!first) return;
            } else {
                for (Endpoint target : targets) outbox.enqueue(key, KIND, target, payload);
            }
            sender.poke();
        } catch (Exception e) {
            LOG.warn("run {}: status '{}' could not be queued for its webhooks: {}", key, status, e.toString());
            if (marks != null) marks.failed(key, EndTeller.STATUS_WEBHOOKS, e);
        }
    }

    @Override
    public void close() {
        queue.shutdown();
        try {
            queue.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.stoker.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stoker.engine.run.TaskState;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts runs and times runs, tasks and queue waits from the server's lifecycle events: the only class of this
 * package that reads them. Subscribe {@link #onEvent} to the
 * {@link io.stoker.server.event.EventHub}.
 *
 * <p>Meters: {@code stoker_runs_total{project,job,status}} (runs that ended), {@code
 * stoker_run_duration_seconds{project,job,status}} (start to end), {@code
 * stoker_task_duration_seconds{project,job,task,status}} (an attempt's start to end), {@code
 * stoker_queue_wait_seconds{project,job}} (queued to started) and {@code stoker_slots_busy} (runs going).
 */
public final class RunMetrics {
    /** Histogram bucket bounds shared by the duration timers: from a quick check to an hour-long build. */
    static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1)};

    private final MeterRegistry registry;
    /** Runs queued or going, by key: what their end is measured from. Removed when they end. */
    private final Map<String, Tracked> runs = new ConcurrentHashMap<>();
    /** Task attempts going, by run key, task and attempt. */
    private final Map<String, Instant> tasks = new ConcurrentHashMap<>();

    private record Tracked(String project, String job, Instant queued, Instant started) {
    }

    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("stoker.slots.busy", runs, m -> m.values().stream().filter(t -> t.started() != null).count())
                .description("runs going now (each holds one executor slot)").register(registry);
    }

    /** One event of the hub. */
    public void onEvent(LifecycleEvent event) {
        switch (event) {
            case RunQueued e -> runs.put(e.run(), new Tracked(label(e.project(), null), label(e.job(), null), e.time(), null));
            case RunStarted e -> started(e);
            case RunFinished e -> finished(e);
            case TaskChanged e -> task(e);
            case io.stoker.server.event.GateChanged e -> { }
            case io.stoker.server.event.AgentChanged e -> { }
            case io.stoker.server.event.DeploymentEnded e -> { }
            case io.stoker.server.event.ServerReady e -> { }
        }
    }

    private void started(RunStarted e) {
        Tracked known = runs.get(e.run());
        String project = label(e.project(), known == null ? null : known.project());
        String job = label(e.job(), known == null ? null : known.job());
        runs.put(e.run(), new Tracked(project, job, known == null ? null : known.queued(), e.time()));
        if (known != null && known.queued() != null) {
            Timer.builder("stoker.queue.wait").description("time runs waited in the queue for a slot")
                    .tags("project", project, "job", job).serviceLevelObjectives(BUCKETS).register(registry)
                    .record(Duration.between(known.queued(), e.time()));
        }
    }

    private void finished(RunFinished e) {
        Tracked known = runs.remove(e.run());
        String project = label(e.project(), known == null ? null : known.project());
        String job = label(e.job(), known == null ? null : known.job());
        String status = e.state().label();
        Counter.builder("stoker.runs").description("runs that ended, by project, job and status")
                .tags("project", project, "job", job, "status", status).register(registry).increment();
        if (known != null && known.started() != null) {
            Timer.builder("stoker.run.duration").description("run durations from start to end")
                    .tags("project", project, "job", job, "status", status).serviceLevelObjectives(BUCKETS)
                    .register(registry).record(Duration.between(known.started(), e.time()));
        }
    }

    private void task(TaskChanged e) {
        String key = e.run() + "\u0000" + e.task() + "\u0000" + e.attempt();
        if (e.state() == TaskState.RUNNING) {
            tasks.put(key, e.time());
        } else if (e.state().isFinal()) {
            Instant started = tasks.remove(key);
            if (started == null) return; // skipped, reused or cancelled before it ran: nothing to time
            Timer.builder("stoker.task.duration").description("task attempt durations from start to end")
                    .tags("project", label(e.project(), null), "job", label(e.job(), null), "task", e.task(),
                            "status", e.state().label())
                    .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.between(started, e.time()));
        }
    }

    private static String label(String value, String fallback) {
        return value != null ? value : fallback != null ? fallback : "unknown";
    }
}

package io.stoker.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskState;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts runs and times runs, tasks and queue waits from the server's run and task events: the only class that
 * reads the event shapes, so a change of them touches this one. Subscribe {@link #onEvent} to the
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

    /** One event of the hub (a map with {@code type} {@code run} or {@code task}); others are ignored. */
    public void onEvent(Map<String, Object> event) {
        Object type = event.get("type");
        if ("run".equals(type)) run(event);
        else if ("task".equals(type)) task(event);
    }

    private void run(Map<String, Object> e) {
        String key = String.valueOf(e.get("run"));
        String status = String.valueOf(e.get("status"));
        Instant time = time(e);
        Tracked known = runs.get(key);
        String project = text(e.get("project"), known == null ? null : known.project());
        String job = text(e.get("job"), known == null ? null : known.job());
        RunState state = runState(status);
        if (state == RunState.QUEUED) {
            runs.put(key, new Tracked(project, job, time, null));
        } else if (state == RunState.RUNNING) {
            runs.put(key, new Tracked(project, job, known == null ? null : known.queued(), time));
            if (known != null && known.queued() != null) {
                Timer.builder("stoker.queue.wait").description("time runs waited in the queue for a slot")
                        .tags("project", project, "job", job).serviceLevelObjectives(BUCKETS).register(registry)
                        .record(Duration.between(known.queued(), time));
            }
        } else if (state != null && state.isFinal()) {
            runs.remove(key);
            Counter.builder("stoker.runs").description("runs that ended, by project, job and status")
                    .tags("project", project, "job", job, "status", status).register(registry).increment();
            if (known != null && known.started() != null) {
                Timer.builder("stoker.run.duration").description("run durations from start to end")
                        .tags("project", project, "job", job, "status", status).serviceLevelObjectives(BUCKETS)
                        .register(registry).record(Duration.between(known.started(), time));
            }
        }
    }

    private void task(Map<String, Object> e) {
        String key = e.get("run") + "\u0000" + e.get("task") + "\u0000" + e.get("attempt");
        String status = String.valueOf(e.get("status"));
        TaskState state = taskState(status);
        if (state == TaskState.RUNNING) {
            tasks.put(key, time(e));
        } else if (state != null && state.isFinal()) {
            Instant started = tasks.remove(key);
            if (started == null) return; // skipped, reused or cancelled before it ran: nothing to time
            Timer.builder("stoker.task.duration").description("task attempt durations from start to end")
                    .tags("project", text(e.get("project"), null), "job", text(e.get("job"), null),
                            "task", text(e.get("task"), null), "status", status)
                    .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.between(started, time(e)));
        }
    }

    private static Instant time(Map<String, Object> e) {
        Object t = e.get("time");
        try {
            return t == null ? Instant.now() : Instant.parse(t.toString());
        } catch (java.time.DateTimeException bad) {
            return Instant.now();
        }
    }

    private static String text(Object value, String fallback) {
        return value != null ? value.toString() : fallback != null ? fallback : "unknown";
    }

    private static RunState runState(String status) {
        try {
            return RunState.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static TaskState taskState(String status) {
        try {
            return TaskState.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.stoker.engine.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's state: persisted through {@link RunStore} on every change, and the result of a finished run.
 *
 * @param tasks by full task name, in the job's declaration order
 */
public record RunRecord(RunContext context, RunState state, String reason, Map<String, TaskRecord> tasks,
                        Instant queuedAt, Instant startedAt, Instant endedAt) {

    public RunRecord {
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
        reason = reason == null ? "" : reason;
    }

    public String key() {
        return context.key();
    }

    public TaskRecord task(String name) {
        return tasks.get(name);
    }

    /**
     * The CLI's {@code --json} summary as plain maps, ready for any JSON writer:
     * {@code {"job","status","tasks":{"<name>":{"status","exitCode","attempts","outputs","log","artifacts"}}}}, a task
     * that is an allowed failure with {@code "allowedFailure": true}, one whose test reports were read with {@code "tests"}
     * ({@code total, failed, errors, skipped, durationMs}).
     */
    public Map<String, Object> summary() {
        Map<String, Object> taskMap = new LinkedHashMap<>();
        tasks.forEach((name, t) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", t.state().label());
            m.put("exitCode", t.exitCode());
            m.put("attempts", t.attempts());
            m.put("outputs", new LinkedHashMap<>(t.outputs()));
            m.put("log", t.log());
            m.put("artifacts", t.artifacts());
            if (t.allowedFailure()) m.put("allowedFailure", true);
            if (t.tests() != null) {
                Map<String, Object> tests = new LinkedHashMap<>();
                tests.put("total", t.tests().total());
                tests.put("failed", t.tests().failed());
                tests.put("errors", t.tests().errors());
                tests.put("skipped", t.tests().skipped());
                tests.put("durationMs", t.tests().durationMs());
                m.put("tests", tests);
            }
            taskMap.put(name, m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", context.job());
        out.put("status", state.label());
        out.put("tasks", taskMap);
        return out;
    }
}

package io.stoker.cli.run;

import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;
import io.stoker.engine.run.TaskState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The end of a local run: one line for people, and the {@code --json} summary for scripts. */
public final class RunSummary {
    private RunSummary() {
    }

    /**
     * e.g. {@code run web-3 succeeded in 1.24s: 5 succeeded, 1 failed (allowed to fail), 1 skipped — .stoker/runs/web-3};
     * {@code 2 failed (1 allowed to fail)} when only some of them are.
     */
    public static String line(RunRecord run, Path runDir) {
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        Map<TaskState, Integer> allowed = new EnumMap<>(TaskState.class);
        run.tasks().values().forEach(t -> {
            counts.merge(t.state(), 1, Integer::sum);
            if (t.allowedFailure()) allowed.merge(t.state(), 1, Integer::sum);
        });
        String tally = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()
                        + allowedToFail(allowed.getOrDefault(e.getKey(), 0), e.getValue()))
                .collect(Collectors.joining(", "));
        String took = run.startedAt() == null || run.endedAt() == null ? ""
                : " in " + io.stoker.engine.run.DurationText.of(Duration.between(run.startedAt(), run.endedAt()));
        // "cancelled (cancelled)" says nothing more: the reason is shown only when it adds to the status
        String reason = run.reason().isBlank() || run.reason().equalsIgnoreCase(run.state().label()) ? ""
                : " (" + run.reason() + ")";
        return "run " + run.key() + " " + run.state().label() + reason + took + ": " + tally + " — " + runDir;
    }

    private static String allowedToFail(int allowed, int of) {
        return allowed == 0 ? "" : allowed == of ? " (allowed to fail)" : " (" + allowed + " allowed to fail)";
    }

    /**
     * {@code {"job","key","status","reason","startedAt","finishedAt","tasks":{"<name>":{"status","exitCode",
     * "attempts","outputs","log","artifacts","reason","startedAt","finishedAt"}}}}; an allowed failure's task also has
     * {@code "allowedFailure": true}, a task whose test reports were read {@code "tests": {"total","failed","errors",
     * "skipped","durationMs"}}.
     */
    public static Map<String, Object> json(RunRecord run) {
        Map<String, Object> summary = new LinkedHashMap<>(run.summary());
        summary.put("key", run.key());
        summary.put("reason", run.reason());
        summary.put("startedAt", text(run.startedAt()));
        summary.put("finishedAt", text(run.endedAt()));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> tasks = (Map<String, Map<String, Object>>) summary.get("tasks");
        Map<String, Object> withTimes = new LinkedHashMap<>();
        tasks.forEach((name, task) -> {
            TaskRecord record = run.task(name);
            Map<String, Object> t = new LinkedHashMap<>(task);
            t.put("reason", record.outcome() == null ? "" : record.outcome().reason());
            t.put("startedAt", text(record.startedAt()));
            t.put("finishedAt", text(record.endedAt()));
            withTimes.put(name, t);
        });
        summary.put("tasks", withTimes);
        return summary;
    }

    private static String text(Object instant) {
        return instant == null ? null : instant.toString();
    }
}

package io.stoker.server.run;

import io.stoker.engine.run.Outcome;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunLost;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunStore;
import io.stoker.engine.run.TaskRecord;
import io.stoker.engine.run.TaskState;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's {@link RunStore} on H2: every state change the engine saves lands in the runs and task_states tables. */
public final class H2RunStore implements RunStore {
    private final RunRepository runs;

    public H2RunStore(RunRepository runs) {
        this.runs = runs;
    }

    @Override
    public void save(RunRecord run) throws IOException {
        boolean saved;
        try {
            saved = runs.save(run);
        } catch (SQLException e) {
            throw new IOException("cannot save run " + run.key() + ": " + e.getMessage(), e);
        }
        if (!saved) throw new RunLost("run " + run.key() + " is no longer held by this server");
    }

    @Override
    public Optional<RunRecord> load(String runKey) throws IOException {
        try {
            return runs.find(runKey).map(H2RunStore::record);
        } catch (SQLException e) {
            throw new IOException("cannot load run " + runKey + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<RunRecord> list() throws IOException {
        try {
            List<RunRecord> out = new ArrayList<>();
            for (String key : runs.keys()) runs.find(key).map(H2RunStore::record).ifPresent(out::add);
            return out;
        } catch (SQLException e) {
            throw new IOException("cannot list runs: " + e.getMessage(), e);
        }
    }

    static RunRecord record(RunRow r) {
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        for (TaskRow t : r.tasks()) {
            TaskState state = t.status();
            Map<String, String> outputs = new LinkedHashMap<>();
            t.outputs().forEach((k, v) -> outputs.put(k, String.valueOf(v)));
            tasks.put(t.name(), new TaskRecord(t.name(), state, outcome(state, t.exitCode(), t.reason()), t.attempts(),
                    outputs, t.logPath(), t.artifactPath(), t.startedAt(), t.finishedAt(), t.approval(), t.images(),
                    t.allowedFailure(), state == TaskState.STARTING ? t.reason() : null, t.tests()));
        }
        RunContext context = new RunContext(r.key(), r.number(), r.branch(), r.commit(), r.trigger(), r.job(),
                r.project(), null, null, null, r.tag());
        return new RunRecord(context, r.status(), r.reason(), tasks,
                r.createdAt(), r.startedAt(), r.finishedAt());
    }

    private static Outcome outcome(TaskState state, Integer exit, String reason) {
        return switch (state) {
            case SUCCEEDED -> new Outcome.Succeeded();
            case FAILED -> new Outcome.Failed(exit, reason);
            case TIMEDOUT -> new Outcome.TimedOut(reason);
            case CANCELLED -> new Outcome.Cancelled(reason);
            case SKIPPED -> new Outcome.Skipped(reason);
            default -> null;
        };
    }
}

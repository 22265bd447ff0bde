package io.stoker.server.run;

import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskState;

import java.util.Locale;

/** The one mapping between the engine's states and their text in the runs and task_states tables. */
public final class States {
    private States() {
    }

    public static String sql(RunState s) {
        return s.label();
    }

    static String sql(TaskState s) {
        return s.label();
    }

    public static RunState run(String sql) {
        return RunState.valueOf(sql.toUpperCase(Locale.ROOT));
    }

    static TaskState task(String sql) {
        return TaskState.valueOf(sql.toUpperCase(Locale.ROOT));
    }
}

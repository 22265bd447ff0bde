package io.stoker.engine.plan;

import java.util.List;
import java.util.Map;

/**
 * What a run would do, worked out without running anything.
 *
 * @param levels     start order: every task of a level starts once the levels before it are done
 * @param pipes      streaming pipes, writer → reader
 * @param parameters the resolved parameter values
 * @param when       each task's {@code when} as far as it is known before running, in declaration order
 */
public record Plan(String job, List<List<String>> levels, List<Pipe> pipes, Map<String, Object> parameters,
                   Map<String, WhenDecision> when) {

    public Plan {
        levels = List.copyOf(levels);
        pipes = List.copyOf(pipes);
    }

    /** {@code writer}'s stdout streams into {@code reader}'s stdin. */
    public record Pipe(String writer, String reader) {
    }

    /**
     * @param condition the condition as written, {@code success()} by default
     * @param verdict   {@code "true"}, {@code "false"} or {@code "decided at run time"}
     */
    public record WhenDecision(String condition, String verdict) {
        public static final String AT_RUN_TIME = "decided at run time";

        public boolean known() {
            return !AT_RUN_TIME.equals(verdict);
        }
    }
}

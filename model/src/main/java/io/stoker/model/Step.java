package io.stoker.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Map;

/** One step of a task. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.Sh.class, name = "sh"),
        @JsonSubTypes.Type(value = Step.Trigger.class, name = "trigger")})
public sealed interface Step {

    Pos pos();

    /**
     * A shell script. When its first line is {@code #!…} it runs with that interpreter, otherwise with
     * {@code bash -e} ({@code sh -e} where there is no bash). It may hold {@code ${{ }}} templates.
     */
    record Sh(String script, Pos pos) implements Step {
        public boolean hasShebang() {
            return script.startsWith("#!");
        }
    }

    /**
     * Starts a run of another job. With {@code waitForRun} (written {@code wait:}; {@code wait} itself cannot name a record component) the step waits for that run and fails unless it succeeded
     * (like Jenkins' {@code build job:}); without, it succeeds once the run is created.
     *
     * @param job        the job to run; the same Jobfile's jobs are checked, others are resolved by the runner
     * @param parameters name → value template, rendered when the step runs
     */
    record Trigger(String job, Map<String, String> parameters, boolean waitForRun, Pos pos) implements Step {
        public Trigger {
            parameters = Maps.ordered(parameters);
        }
    }
}

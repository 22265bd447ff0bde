package io.stoker.engine.trigger;

import java.util.Map;

/**
 * A trigger step asking for a run of another job.
 *
 * @param runKey     the run whose task triggers (recorded as the new run's upstream)
 * @param task       the triggering task's full name
 * @param job        the job to run, as written in the step
 * @param parameters rendered parameter values; the triggered job's own defaults fill the rest
 * @param waitForRun whether the step waits for the run to end
 */
public record TriggerRequest(String runKey, String task, String job, Map<String, String> parameters, boolean waitForRun) {

    public TriggerRequest {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}

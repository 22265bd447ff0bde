package io.stoker.engine.deploy;

import io.stoker.model.DeployTarget;
import io.stoker.model.Job;
import io.stoker.model.Pos;
import io.stoker.model.Step;
import io.stoker.model.Task;
import io.stoker.model.Triggers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a deployment into the job its run executes: one task, {@code deploy}, on the target's agent (or the
 * server's machine), running {@link DeployScript}. One task rather than stop/start/check tasks, because a label
 * could send separate tasks to separate agents.
 */
public final class DeployJobs {
    /** The trigger of deployment runs, as runs and events show it. */
    public static final String TRIGGER = "deploy";
    /** The environment variables naming the deployment's target and version (the task's, and the run's record). */
    public static final String TARGET_ENV = "STOKER_DEPLOY_TARGET";
    public static final String VERSION_ENV = "STOKER_DEPLOY_VERSION";
    /** The name of the one task. */
    public static final String TASK = "deploy";
    /** Time a service's task gets beyond its healthcheck window (stopping the old one, copying). */
    private static final long SLACK_MILLIS = 120_000;

    private DeployJobs() {
    }

    /** The job's name for a target: {@code deploy-staging}. */
    public static String jobName(String target) {
        return "deploy-" + target;
    }

    /**
     * @param file     the version's file {@code {file}} and {@code $STOKER_ARTIFACT} name, or null
     * @param localDir where the target lives when it runs on the server's machine (no agent), else null
     */
    public static Job of(String project, DeployTarget target, String version, String file, Path localDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TARGET_ENV, target.name());
        env.put(VERSION_ENV, version);
        if (file != null) env.put("STOKER_ARTIFACT", file);
        if (target.agent() == null && localDir != null) env.put("STOKER_DEPLOY_DIR", localDir.toString());
        long timeout = target.isService() ? target.withinSeconds() * 1000L + SLACK_MILLIS : 0;
        Task task = new Task(TASK, TASK, Map.of(), List.of(new Step.Sh(DeployScript.of(project, target, version, file),
                target.pos())), List.of(), null, env, List.of(), List.of(), null, null, 0, timeout, false, null, target.agent(), null, null,
                target.pos());
        return new Job(jobName(target.name()), "deploy version " + version + " of " + project + " to " + target.name(),
                List.of(), Map.of(), List.of(), 0, target.agent(), 1, false, Triggers.NONE, List.of(task), List.of(),
                null, Pos.NONE);
    }
}

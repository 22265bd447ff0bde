package io.stoker.server.event;

import io.stoker.engine.deploy.DeployJobs;
import io.stoker.engine.deploy.DeployReason;
import io.stoker.engine.deploy.Deployment;
import io.stoker.engine.deploy.DeploymentState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server recorded how a deployment ended ({@code /events} name {@code deployment}): its verdict ({@code good},
 * {@code bad}, {@code cancelled}; or {@code interrupted}, no verdict on the version, when its run could not start or
 * the server stopped under it), published after the verdict and any automatic rollback were saved, so the
 * deployments and targets read after it show them. {@code run} is the deployment's run.
 *
 * @param deployment the history's id of the deployment
 * @param reason     why it happened: an automatic rollback's own verdict says {@code auto-rollback}
 * @param rollback   the automatic rollback its failure or cancel started, or null when none did
 */
public record DeploymentEnded(String run, String project, String target, String version, long deployment,
                              DeploymentState verdict, DeployReason reason, Rollback rollback, Instant time)
        implements LifecycleEvent {
    public DeploymentEnded {
        if (!verdict.isFinal()) throw new IllegalArgumentException("a deployment does not end " + verdict.label());
    }

    /** The automatic rollback a deployment's end started: the deployment, the version it brings back and its run. */
    public record Rollback(long deployment, String version, String run) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deployment", deployment);
            m.put("version", version);
            m.put("run", run);
            return m;
        }
    }

    /** The event of {@code ended} (as recorded ended), which started {@code rollback} (null when none). */
    public static DeploymentEnded of(Deployment ended, Deployment rollback) {
        return new DeploymentEnded(ended.runKey(), ended.project(), ended.target(), ended.version(), ended.id(),
                ended.state(), ended.reason(), rollback == null ? null
                : new Rollback(rollback.id(), rollback.version(), rollback.runKey()), ended.endedAt());
    }

    /** The deployment run's job, {@code deploy-TARGET}. */
    @Override
    public String job() {
        return DeployJobs.jobName(target);
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "deployment");
        m.put("run", run);
        m.put("project", project);
        m.put("job", job());
        m.put("target", target);
        m.put("version", version);
        m.put("deployment", deployment);
        m.put("verdict", verdict.label());
        m.put("reason", reason.label());
        m.put("rollback", rollback == null ? null : rollback.json());
        m.put("time", time.toString());
        return m;
    }
}

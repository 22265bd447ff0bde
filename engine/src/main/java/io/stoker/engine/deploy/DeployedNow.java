package io.stoker.engine.deploy;

import io.stoker.engine.version.DeployedVersions;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The versions deployed now, read from the history: per target its newest good deployment (what runs there unless
 * something replaced it since), whatever is being deployed, and what an interrupted deployment newer than that
 * good one left running there.
 */
public final class DeployedNow implements DeployedVersions {
    private final DeploymentHistory history;

    public DeployedNow(DeploymentHistory history) {
        this.history = history;
    }

    @Override
    public Set<String> of(String project) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        for (Deployment d : history.list(project, null, Deployer.HISTORY_SCAN)) {
            if (d.state() == DeploymentState.RUNNING) out.add(d.version());
            if (d.state() == DeploymentState.INTERRUPTED && !targets.contains(d.target())) out.add(d.version());
            if (d.state() == DeploymentState.GOOD && targets.add(d.target())) out.add(d.version());
        }
        return out;
    }
}

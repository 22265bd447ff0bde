package io.stoker.server.deploy;

import io.stoker.engine.deploy.Deployment;
import io.stoker.engine.deploy.DeploymentState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each deploy target of a project runs now, read from the deployment history: per target its newest good
 * deployment and, when a later one is going or did not work, that one too. The targets the Jobfile declares come
 * first, in its order (those never deployed among them), then those it no longer declares that have a history.
 * Blocking: call from a worker.
 */
public final class TargetStatuses {
    private final DeploymentRepository history;
    private final DeclaredTargets declared;

    /** Port: the names of the deploy targets a project's Jobfile declares now; refuses an unknown project. */
    @FunctionalInterface
    public interface DeclaredTargets {
        List<String> of(String project) throws Exception;
    }

    public TargetStatuses(DeploymentRepository history, DeclaredTargets declared) {
        this.history = history;
        this.declared = declared;
    }

    /** Every target of {@code project}: the Jobfile's first, then the ones with a history it no longer declares. */
    public List<TargetStatus> of(String project) throws Exception {
        List<String> names = declared.of(project);
        Map<String, Deployment> newest = new HashMap<>();
        Map<String, Deployment> good = new HashMap<>();
        for (Deployment d : history.newestPerTarget(project)) { // newest first
            newest.putIfAbsent(d.target(), d);
            if (d.state() == DeploymentState.GOOD) good.putIfAbsent(d.target(), d);
        }
        Set<String> all = new LinkedHashSet<>(names);
        newest.keySet().stream().sorted().forEach(all::add);
        List<TargetStatus> out = new ArrayList<>(all.size());
        for (String target : all) {
            Deployment current = good.get(target);
            Deployment last = newest.get(target);
            out.add(new TargetStatus(target, names.contains(target), current,
                    last == null || current != null && last.id() == current.id() ? null : last));
        }
        return out;
    }
}

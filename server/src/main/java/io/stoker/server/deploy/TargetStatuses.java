package io.stoker.server.deploy;

import io.stoker.engine.deploy.DeployReason;
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
 * deployment and, when a later one is going or did not work, that one too; when what it runs is an automatic
 * rollback, the failed (or cancelled) deployment the rollback undid is its latest attempt. The targets the Jobfile declares come
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
        Map<String, Deployment> asked = new HashMap<>(); // the newest not an automatic rollback
        for (Deployment d : history.newestPerTarget(project)) { // newest first
            newest.putIfAbsent(d.target(), d);
            if (d.state() == DeploymentState.GOOD) good.putIfAbsent(d.target(), d);
            if (d.reason() != DeployReason.AUTO_ROLLBACK) asked.putIfAbsent(d.target(), d);
        }
        Set<String> all = new LinkedHashSet<>(names);
        newest.keySet().stream().sorted().forEach(all::add);
        List<TargetStatus> out = new ArrayList<>(all.size());
        for (String target : all) {
            Deployment current = good.get(target);
            Deployment last = newest.get(target);
            out.add(new TargetStatus(target, names.contains(target), current,
                    last == null || current != null && last.id() == current.id()
                            ? undone(current, asked.get(target)) : last));
        }
        return out;
    }

    /**
     * The attempt an automatic rollback that worked undid: the deployment asked for before it, which failed or was
     * cancelled (the rollback follows it at once). Null when {@code current} is no automatic rollback: what the
     * target runs was asked for, and nothing after it is newer.
     */
    private static Deployment undone(Deployment current, Deployment asked) {
        if (current == null || current.reason() != DeployReason.AUTO_ROLLBACK || asked == null) return null;
        boolean rolledBack = asked.state() == DeploymentState.BAD || asked.state() == DeploymentState.CANCELLED;
        return rolledBack && asked.id() < current.id() ? asked : null;
    }
}

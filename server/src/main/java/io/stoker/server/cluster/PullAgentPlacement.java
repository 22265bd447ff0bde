package io.stoker.server.cluster;

import io.stoker.dsl.label.LabelExpression;
import io.stoker.dsl.label.LabelSyntaxException;
import io.stoker.model.Job;
import io.stoker.model.Task;
import io.stoker.server.agent.AgentPool;
import io.stoker.server.agent.AgentRouter;
import io.stoker.server.run.RunPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pull agent is connected to one server of a cluster, so only that server can route tasks to it. A server takes
 * a queued run when its own agents (every SSH agent, the pull agents connected here) match every agent expression
 * of the run's tasks; when they do not but another live server's do, it leaves the run to that one; when no server
 * has them it takes the run anyway, so it waits or fails with "no agent matches" as on a server alone. What the
 * other servers have connected is read from their rows (written with each heartbeat), at most once a heartbeat.
 */
public final class PullAgentPlacement implements RunPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(PullAgentPlacement.class);

    private final AgentPool pool;
    private final ServerRegistry registry;
    private final String self;
    private final ClusterSettings settings;
    private final Clock clock;
    private List<ConnectedAgents> others = List.of(); // guarded by this
    private Instant readAt = Instant.MIN; // guarded by this

    public PullAgentPlacement(AgentPool pool, ServerRegistry registry, String self, ClusterSettings settings, Clock clock) {
        this.pool = pool;
        this.registry = registry;
        this.self = self;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public boolean takeHere(Job job) {
        List<LabelExpression> asked = expressions(job);
        if (asked.isEmpty() || matchAll(asked, pool.routable())) return true;
        List<Set<String>> ssh = pool.sshLabels();
        for (ConnectedAgents other : othersAlive()) {
            List<Set<String>> there = new ArrayList<>(ssh);
            there.addAll(other.labels());
            if (matchAll(asked, there)) return false;
        }
        return true;
    }

    /** The agent expressions of the job's tasks that do not run on the server itself. */
    static List<LabelExpression> expressions(Job job) {
        List<LabelExpression> out = new ArrayList<>();
        for (Task t : job.tasks()) {
            String agent = t.agent() != null ? t.agent() : job.agent();
            if (AgentRouter.isLocal(agent)) continue;
            try {
                out.add(LabelExpression.parse(AgentRouter.expressionText(agent, t.container() != null)));
            } catch (LabelSyntaxException e) {
                // the router fails such an attempt with its own message, wherever it runs
            }
        }
        return out;
    }

    private static boolean matchAll(List<LabelExpression> asked, List<Set<String>> agents) {
        return asked.stream().allMatch(e -> agents.stream().anyMatch(e::matches));
    }

    /** The pull agents of the other live servers, read again after a heartbeat's time. */
    private synchronized List<ConnectedAgents> othersAlive() {
        Instant now = clock.instant();
        if (now.isBefore(readAt.plus(settings.heartbeat()))) return others;
        try {
            others = registry.list(now, settings.lease(), Map.of()).stream()
                    .filter(s -> s.alive() && !s.id().equals(self)).map(ClusterServer::pullAgents).toList();
        } catch (SQLException e) {
            LOG.warn("cannot read which pull agents the other servers have ({}); runs are taken here meanwhile", e.toString());
            others = List.of();
        }
        readAt = now;
        return others;
    }
}

package io.stoker.server.cluster;

import io.stoker.engine.run.RunState;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Which server holds a running run: in a cluster the one whose id the run's row names ({@code runs.held_by}), alone
 * on H2 this server (it runs every run, and holds none by name). Its address is the one {@link ClusterView} lists.
 */
public final class RunHolders {
    private final RunRepository runs;
    private final ClusterView cluster;
    private final String lone;

    private RunHolders(RunRepository runs, ClusterView cluster, String lone) {
        this.runs = runs;
        this.cluster = cluster;
        this.lone = lone;
    }

    /** The holders of a cluster's runs, read from the shared database. */
    public static RunHolders cluster(RunRepository runs, ClusterView cluster) {
        return new RunHolders(runs, cluster, null);
    }

    /** A lone server, {@code self} as {@code cluster} lists it, holds every run that is running. */
    public static RunHolders lone(RunRepository runs, ClusterView cluster, String self) {
        return new RunHolders(runs, cluster, self);
    }

    /** The server holding {@code run}; empty when it is not running (or ended since it was read). */
    public Optional<RunHolder> of(RunRow run) throws SQLException {
        if (run.status() != RunState.RUNNING) return Optional.empty();
        Optional<String> id = lone != null ? Optional.of(lone) : runs.runningHolder(run.key());
        if (id.isEmpty()) return Optional.empty();
        String address = cluster.servers().stream().filter(s -> s.id().equals(id.get())).findFirst()
                .map(ClusterServer::address).orElse(null);
        return Optional.of(new RunHolder(id.get(), address));
    }
}

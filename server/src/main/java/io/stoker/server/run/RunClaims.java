package io.stoker.server.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * How the {@link RunDispatcher} takes a queued run: alone on its database ({@link #single}), or as one server of a
 * cluster sharing a PostgreSQL database ({@link #cluster}), where a run is claimed with a lease and a job's
 * concurrency counts the runs other servers hold.
 */
public interface RunClaims {
    /**
     * Moves a queued run to running for this server; false when it is not queued, another server took it, or its
     * job already has {@code concurrency} runs running (0: no limit) on the servers sharing the database.
     */
    boolean claim(String key, int concurrency, Instant now) throws SQLException;

    /** Running runs of the job that other servers hold. */
    int runningElsewhere(String project, String job) throws SQLException;

    /** Asks the server holding a running run to cancel it; false when no other server holds it. */
    boolean cancelElsewhere(String key) throws SQLException;

    /** The keys of the running runs the store says this server holds; null when it is the only server (all). */
    Set<String> heldHere() throws SQLException;

    /**
     * The last line of the log of a task that was running when this server stopped: what becomes of its run (alone:
     * the next start ends it; in a cluster: the server that takes it over, which is at once another one).
     */
    String stoppingNote();

    /** The only server on its database. */
    static RunClaims single(RunRepository runs) {
        return new RunClaims() {
            @Override
            public boolean claim(String key, int concurrency, Instant now) throws SQLException {
                return runs.start(key, now); // the dispatcher, alone on its database, counted its own runs
            }

            @Override
            public int runningElsewhere(String project, String job) {
                return 0;
            }

            @Override
            public boolean cancelElsewhere(String key) {
                return false;
            }

            @Override
            public Set<String> heldHere() {
                return null;
            }

            @Override
            public String stoppingNote() {
                return "the server is stopping: this task's processes were stopped; the run is ended when the server"
                        + " starts again (failed \"server restarted\", or queued again if its job says retryOnRestart)";
            }
        };
    }

    /**
     * One server, {@code holder}, of a cluster: a claimed run is leased to it for {@code lease} at a time;
     * {@code cancelThere} asks the server holding a run to cancel it.
     */
    static RunClaims cluster(RunRepository runs, String holder, Duration lease,
                             java.util.function.Consumer<String> cancelThere) {
        return new RunClaims() {
            @Override
            public boolean claim(String key, int concurrency, Instant now) throws SQLException {
                return runs.claim(key, holder, concurrency, now, lease);
            }

            @Override
            public int runningElsewhere(String project, String job) throws SQLException {
                return runs.heldElsewhere(project, job, holder);
            }

            @Override
            public boolean cancelElsewhere(String key) throws SQLException {
                var by = runs.runningHolder(key);
                if (by.isEmpty() || by.get().equals(holder)) return false;
                cancelThere.accept(key);
                return true;
            }

            @Override
            public Set<String> heldHere() throws SQLException {
                return runs.heldBy(holder);
            }

            @Override
            public String stoppingNote() {
                return "the server " + holder + " is stopping: this task's processes were stopped; another server of"
                        + " the cluster takes the run over at its next heartbeat (failed \"server " + holder + " lost\","
                        + " or queued again if its job says retryOnRestart), or the first server to start when none is"
                        + " left";
            }
        };
    }
}

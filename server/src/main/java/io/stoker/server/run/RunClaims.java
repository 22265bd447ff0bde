package io.stoker.server.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * How the {@link RunDispatcher} takes a queued run: alone on its database ({@link #single}), or as one server of a
 * cluster sharing a PostgreSQL database ({@link #cluster}), where a run is claimed with a lease and a job's
 * concurrency counts the runs other servers hold.
 */
public interface RunClaims {
    /** Moves a queued run to running for this server; false when it is not queued or another server took it. */
    boolean claim(String key, Instant now) throws SQLException;

    /** Running runs of the job that other servers hold. */
    int runningElsewhere(String project, String job) throws SQLException;

    /** The only server on its database. */
    static RunClaims single(RunRepository runs) {
        return new RunClaims() {
            @Override
            public boolean claim(String key, Instant now) throws SQLException {
                return runs.start(key, now);
            }

            @Override
            public int runningElsewhere(String project, String job) {
                return 0;
            }
        };
    }

    /** One server, {@code holder}, of a cluster: a claimed run is leased to it for {@code lease} at a time. */
    static RunClaims cluster(RunRepository runs, String holder, Duration lease) {
        return new RunClaims() {
            @Override
            public boolean claim(String key, Instant now) throws SQLException {
                return runs.claim(key, holder, now, now.plus(lease));
            }

            @Override
            public int runningElsewhere(String project, String job) throws SQLException {
                return runs.heldElsewhere(project, job, holder);
            }
        };
    }
}

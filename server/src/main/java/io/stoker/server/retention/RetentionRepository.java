package io.stoker.server.retention;

import io.stoker.engine.run.RunState;
import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The runs retention reads and deletes. Blocking JDBC. */
public final class RetentionRepository {
    private static final String FINAL = Arrays.stream(RunState.values()).filter(RunState::isFinal)
            .map(s -> "'" + s.label() + "'").collect(Collectors.joining(", ", "(", ")"));

    private final Database db;

    public RetentionRepository(Database db) {
        this.db = db;
    }

    /** A job of some project, as the runs table names it. */
    public record JobName(String project, String job) {
    }

    /** Every job with runs. */
    public List<JobName> jobs() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT DISTINCT project, job FROM runs");
             ResultSet r = s.executeQuery()) {
            List<JobName> out = new ArrayList<>();
            while (r.next()) out.add(new JobName(r.getString(1), r.getString(2)));
            return out;
        }
    }

    /** The job's highest run number, 0 when it has none. */
    public long newestNumber(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT number FROM runs WHERE "
                + "project = ? AND job = ? ORDER BY project DESC, job DESC, number DESC FETCH FIRST ROW ONLY")) {
            s.setString(1, project);
            s.setString(2, job);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** The job's finished runs, newest first. */
    public List<FinishedRun> finished(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT run_key, number, "
                + "finished_at FROM runs WHERE project = ? AND job = ? AND status IN " + FINAL + " ORDER BY number DESC")) {
            s.setString(1, project);
            s.setString(2, job);
            try (ResultSet r = s.executeQuery()) {
                List<FinishedRun> out = new ArrayList<>();
                while (r.next()) {
                    Timestamp at = r.getTimestamp(3);
                    out.add(new FinishedRun(r.getString(1), r.getLong(2), at == null ? null : at.toInstant()));
                }
                return out;
            }
        }
    }

    /** The keys of a project's runs that have not ended (queued, running, waiting). */
    public List<String> going(String project) throws SQLException {
        return keys("SELECT run_key FROM runs WHERE project = ? AND status NOT IN " + FINAL + " ORDER BY number", project);
    }

    /** The keys of a project's finished runs. */
    public List<String> finishedOf(String project) throws SQLException {
        return keys("SELECT run_key FROM runs WHERE project = ? AND status IN " + FINAL, project);
    }

    private List<String> keys(String sql, String project) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, project);
            try (ResultSet r = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        }
    }

    /** Deletes a finished run's row (its tasks go with it) and its log streams; false when it was not there. */
    public boolean delete(String key) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM log_streams WHERE run_key = ?")) {
                s.setString(1, key);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM runs WHERE run_key = ? AND status IN " + FINAL)) {
                s.setString(1, key);
                return s.executeUpdate() == 1;
            }
        });
    }
}

package io.stoker.server.run;

import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;
import io.stoker.model.Job;
import io.stoker.model.Task;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs and task states in H2, plain JDBC. Blocking; thread-safe. */
public final class RunRepository {
    private final Database db;

    public RunRepository(Database db) {
        this.db = db;
    }

    /** Inserts a queued run with its next per-job number and a pending row per task; returns the number. */
    public synchronized long insert(NewRun run, Instant now) throws SQLException {
        return db.inTransaction(c -> {
            long number;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM runs WHERE project = ? AND job = ?")) {
                s.setString(1, run.project());
                s.setString(2, run.job().name());
                ResultSet rs = s.executeQuery();
                rs.next();
                number = rs.getLong(1);
            }
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (run_key, project, job, number, trigger_kind, "
                    + "commit_sha, branch, parameters, metadata, model, status, rerun_of, rerun_from, created_at, git_url) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, run.key());
                s.setString(2, run.project());
                s.setString(3, run.job().name());
                s.setLong(4, number);
                s.setString(5, run.trigger());
                s.setString(6, run.commit());
                s.setString(7, run.branch());
                s.setString(8, Json.write(run.parameters()));
                s.setString(9, run.metadata() == null ? null : Json.write(run.metadata()));
                s.setString(10, Json.write(run.job()));
                s.setString(11, run.rerunOf());
                s.setString(12, run.rerunFrom());
                s.setObject(13, time(now));
                s.setString(14, run.gitUrl());
                s.executeUpdate();
                ResultSet keys = s.getGeneratedKeys();
                keys.next();
                id = keys.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO task_states (run_id, name, position, status) VALUES (?, ?, ?, 'pending')")) {
                int i = 0;
                for (Task t : run.job().tasks()) {
                    s.setLong(1, id);
                    s.setString(2, t.name());
                    s.setInt(3, i++);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return number;
        });
    }

    public Optional<RunRow> find(String key) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM runs WHERE run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            return Optional.of(row(rs, tasks(c, rs.getLong("id"))));
        }
    }

    /** The run numbered {@code number} of a project's job (numbers count per job from 1). */
    public Optional<RunRow> find(String project, String job, long number) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM runs WHERE project = ? AND job = ? AND number = ?")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setLong(3, number);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            return Optional.of(row(rs, tasks(c, rs.getLong("id"))));
        }
    }

    /** The compiled job a run was queued with. */
    public Optional<Job> model(String key) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT model FROM runs WHERE run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(Json.job(rs.getString(1))) : Optional.empty();
        }
    }

    /** A page of runs, newest first, without their tasks; and the total count matching. */
    public Page list(RunFilter f) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (f.project() != null) { where.append(" AND project = ?"); args.add(f.project()); }
        if (f.job() != null) { where.append(" AND job = ?"); args.add(f.job()); }
        if (f.status() != null) { where.append(" AND status = ?"); args.add(f.status()); }
        if (f.branch() != null) { where.append(" AND branch = ?"); args.add(f.branch()); }
        try (Connection c = db.connection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM runs" + where)) {
                for (int i = 0; i < args.size(); i++) s.setString(i + 1, args.get(i));
                ResultSet rs = s.executeQuery();
                rs.next();
                total = rs.getLong(1);
            }
            List<RunRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM runs" + where + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                int i = 0;
                for (; i < args.size(); i++) s.setString(i + 1, args.get(i));
                s.setInt(i + 1, f.pageSize());
                s.setLong(i + 2, (long) (f.page() - 1) * f.pageSize());
                ResultSet rs = s.executeQuery();
                while (rs.next()) rows.add(row(rs, List.of()));
            }
            return new Page(rows, total);
        }
    }

    /** One page of runs and how many match in all. */
    public record Page(List<RunRow> runs, long total) {
    }

    /** Keys of queued runs, oldest first. */
    public List<String> queuedKeys() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs WHERE status = 'queued' ORDER BY id")) {
            ResultSet rs = s.executeQuery();
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    /** How many runs of a job are queued or running. */
    public int active(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM runs WHERE project = ? AND job = ? AND status IN ('queued', 'running')")) {
            s.setString(1, project);
            s.setString(2, job);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The newest run's status of every job that has run: "project/job" → status. */
    public Map<String, String> lastStatuses() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT r.project, r.job, r.status FROM runs r JOIN (SELECT project, job, MAX(id) AS id FROM runs "
                        + "GROUP BY project, job) m ON r.id = m.id")) {
            ResultSet rs = s.executeQuery();
            Map<String, String> out = new LinkedHashMap<>();
            while (rs.next()) out.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
            return out;
        }
    }

    /** Moves a run from {@code from} to {@code to}; false when it was not in {@code from} any more. */
    public boolean transition(String key, String from, String to, String reason, Instant now) throws SQLException {
        String stamp = to.equals("running") ? ", started_at = ?" : ", finished_at = ?";
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE runs SET status = ?, reason = ?" + stamp + " WHERE run_key = ? AND status = ?")) {
            s.setString(1, to);
            s.setString(2, reason == null ? "" : reason);
            s.setObject(3, time(now));
            s.setString(4, key);
            s.setString(5, from);
            boolean changed = s.executeUpdate() > 0;
            if (changed && !to.equals("running")) {
                try (PreparedStatement t = c.prepareStatement("UPDATE task_states SET status = 'cancelled', "
                        + "reason = ? WHERE run_id = (SELECT id FROM runs WHERE run_key = ?) AND status = 'pending'")) {
                    t.setString(1, reason == null ? "" : reason);
                    t.setString(2, key);
                    t.executeUpdate();
                }
            }
            return changed;
        }
    }

    /**
     * After a crash or restart: runs left {@code running} fail with the reason "server restarted" (their unfinished
     * tasks with them), except those in {@code requeue}, which are queued again with fresh tasks. Returns the keys
     * that failed.
     */
    public List<String> recover(Instant now, java.util.function.Predicate<String> requeue) throws SQLException {
        return db.inTransaction(c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs WHERE status = 'running'")) {
                ResultSet rs = s.executeQuery();
                while (rs.next()) keys.add(rs.getString(1));
            }
            List<String> failed = new ArrayList<>();
            for (String key : keys) {
                boolean again = requeue.test(key);
                try (PreparedStatement s = c.prepareStatement(again
                        ? "UPDATE runs SET status = 'queued', reason = 'server restarted: queued again', started_at = NULL WHERE run_key = ?"
                        : "UPDATE runs SET status = 'failed', reason = 'server restarted', finished_at = ? WHERE run_key = ?")) {
                    if (again) s.setString(1, key);
                    else {
                        s.setObject(1, time(now));
                        s.setString(2, key);
                    }
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement(again
                        ? "UPDATE task_states SET status = 'pending', exit_code = NULL, attempts = 0, outputs = '{}', "
                        + "reason = '', started_at = NULL, finished_at = NULL WHERE run_id = (SELECT id FROM runs WHERE run_key = ?)"
                        : "UPDATE task_states SET status = CASE WHEN status = 'pending' OR status = 'queued' THEN 'cancelled' "
                        + "ELSE 'failed' END, reason = 'server restarted', finished_at = COALESCE(finished_at, ?) "
                        + "WHERE run_id = (SELECT id FROM runs WHERE run_key = ?) AND status IN ('pending', 'queued', 'running')")) {
                    if (again) s.setString(1, key);
                    else {
                        s.setObject(1, time(now));
                        s.setString(2, key);
                    }
                    s.executeUpdate();
                }
                if (!again) failed.add(key);
            }
            return failed;
        });
    }

    /** Saves the engine's view of a run: its status and every task's state. */
    public void save(RunRecord run) throws SQLException {
        db.inTransaction(c -> {
            long id;
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM runs WHERE run_key = ?")) {
                s.setString(1, run.key());
                ResultSet rs = s.executeQuery();
                if (!rs.next()) return null;
                id = rs.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET status = ?, reason = ?, "
                    + "started_at = COALESCE(?, started_at), finished_at = ? WHERE id = ?")) {
                s.setString(1, run.state().label());
                s.setString(2, run.reason());
                s.setObject(3, time(run.startedAt()));
                s.setObject(4, time(run.endedAt()));
                s.setLong(5, id);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("MERGE INTO task_states (run_id, name, position, status, "
                    + "exit_code, attempts, outputs, reason, log_path, artifact_path, started_at, finished_at) "
                    + "KEY (run_id, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 0;
                for (TaskRecord t : run.tasks().values()) {
                    s.setLong(1, id);
                    s.setString(2, t.name());
                    s.setInt(3, i++);
                    s.setString(4, t.state().label());
                    if (t.exitCode() == null) s.setNull(5, Types.INTEGER);
                    else s.setInt(5, t.exitCode());
                    s.setInt(6, t.attempts());
                    s.setString(7, Json.write(t.outputs()));
                    s.setString(8, t.outcome() == null ? "" : t.outcome().reason());
                    s.setString(9, t.log());
                    s.setString(10, t.artifacts());
                    s.setObject(11, time(t.startedAt()));
                    s.setObject(12, time(t.endedAt()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /** Every run key, for the engine's store port. */
    public List<String> keys() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs ORDER BY id")) {
            ResultSet rs = s.executeQuery();
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    private static List<TaskRow> tasks(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM task_states WHERE run_id = ? ORDER BY position")) {
            s.setLong(1, runId);
            ResultSet rs = s.executeQuery();
            List<TaskRow> out = new ArrayList<>();
            while (rs.next()) {
                int exit = rs.getInt("exit_code");
                out.add(new TaskRow(rs.getString("name"), rs.getString("status"), rs.wasNull() ? null : exit,
                        rs.getInt("attempts"), Json.map(rs.getString("outputs")), rs.getString("reason"),
                        rs.getString("log_path"), rs.getString("artifact_path"),
                        instant(rs, "started_at"), instant(rs, "finished_at")));
            }
            return out;
        }
    }

    private static RunRow row(ResultSet rs, List<TaskRow> tasks) throws SQLException {
        return new RunRow(rs.getLong("id"), rs.getString("run_key"), rs.getLong("number"), rs.getString("project"),
                rs.getString("job"), rs.getString("trigger_kind"), rs.getString("git_url"), rs.getString("commit_sha"), rs.getString("branch"),
                Json.map(rs.getString("parameters")), Json.value(rs.getString("metadata")), rs.getString("status"),
                rs.getString("reason"), rs.getString("rerun_of"), rs.getString("rerun_from"),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"), tasks);
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

package io.stoker.server.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.stoker.model.Diagnostic;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link JobfileProblem}s in the store, one per project and ref, plain JDBC. A project's go with it (the rows
 * reference it). Blocking.
 */
public final class JobfileProblems {
    private static final String DUPLICATE_KEY = "23505";
    private static final TypeReference<List<Diagnostic>> DIAGNOSTICS = new TypeReference<>() {
    };

    private final Database db;

    public JobfileProblems(Database db) {
        this.db = db;
    }

    /**
     * Keeps {@code problem} as its ref's latest, in place of the one before; true when the ref had none of that
     * commit (a new problem to tell of), false when it was recorded already (the same push seen twice, or a poll
     * and a push of one commit: the first finding, and its time, stay) or the project is gone.
     */
    public boolean record(JobfileProblem problem) throws SQLException {
        try {
            return db.inTransaction(c -> {
                String before = null;
                try (PreparedStatement s = c.prepareStatement("SELECT p.commit_sha FROM jobfile_problems p JOIN "
                        + "projects j ON j.id = p.project_id WHERE j.name = ? AND p.git_ref = ?")) {
                    s.setString(1, problem.project());
                    s.setString(2, problem.ref());
                    ResultSet rs = s.executeQuery();
                    if (rs.next()) before = rs.getString(1);
                }
                if (problem.commit().equals(before)) return false;
                delete(c, problem.project(), problem.ref());
                try (PreparedStatement s = c.prepareStatement("INSERT INTO jobfile_problems (project_id, git_ref, "
                        + "commit_sha, file_name, found_at, diagnostics) SELECT id, ?, ?, ?, ?, ? FROM projects "
                        + "WHERE name = ?")) {
                    s.setString(1, problem.ref());
                    s.setString(2, problem.commit());
                    s.setString(3, problem.file());
                    s.setObject(4, ProjectRepository.time(problem.at()));
                    s.setString(5, Json.write(problem.diagnostics()));
                    s.setString(6, problem.project());
                    return s.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            // the same problem recorded beside this one (a push and a poll of one commit): it is there
            if (DUPLICATE_KEY.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    /** Forgets the ref's problem (its Jobfile compiles now, or the ref is gone); true when there was one. */
    public boolean clear(String project, String ref) throws SQLException {
        try (Connection c = db.connection()) {
            return delete(c, project, ref) > 0;
        }
    }

    private static int delete(Connection c, String project, String ref) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM jobfile_problems WHERE git_ref = ? AND project_id "
                + "IN (SELECT id FROM projects WHERE name = ?)")) {
            s.setString(1, ref);
            s.setString(2, project);
            return s.executeUpdate();
        }
    }

    /** The project's problems, newest first; {@code null} for every project's. */
    public List<JobfileProblem> of(String project) throws SQLException {
        String sql = "SELECT j.name, p.git_ref, p.commit_sha, p.file_name, p.found_at, p.diagnostics FROM "
                + "jobfile_problems p JOIN projects j ON j.id = p.project_id"
                + (project == null ? "" : " WHERE j.name = ?") + " ORDER BY p.found_at DESC, p.git_ref";
        List<JobfileProblem> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (project != null) s.setString(1, project);
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                out.add(new JobfileProblem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        ProjectRepository.instant(rs, "found_at"), diagnostics(rs.getString(6))));
            }
        }
        return out;
    }

    private static List<Diagnostic> diagnostics(String json) {
        try {
            return Json.mapper().readValue(json, DIAGNOSTICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored Jobfile diagnostics are unreadable", e);
        }
    }
}

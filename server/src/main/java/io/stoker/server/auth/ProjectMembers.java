package io.stoker.server.auth;

import io.stoker.server.Refused;
import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.stoker.server.auth.UserRepository.time;

/**
 * Who may change a project: its members. A project's creator becomes one; members and admins add and remove
 * others. Rows go with their project or user (foreign keys), so a project made again under an old name starts
 * without members. Blocking.
 */
public final class ProjectMembers {
    private final Database db;

    public ProjectMembers(Database db) {
        this.db = db;
    }

    /** Whether {@code username} is a member of {@code project}. */
    public boolean isMember(String project, String username) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT 1 FROM project_members m "
                + "JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.username = ?")) {
            s.setString(1, project);
            s.setString(2, username);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Whether the project exists (membership of a missing project is a 404, decided by its route). */
    public boolean projectExists(String project) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT 1 FROM projects WHERE name = ?")) {
            s.setString(1, project);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The projects {@code username} is a member of, by name. */
    public List<String> projectsOf(String username) throws SQLException {
        return names("SELECT p.name FROM project_members m JOIN projects p ON p.id = m.project_id WHERE m.username = ? "
                + "ORDER BY p.name", username);
    }

    /** The project's members, by name. */
    public List<String> members(String project) throws SQLException {
        if (!projectExists(project)) throw new Refused.NotFound("no project '" + project + "'");
        return names("SELECT m.username FROM project_members m JOIN projects p ON p.id = m.project_id WHERE p.name = ? "
                + "ORDER BY m.username", project);
    }

    /** The first column of what {@code sql} selects with its one parameter. */
    private List<String> names(String sql, String parameter) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        }
    }

    /** Adds a member; false when already one. 404 when project or user does not exist. */
    public boolean add(String project, String username, Instant now) throws SQLException {
        if (!projectExists(project)) throw new Refused.NotFound("no project '" + project + "'");
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO project_members "
                + "(project_id, username, added_at) SELECT p.id, u.username, ? FROM projects p, users u "
                + "WHERE p.name = ? AND u.username = ? AND NOT EXISTS (SELECT 1 FROM project_members m "
                + "WHERE m.project_id = p.id AND m.username = u.username)")) {
            s.setObject(1, time(now));
            s.setString(2, project);
            s.setString(3, username);
            if (s.executeUpdate() > 0) return true;
        }
        if (!isMember(project, username)) throw new Refused.NotFound("no user '" + username + "'");
        return false;
    }

    /** Removes a member; false when not one. */
    public boolean remove(String project, String username) throws SQLException {
        if (!projectExists(project)) throw new Refused.NotFound("no project '" + project + "'");
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("DELETE FROM project_members "
                + "WHERE username = ? AND project_id = (SELECT id FROM projects WHERE name = ?)")) {
            s.setString(1, username);
            s.setString(2, project);
            return s.executeUpdate() > 0;
        }
    }
}

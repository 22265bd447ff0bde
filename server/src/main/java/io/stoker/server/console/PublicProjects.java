package io.stoker.server.console;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** Projects whose job badges anyone may read without a token (a README on a public forge embeds them). */
public final class PublicProjects {
    private final Database db;

    public PublicProjects(Database db) {
        this.db = db;
    }

    public boolean isPublic(String project) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM public_projects WHERE project = ?")) {
            s.setString(1, project);
            return s.executeQuery().next();
        }
    }

    public Set<String> all() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT project FROM public_projects")) {
            var rs = s.executeQuery();
            Set<String> out = new HashSet<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    public void set(String project, boolean on) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(on
                ? db.dialect().upsert("public_projects", "project", "project")
                : "DELETE FROM public_projects WHERE project = ?")) {
            s.setString(1, project);
            s.executeUpdate();
        }
    }

    /** A deleted project's flag goes with it: the table is keyed by name, and a new project may take the name. */
    public void forget(String project) throws SQLException {
        set(project, false);
    }
}

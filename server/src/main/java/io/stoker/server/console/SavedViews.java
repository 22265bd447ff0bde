package io.stoker.server.console;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A user's saved job views (Jenkins' "New View"): a name and a filter text matched against project/job names. */
public final class SavedViews {
    public record View(String name, String filter) {
    }

    private final Database db;

    public SavedViews(Database db) {
        this.db = db;
    }

    public List<View> of(String owner) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT name, filter FROM saved_views WHERE owner = ? ORDER BY created_at, name")) {
            s.setString(1, owner);
            ResultSet rs = s.executeQuery();
            List<View> out = new ArrayList<>();
            while (rs.next()) out.add(new View(rs.getString(1), rs.getString(2)));
            return out;
        }
    }

    public void save(String owner, View view, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                db.dialect().upsert("saved_views", "owner, name, filter, created_at", "owner, name"))) {
            s.setString(1, owner);
            s.setString(2, view.name());
            s.setString(3, view.filter());
            s.setTimestamp(4, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    public boolean delete(String owner, String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM saved_views WHERE owner = ? AND name = ?")) {
            s.setString(1, owner);
            s.setString(2, name);
            return s.executeUpdate() > 0;
        }
    }
}

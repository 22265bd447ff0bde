package io.stoker.server.secret;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stoker.server.Problem;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets table: values sealed by {@link SecretBox} with the scope and name as associated data, Vault
 * references as path and key. Blocking (JDBC): call it from a worker thread. Refusals are {@link Problem}s:
 * unknown project 404, existing secret 409, missing secret 404.
 */
public final class SecretStore {
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    /** SQLSTATE of a unique key violation (H2 and PostgreSQL alike; PostgreSQL's driver has no subclass for it). */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;
    private final SecretBox box;
    private final Clock clock;

    public SecretStore(Database db, SecretBox box, Clock clock) {
        this.db = db;
        this.box = box;
        this.clock = clock;
    }

    /** Stores a new secret; 409 when one of that name exists in that scope. */
    public SecretInfo create(SecretInput in, String actor) throws SQLException {
        try {
            return insert(in, actor);
        } catch (SQLException e) {
            // two creates of one name at once: the unique key let one in; the other gets the same 409 as if serial
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) throw exists(in);
            throw e;
        }
    }

    private SecretInfo insert(SecretInput in, String actor) throws SQLException {
        return db.inTransaction(c -> {
            Long projectId = projectId(c, in.scope());
            checkGrants(c, in.grants());
            if (row(c, in.scope(), in.name()).isPresent()) throw exists(in);
            Instant now = clock.instant();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO secrets (scope, project_id, name, sealed_value,"
                    + " vault_path, vault_key, grants, created_at, updated_at, created_by, updated_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, in.scope().key());
                if (projectId == null) s.setNull(2, Types.BIGINT);
                else s.setLong(2, projectId);
                s.setString(3, in.name());
                source(s, 4, in);
                s.setString(7, in.grants() == null ? null : Json.write(in.grants()));
                s.setTimestamp(8, Timestamp.from(now));
                s.setTimestamp(9, Timestamp.from(now));
                s.setString(10, actor);
                s.setString(11, actor);
                s.executeUpdate();
            }
            return row(c, in.scope(), in.name()).orElseThrow();
        });
    }

    /**
     * Replaces the value (or Vault reference) of an existing secret; 404 when there is none. Grants change only
     * when {@code replaceGrants}; otherwise a rotated value keeps who may read it.
     */
    public SecretInfo replace(SecretInput in, boolean replaceGrants, String actor) throws SQLException {
        return db.inTransaction(c -> {
            projectId(c, in.scope());
            if (replaceGrants) checkGrants(c, in.grants());
            if (row(c, in.scope(), in.name()).isEmpty()) throw missing(in.scope(), in.name());
            try (PreparedStatement s = c.prepareStatement("UPDATE secrets SET sealed_value = ?, vault_path = ?,"
                    + " vault_key = ?, updated_at = ?, updated_by = ?" + (replaceGrants ? ", grants = ?" : "")
                    + " WHERE scope = ? AND name = ?")) {
                source(s, 1, in);
                s.setTimestamp(4, Timestamp.from(clock.instant()));
                s.setString(5, actor);
                int i = 6;
                if (replaceGrants) s.setString(i++, in.grants() == null ? null : Json.write(in.grants()));
                s.setString(i++, in.scope().key());
                s.setString(i, in.name());
                s.executeUpdate();
            }
            return row(c, in.scope(), in.name()).orElseThrow();
        });
    }

    /**
     * Changes only who may read global secret {@code name} ({@code grants} null: every project), its value or Vault
     * reference untouched: changing a grant must not need the value, which is never shown. 404 when there is none.
     */
    public SecretInfo grant(String name, List<String> grants, String actor) throws SQLException {
        return db.inTransaction(c -> {
            checkGrants(c, grants);
            if (row(c, SecretScope.GLOBAL, name).isEmpty()) throw missing(SecretScope.GLOBAL, name);
            try (PreparedStatement s = c.prepareStatement("UPDATE secrets SET grants = ?, updated_at = ?, updated_by = ?"
                    + " WHERE scope = ? AND name = ?")) {
                s.setString(1, grants == null ? null : Json.write(grants));
                s.setTimestamp(2, Timestamp.from(clock.instant()));
                s.setString(3, actor);
                s.setString(4, SecretScope.GLOBAL.key());
                s.setString(5, name);
                s.executeUpdate();
            }
            return row(c, SecretScope.GLOBAL, name).orElseThrow();
        });
    }

    /** Deletes a secret; 404 when there is none. */
    public void delete(SecretScope scope, String name) throws SQLException {
        try (Connection c = db.connection()) {
            projectId(c, scope);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM secrets WHERE scope = ? AND name = ?")) {
                s.setString(1, scope.key());
                s.setString(2, name);
                if (s.executeUpdate() == 0) throw missing(scope, name);
            }
        }
    }

    /** The secrets of one scope, by name; 404 for an unknown project. */
    public List<SecretInfo> list(SecretScope scope) throws SQLException {
        try (Connection c = db.connection()) {
            projectId(c, scope);
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM secrets WHERE scope = ? ORDER BY name")) {
                s.setString(1, scope.key());
                List<SecretInfo> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) out.add(info(r));
                }
                return out;
            }
        }
    }

    /** One secret's description, or empty. */
    public Optional<SecretInfo> find(SecretScope scope, String name) throws SQLException {
        try (Connection c = db.connection()) {
            return row(c, scope, name);
        }
    }

    /**
     * The source of secret {@code name} as project {@code project} may read it: the project's own secret, else a
     * global one that grants it (no grant list: every project), else empty.
     */
    public Optional<Readable> readable(String project, String name) throws SQLException, SecretUnreadableException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM secrets WHERE name = ? AND scope IN (?, ?)"
                     + " ORDER BY CASE WHEN scope = 'global' THEN 1 ELSE 0 END")) {
            s.setString(1, name);
            s.setString(2, SecretScope.of(project).key());
            s.setString(3, SecretScope.GLOBAL.key());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    SecretInfo info = info(r);
                    if (!info.readableBy(project)) continue;
                    return Optional.of(new Readable(info, open(r, info)));
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Throws when {@code box}'s master key cannot open the oldest secret stored in the database (none stored, or only
     * Vault references: nothing to compare). In a cluster that means a server with a master key of its own (a data
     * directory of its own): every run it claimed that needs a secret would fail.
     */
    public void requireSameMasterKey(String keySource) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM secrets WHERE sealed_value IS NOT NULL ORDER BY id")) {
            s.setMaxRows(1);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return;
                SecretInfo info = info(r);
                try {
                    open(r, info);
                } catch (SecretUnreadableException e) {
                    throw new IllegalStateException("the master key " + keySource + " does not open the secrets the"
                            + " other servers of the cluster stored (" + info.scope().label() + " secret '" + info.name()
                            + "'): " + MasterKey.SAME_ON_EVERY_SERVER);
                }
            }
        }
    }

    /** A secret a project may read, with its source opened. */
    public record Readable(SecretInfo info, SecretSource source) {
    }

    private SecretSource open(ResultSet r, SecretInfo info) throws SQLException, SecretUnreadableException {
        if (info.vault() != null) return info.vault();
        byte[] sealed = r.getBytes("sealed_value");
        try {
            return new SecretSource.Value(box.openText(sealed, info.scope().context(info.name())));
        } catch (SecretUnreadableException e) {
            throw new SecretUnreadableException(info.scope().label() + " secret '" + info.name() + "' "
                    + e.getMessage());
        }
    }

    private void source(PreparedStatement s, int at, SecretInput in) throws SQLException {
        switch (in.source()) {
            case SecretSource.Value v -> {
                s.setBytes(at, box.sealText(v.value(), in.scope().context(in.name())));
                s.setString(at + 1, null);
                s.setString(at + 2, null);
            }
            case SecretSource.VaultRef ref -> {
                s.setBytes(at, null);
                s.setString(at + 1, ref.path());
                s.setString(at + 2, ref.key());
            }
        }
    }

    private static Optional<SecretInfo> row(Connection c, SecretScope scope, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM secrets WHERE scope = ? AND name = ?")) {
            s.setString(1, scope.key());
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(info(r)) : Optional.empty();
            }
        }
    }

    /**
     * Takes a deleted project's name out of every global secret's grants: a new project of the same name (anyone
     * with the developer role may make one) must not read what was granted to the old one. Returns how many changed.
     */
    public int dropGrantsOf(String project) throws SQLException {
        return db.inTransaction(c -> {
            Map<Long, List<String>> changed = new java.util.LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, grants FROM secrets WHERE grants IS NOT NULL");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<String> grants = new ArrayList<>(read(r.getString(2)));
                    if (grants.remove(project)) changed.put(r.getLong(1), grants);
                }
            }
            for (var e : changed.entrySet()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE secrets SET grants = ? WHERE id = ?")) {
                    s.setString(1, Json.write(e.getValue())); // an empty list: no project, not every one
                    s.setLong(2, e.getKey());
                    s.executeUpdate();
                }
            }
            return changed.size();
        });
    }

    private static SecretInfo info(ResultSet r) throws SQLException {
        String scopeKey = r.getString("scope");
        SecretScope scope = scopeKey.equals("global") ? SecretScope.GLOBAL
                : SecretScope.of(scopeKey.substring("project:".length()));
        String path = r.getString("vault_path");
        String grants = r.getString("grants");
        return new SecretInfo(r.getString("name"), scope,
                path == null ? null : new SecretSource.VaultRef(path, r.getString("vault_key")),
                grants == null ? null : read(grants),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant(),
                r.getString("created_by"), r.getString("updated_by"));
    }

    private static List<String> read(String json) {
        try {
            return Json.mapper().readValue(json, NAMES);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored grants are not a JSON list: " + e.getMessage(), e);
        }
    }

    /** The scope's project's id (null: global); a 404 naming the field {@code project} when there is none. */
    private static Long projectId(Connection c, SecretScope scope) throws SQLException {
        return projectId(c, scope, "project");
    }

    private static Long projectId(Connection c, SecretScope scope, String field) throws SQLException {
        if (scope.isGlobal()) return null;
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            s.setString(1, scope.project());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) throw Problem.notFound("no project '" + scope.project() + "'", "field: " + field);
                return r.getLong(1);
            }
        }
    }

    private static void checkGrants(Connection c, List<String> grants) throws SQLException {
        if (grants == null) return;
        for (String p : grants) {
            if (p == null) throw Problem.badRequest("'projects' must list project names", "field: projects");
            projectId(c, SecretScope.of(p), "projects");
        }
    }

    private static Problem exists(SecretInput in) {
        return Problem.conflict("exists", "a " + in.scope().label() + " secret named '" + in.name() + "'"
                + where(in.scope()) + " exists already; replace it with PUT /api/v1/secrets/" + in.name()
                + (in.scope().isGlobal() ? "" : "?project=" + in.scope().project()));
    }

    private static Problem missing(SecretScope scope, String name) {
        return Problem.notFound("no " + scope.label() + " secret named '" + name + "'" + where(scope));
    }

    private static String where(SecretScope scope) {
        return scope.isGlobal() ? "" : " in project '" + scope.project() + "'";
    }
}

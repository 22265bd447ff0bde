package io.stoker.server.agent;

import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.OpaqueTokens;
import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tokens pull agents connect with: created and revoked by admins (audited), stored as SHA-256 hashes in
 * {@code agent_tokens}, good for nothing but {@code /api/v1/agents/connect}. Blocking (JDBC).
 */
public final class AgentTokens {
    /** Prefix of agent tokens, so people and scanners can tell one from an API token ({@code stk_}). */
    static final String PREFIX = "stka_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    public AgentTokens(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** Makes a token; 400 for a bad name, 409 when the name is taken. */
    public NewAgentToken create(String name, String actor) throws SQLException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Problem.badRequest("name: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    "field: name");
        }
        String token = OpaqueTokens.generate(PREFIX);
        Instant now = clock.instant();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO agent_tokens (name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, OpaqueTokens.hash(token));
            s.setString(3, actor);
            s.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) throw Problem.conflict("exists", "agent token '" + name + "' exists already");
            throw e;
        }
        audit.record(actor, "agent-token.created", name, Map.of());
        return new NewAgentToken(new AgentToken(name, actor, now, null), token);
    }

    public List<AgentToken> list() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT name, created_by, created_at, last_used_at FROM agent_tokens ORDER BY name");
             ResultSet r = s.executeQuery()) {
            List<AgentToken> out = new ArrayList<>();
            while (r.next()) out.add(new AgentToken(r.getString(1), r.getString(2), instant(r, 3), instant(r, 4)));
            return out;
        }
    }

    /** Revokes a token: agents that present it are refused from now on (connected ones keep their connection). */
    public void revoke(String name, String actor) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM agent_tokens WHERE name = ?")) {
            s.setString(1, name);
            if (s.executeUpdate() == 0) throw Problem.notFound("no agent token '" + name + "'");
        }
        audit.record(actor, "agent-token.revoked", name, Map.of());
    }

    /** The name of the token presented as {@code Authorization: Bearer …}; 401 when it is missing or unknown. */
    public String authenticate(String authorization) throws SQLException {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (token == null || !token.startsWith(PREFIX)) {
            throw AuthService.unauthorized("an agent token is required (Authorization: Bearer stka_…)");
        }
        Instant now = clock.instant();
        try (Connection c = db.connection()) {
            String name;
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM agent_tokens WHERE token_hash = ?")) {
                s.setString(1, OpaqueTokens.hash(token));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) throw AuthService.unauthorized("the agent token is unknown or was revoked");
                    name = r.getString(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE agent_tokens SET last_used_at = ? WHERE name = ?")) {
                s.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                s.setString(2, name);
                s.executeUpdate();
            }
            return name;
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

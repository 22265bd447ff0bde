package io.stoker.server.auth;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

import static io.stoker.server.auth.UserRepository.time;

/**
 * The addresses each user logged in from successfully in the last {@link #LIFETIME}, in the
 * {@code known_login_addresses} table (so a restart and every server of a cluster know them): from those, the user
 * name's lockout does not apply. Read only while a user name is locked out, written at each good login; both block.
 */
final class KnownAddresses {
    static final Duration LIFETIME = Duration.ofDays(30);

    private final Database db;
    private final Clock clock;

    KnownAddresses(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** {@code username} logged in from {@code address} now; their addresses older than {@link #LIFETIME} go. */
    void remember(String username, String address) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement s = c.prepareStatement(db.dialect().upsert("known_login_addresses",
                    "username, address, last_login_at", "username, address"))) {
                s.setString(1, username);
                s.setString(2, address);
                s.setObject(3, time(clock.instant()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM known_login_addresses WHERE username = ? AND last_login_at < ?")) {
                s.setString(1, username);
                s.setObject(2, time(clock.instant().minus(LIFETIME)));
                s.executeUpdate();
            }
        }
    }

    /** Whether {@code username} logged in from {@code address} in the last {@link #LIFETIME}. */
    boolean known(String username, String address) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM known_login_addresses"
                     + " WHERE username = ? AND address = ? AND last_login_at >= ?")) {
            s.setString(1, username);
            s.setString(2, address);
            s.setObject(3, time(clock.instant().minus(LIFETIME)));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}

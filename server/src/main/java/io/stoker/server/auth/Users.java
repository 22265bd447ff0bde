package io.stoker.server.auth;

import io.stoker.server.Refused;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.db.Database;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * People management: create, list, delete, disable, enable, change role and password. Every change goes through
 * here, so an in-memory copy of the users table stays exact and lets the authentication middleware check "still
 * exists, enabled, which role" on every request without a query. In a cluster every change is told to the other
 * servers ({@code saved}), which read that user again ({@link #reload}). Blocking (database, password hashing).
 */
public final class Users {
    /** Lower-case letters, digits, '.', '_', '-'; 1 to 64, starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 256;
    /** The user the first start creates. */
    public static final String ADMIN = "admin";

    private final UserRepository repo;
    private final TokenRepository tokens;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, User> cache = new ConcurrentHashMap<>();
    /** Told the name of each user this server created, changed or deleted (the other servers of a cluster). */
    private final java.util.function.Consumer<String> saved;
    private final java.util.concurrent.ExecutorService reloads = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("stoker-users-reload").factory());
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Users.class);
    /** Verified against when the user does not exist, so an unknown name costs the same time as a wrong password. */
    private final String dummyHash;

    Users(Database db, PasswordHasher hasher, AuditLog audit, Clock clock, java.util.function.Consumer<String> saved)
            throws SQLException {
        this.repo = new UserRepository(db);
        this.saved = saved;
        this.tokens = new TokenRepository(db);
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
        for (User u : repo.all()) cache.put(u.username(), u);
        this.dummyHash = hasher.unmatchable();
    }

    /**
     * On a server without users, creates {@code admin} with {@code password} (or a random one when null) and
     * returns the password to show once; empty when users exist.
     */
    public synchronized Optional<String> createFirstAdmin(String password) throws SQLException {
        if (!cache.isEmpty() || !repo.all().isEmpty()) return Optional.empty();
        String pw = password != null ? password : randomPassword();
        checkPassword(pw);
        Instant now = now();
        User admin = new User(ADMIN, Role.ADMIN, true, now, now);
        if (!repo.insert(admin, hasher.hash(pw))) {
            // another server of the cluster, starting at the same moment, made it first: its password is the one
            reload(ADMIN);
            return Optional.empty();
        }
        cache.put(ADMIN, admin);
        saved.accept(ADMIN);
        audit.record("-", "user.created", ADMIN, Map.of("role", "admin", "reason", "first start"));
        return Optional.of(pw);
    }

    /** The user as last stored, from memory. */
    public Optional<User> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(cache.get(username));
    }

    public User get(String username) {
        return find(username).orElseThrow(() -> new Refused.NotFound("no user '" + username + "'"));
    }

    public List<User> list() {
        return cache.values().stream().sorted(java.util.Comparator.comparing(User::username)).toList();
    }

    public synchronized User create(String actor, String username, String password, Role role) throws SQLException {
        if (username == null || !NAME.matcher(username).matches()) {
            throw new Refused.Malformed("'username' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit", "field: username");
        }
        if (password == null) throw new Refused.Malformed("'password' is required", "field: password");
        checkPassword(password);
        if (role == null) throw new Refused.Malformed("'role' is required: admin, developer or viewer", "field: role");
        Instant now = now();
        User u = new User(username, role, true, now, now);
        if (cache.containsKey(username) || !repo.insert(u, hasher.hash(password))) {
            throw new Refused.Conflict("exists", "a user named '" + username + "' exists already",
                    java.util.List.of("field: username"));
        }
        cache.put(username, u);
        saved.accept(username);
        audit.record(actor, "user.created", username, Map.of("role", roleName(role)));
        return u;
    }

    public synchronized void delete(String actor, String username) throws SQLException {
        User u = get(username);
        if (u.username().equals(actor)) throw new Refused.Conflict("self", "you cannot delete yourself");
        requireOtherAdmin(u, "delete");
        keepingAnAdmin(u, "delete", UserRepository.Change.delete(username));
        cache.remove(username);
        saved.accept(username);
        audit.record(actor, "user.deleted", username, Map.of());
    }

    public synchronized User setEnabled(String actor, String username, boolean enabled) throws SQLException {
        User u = get(username);
        if (!enabled) {
            if (u.username().equals(actor)) throw new Refused.Conflict("self", "you cannot disable yourself");
            requireOtherAdmin(u, "disable");
            keepingAnAdmin(u, "disable", UserRepository.Change.disable(username));
        } else {
            repo.setEnabled(username, true);
        }
        if (!enabled) tokens.revokeUser(username, now());
        User changed = new User(u.username(), u.role(), enabled, u.createdAt(), u.sessionsAfter());
        cache.put(username, changed);
        saved.accept(username);
        audit.record(actor, enabled ? "user.enabled" : "user.disabled", username, Map.of());
        return changed;
    }

    public synchronized User setRole(String actor, String username, Role role) throws SQLException {
        User u = get(username);
        if (role == null) throw new Refused.Malformed("'role' is required: admin, developer or viewer", "field: role");
        if (role != Role.ADMIN) {
            requireOtherAdmin(u, "demote");
            keepingAnAdmin(u, "demote", UserRepository.Change.role(username, role));
        } else {
            repo.setRole(username, role);
        }
        User changed = new User(u.username(), role, u.enabled(), u.createdAt(), u.sessionsAfter());
        cache.put(username, changed);
        saved.accept(username);
        audit.record(actor, "user.role", username, Map.of("from", roleName(u.role()), "to", roleName(role)));
        return changed;
    }

    /**
     * Sets a new password (the caller checked the current one where it is asked for: see
     * {@link AuthService#changeOwnPassword}); ends the user's sessions: refresh tokens are revoked and access tokens
     * issued before now refused.
     */
    public synchronized void changePassword(String actor, String username, String newPassword) throws SQLException {
        User u = get(username);
        if (newPassword == null) throw new Refused.Malformed("'password' is required", "field: password");
        checkPassword(newPassword);
        String hash = hasher.hash(newPassword);
        // taken after the slow hashing, so a login with the old password that ran meanwhile is ended too; to the
        // millisecond, as tokens say when they were issued (iat_ms): one issued in this millisecond, after the new
        // password was readable, must pass
        Instant now = now().truncatedTo(ChronoUnit.MILLIS);
        repo.setPassword(username, hash, now);
        tokens.revokeUser(username, now);
        cache.put(username, new User(u.username(), u.role(), u.enabled(), u.createdAt(), now));
        saved.accept(username);
        audit.record(actor, "user.password", username, Map.of());
    }

    /** The user when the password is theirs and they are enabled; the same work is done for unknown names. */
    Optional<User> authenticate(String username, String password) throws SQLException {
        Optional<String> hash = username == null ? Optional.empty() : repo.passwordHash(username);
        boolean ok = hasher.verify(password == null ? "" : password, hash.orElse(dummyHash)) && hash.isPresent();
        if (!ok) return Optional.empty();
        // made through another server of the cluster a moment ago (its news not heard yet): the table says so
        if (find(username).isEmpty()) reload(username);
        return find(username).filter(User::enabled);
    }

    /**
     * Another server of the cluster created, changed or deleted {@code username} (or, null, news may have been lost:
     * every user): reads it again off the caller's thread, in the order heard.
     */
    public void reloadLater(String username) {
        try {
            reloads.execute(() -> {
                try {
                    if (username == null) {
                        reloadAll();
                    } else {
                        reload(username);
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("users: cannot read a change another server made: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // cannot happen: the executor is never shut down (its one thread is a daemon)
        }
    }

    /** Another server of the cluster created, changed or deleted {@code username}: reads it again. */
    synchronized void reload(String username) throws SQLException {
        Optional<User> stored = repo.find(username);
        if (stored.isPresent()) {
            cache.put(username, stored.get());
        } else {
            cache.remove(username);
        }
    }

    /** Reads every user again (news from the other servers may have been lost). */
    synchronized void reloadAll() throws SQLException {
        List<User> stored = repo.all();
        cache.keySet().retainAll(stored.stream().map(User::username).collect(java.util.stream.Collectors.toSet()));
        for (User u : stored) cache.put(u.username(), u);
    }

    private void requireOtherAdmin(User u, String verb) {
        if (u.role() != Role.ADMIN) return;
        long others = cache.values().stream()
                .filter(x -> x.role() == Role.ADMIN && x.enabled() && !x.username().equals(u.username())).count();
        if (others == 0) throw lastAdmin(u, verb);
    }

    /**
     * Makes the change unless the table says it would leave no enabled admin: another server of the cluster may have
     * taken the other admins away a moment ago (its news not heard here yet), or be doing so now.
     */
    private void keepingAnAdmin(User u, String verb, UserRepository.Change change) throws SQLException {
        if (repo.keepingAnAdmin(u.username(), change)) return;
        reloadAll(); // this server's copy was behind
        throw lastAdmin(u, verb);
    }

    private static Refused lastAdmin(User u, String verb) {
        return new Refused.Conflict("last admin", "cannot " + verb + " '" + u.username()
                + "': it is the last enabled admin");
    }

    static void checkPassword(String password) {
        passwordProblem("'password'", password).ifPresent(why -> {
            throw new Refused.Malformed(why, "field: password");
        });
    }

    /**
     * What is wrong with {@code password} as a new one, in a sentence naming {@code field}; empty when nothing is.
     * Whitespace does not count towards the {@link #MIN_PASSWORD} characters: twelve spaces met a length rule and
     * guarded nothing.
     */
    public static Optional<String> passwordProblem(String field, String password) {
        if (password.isBlank()) return Optional.of(field + " must not be blank or only whitespace");
        long counted = password.codePoints().filter(c -> !Character.isWhitespace(c)).count();
        if (counted < MIN_PASSWORD) {
            return Optional.of(field + " must be at least " + MIN_PASSWORD + " characters long, not counting whitespace");
        }
        if (password.length() > MAX_PASSWORD) {
            return Optional.of(field + " must be at most " + MAX_PASSWORD + " characters long");
        }
        return Optional.empty();
    }

    /** Parses a role name from a request. */
    public static Role role(String name) {
        if (name == null) return null;
        return switch (name) {
            case "admin" -> Role.ADMIN;
            case "developer" -> Role.DEVELOPER;
            case "viewer" -> Role.VIEWER;
            default -> throw new Refused.Malformed("'role' must be admin, developer or viewer, not '" + name + "'",
                    "field: role");
        };
    }

    public static String roleName(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private Instant now() {
        return clock.instant();
    }

    private static String randomPassword() {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}

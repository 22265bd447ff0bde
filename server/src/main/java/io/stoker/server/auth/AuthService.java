package io.stoker.server.auth;

import io.stoker.server.Refused;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Identity: logins, access-token refresh and logout, named API tokens, and turning a bearer token into a
 * {@link Principal}. Time comes from the clock given (specs pass a movable one to expire tokens). Methods that
 * touch the database or hash passwords block; {@link #authenticate} returns a future and blocks nothing.
 */
public final class AuthService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthService.class);
    /**
     * Failed logins allowed in {@link #LOGIN_WINDOW} per user name from one address, per address, and per user name
     * from every address (its lockout spares the addresses the user logged in from lately: see {@link LoginLimit}).
     */
    public static final int LOGIN_LIMIT_PER_USER_AND_ADDRESS = 5;
    public static final int LOGIN_LIMIT_PER_ADDRESS = 20;
    public static final int LOGIN_LIMIT_PER_USER = 100;
    public static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);
    public static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    /** How long a download link's ticket may start its download. */
    public static final long DOWNLOAD_TICKET_SECONDS = AccessTokens.DOWNLOAD_LIFETIME.toSeconds();
    public static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    /** The longest life of an API token, in days: ten years. */
    public static final int MAX_TOKEN_DAYS = 3650;

    private final Vertx vertx;
    private final Users users;
    private final TokenRepository tokens;
    private final AccessTokens access;
    private final LoginLimits limits;
    private final RefusedLogins refused;
    private final AuditLog audit;
    private final Clock clock;
    /** Access tokens ended by logout and logins ended for a reused refresh token, until they expire anyway. */
    private final EndedSessions ended;
    /** Download tickets used: each opens its download once. */
    private final UsedTickets usedTickets;

    /**
     * The other servers of a cluster, told what this one changed that they keep in memory: a user (they read it
     * again), an access token ended by logout (they refuse it too), and each failed and good login (they count it
     * too). {@link #NONE} on a lone server.
     */
    public interface Peers {
        Peers NONE = new Peers() {
            @Override
            public void userSaved(String username) {
            }

            @Override
            public void loggedOut(String tokenId, long expiresEpochSecond) {
            }

            @Override
            public void loginFailed(String username, String address) {
            }

            @Override
            public void loginSucceeded(String username, String address) {
            }
        };

        void userSaved(String username);

        void loggedOut(String tokenId, long expiresEpochSecond);

        /** A login here failed ({@code username} clipped to 100 characters). */
        void loginFailed(String username, String address);

        /** {@code username} logged in here from {@code address} (which is stored as a known address already). */
        void loginSucceeded(String username, String address);
    }

    private final Peers peers;

    /** A caller established from a bearer token; {@code tokenId} is the JWT's jti, or null for an API token. */
    public record Authenticated(Principal principal, String tokenId) {
    }

    private AuthService(Vertx vertx, Users users, TokenRepository tokens, AccessTokens access, EndedSessions ended,
                        UsedTickets usedTickets, KnownAddresses known, AuditLog audit, Clock clock, Peers peers) {
        this.vertx = vertx;
        this.ended = ended;
        this.usedTickets = usedTickets;
        this.peers = peers;
        this.users = users;
        this.tokens = tokens;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.limits = new LoginLimits(LOGIN_WINDOW, clock, known);
        this.refused = new RefusedLogins(LOGIN_WINDOW, clock);
    }

    /** Opens the users and tokens of a data directory; makes the signing key file on first start. */
    public static AuthService open(Vertx vertx, Database db, Path dataDir, AuditLog audit, Clock clock)
            throws IOException, SQLException {
        return open(vertx, db, dataDir, audit, clock, Peers.NONE, PasswordHasher.Cost.DEFAULT);
    }

    /**
     * Opens them on a server of a cluster, whose changes are told to {@code peers}; new password hashes have
     * {@code cost}.
     */
    public static AuthService open(Vertx vertx, Database db, Path dataDir, AuditLog audit, Clock clock, Peers peers,
                                   PasswordHasher.Cost cost) throws IOException, SQLException {
        Users users = new Users(db, new PasswordHasher(cost), audit, clock, peers::userSaved);
        return new AuthService(vertx, users, new TokenRepository(db), new AccessTokens(vertx, SigningKey.load(dataDir), clock),
                EndedSessions.load(db, clock), new UsedTickets(db, clock), new KnownAddresses(db, clock), audit, clock,
                peers);
    }

    /** Another server of the cluster ended this access token by a logout: it is refused here too until it expires. */
    public void loggedOutElsewhere(String tokenId, long expiresEpochSecond) {
        ended.heard(tokenId, expiresEpochSecond);
    }

    /**
     * News of sessions ended through the other servers of a cluster may have been lost (the connection that hears
     * them was opened again): reads them from the database, off the caller's thread.
     */
    public void reloadEndedSessionsLater() {
        vertx.executeBlocking(() -> {
            ended.reload();
            return null;
        }, false).onFailure(e -> LOG.warn("cannot read the sessions other servers ended: {}", e.toString()));
    }

    /** A login through another server of the cluster failed: it counts against the limits here too. */
    public void loginFailedElsewhere(String username, String address) {
        limits.failed(clipped(username), address);
    }

    /**
     * {@code username} logged in through another server of the cluster from {@code address}: their failed logins from
     * there are forgotten here too. A server of an older release does not say the address (null): nothing to forget.
     */
    public void loginSucceededElsewhere(String username, String address) {
        if (address != null) limits.succeededElsewhere(clipped(username), address);
    }

    private static String clipped(String username) {
        // no user name is longer, and a megabyte-long one must not become a megabyte-long map key or message
        return username.length() > 100 ? username.substring(0, 100) : username;
    }

    public Users users() {
        return users;
    }

    /** The clock tokens and rate limits follow. */
    public Clock clock() {
        return clock;
    }

    /** Checks the password and gives tokens; 401 "invalid credentials" whatever was wrong, 429 when over the limit. */
    public Tokens login(String username, String password, String address) throws SQLException {
        try (LoginLimits.Attempt attempt = begin(username, address, "-", "login.refused", "too many failed logins")) {
            Optional<User> user = users.authenticate(username, password);
            if (user.isEmpty()) {
                countFailure(username, address, "-", "login.failed", "login.limited");
                throw invalidCredentials();
            }
            return loggedIn(user.get(), address);
        }
    }

    /** A good password: the name's count from this address starts again, and the login gets its tokens. */
    private Tokens loggedIn(User user, String address) throws SQLException {
        String username = user.username();
        limits.succeeded(username, address);
        peers.loginSucceeded(username, address);
        String family = UUID.randomUUID().toString();
        String refresh = OpaqueTokens.generate(OpaqueTokens.REFRESH_PREFIX);
        Instant now = clock.instant();
        tokens.insertRefresh(OpaqueTokens.hash(refresh), family, username, now, now.plus(REFRESH_LIFETIME));
        audit.record(username, "login.ok", username, Map.of("address", address));
        return new Tokens(access.issue(user, family), refresh, AccessTokens.LIFETIME.toSeconds());
    }

    /**
     * Changes the caller's own password. The current one is checked like a login's: a wrong one counts against the
     * same limits (and is audited {@code password.failed}), and over the limit the change is a 429 however right the
     * password given, so a token cannot be used to guess its user's password faster than a login could.
     */
    public void changeOwnPassword(String username, String oldPassword, String newPassword, String address)
            throws SQLException {
        if (newPassword == null) throw new Refused.Malformed("'password' is required", "field: password");
        if (oldPassword == null) {
            throw new Refused.Malformed("'oldPassword' is required to change your own password", "field: oldPassword");
        }
        try (LoginLimits.Attempt attempt = begin(username, address, username, "password.refused",
                "too many wrong passwords")) {
            if (users.authenticate(username, oldPassword).isEmpty()) {
                countFailure(username, address, username, "password.failed", "password.limited");
                throw new Refused.Malformed("'oldPassword' is not your current password", "field: oldPassword");
            }
        }
        users.changePassword(username, username, newPassword);
    }

    /**
     * Starts a check of a password, in flight under the limits until closed; a 429 naming the limit hit while the user
     * name from this address, the address, or the user name (from an address it has not logged in from lately) is
     * over its limit, counting the checks still in flight. A refusal is audited {@code refusedAction} (by
     * {@code actor}, naming the user name and the address; {@code detail.limit} the limit hit) once a window per user
     * name and address: {@code /login} needs no token, so a row per refused request would let anyone flood the log.
     */
    private LoginLimits.Attempt begin(String username, String address, String actor, String refusedAction, String why)
            throws SQLException {
        return switch (limits.begin(clipped(username), address)) {
            case LoginLimits.Start.Begun b -> b.attempt();
            case LoginLimits.Start.Refused r -> {
                if (refused.firstLately(refusedAction, clipped(username), address)) {
                    audit.record(actor, refusedAction, clipped(username),
                            Map.of("address", address, "limit", r.lockout().limit().audited));
                }
                Duration wait = r.lockout().retryAfter();
                throw new Refused.Throttled(why + " for " + r.lockout().limit().locked + "; try again in "
                        + Math.max(1, wait.toSeconds()) + " seconds", wait);
            }
        };
    }

    /**
     * A wrong password counted under every {@link LoginLimit}, here and on cluster peers, and audited {@code action};
     * the failure that starts a lockout is audited {@code limitedAction} too, once per lockout, {@code lockedOut}
     * naming what it locked ("user from address", "address", "user", or several joined by " and ").
     */
    private void countFailure(String username, String address, String actor, String action, String limitedAction) {
        Set<LoginLimit> locked = limits.failed(clipped(username), address);
        peers.loginFailed(clipped(username), address);
        audit.record(actor, action, username, Map.of("address", address));
        if (!locked.isEmpty()) {
            audit.record(actor, limitedAction, username, Map.of("address", address, "lockedOut",
                    locked.stream().map(l -> l.audited).collect(Collectors.joining(" and "))));
        }
    }

    /**
     * Trades a refresh token for new tokens; the old one is revoked. A revoked token presented again means it
     * was copied: the whole family (every token descended from that login) is revoked.
     */
    public Tokens refresh(String refreshToken, String address) throws SQLException {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new Refused.Malformed("'refreshToken' is required", "field: refreshToken");
        }
        Instant now = clock.instant();
        TokenRepository.Refresh old = tokens.refresh(OpaqueTokens.hash(refreshToken)).orElseThrow(AuthService::invalidRefresh);
        if (old.revokedAt() != null) {
            int n = tokens.revokeFamily(old.family(), now);
            endSession(old.family(), now);
            audit.record(old.username(), "token.refresh.reused", old.username(),
                    Map.of("address", address, "revoked", n));
            throw invalidRefresh();
        }
        Optional<User> user = users.find(old.username()).filter(User::enabled);
        if (!old.expiresAt().isAfter(now) || user.isEmpty()) throw invalidRefresh();
        String next = OpaqueTokens.generate(OpaqueTokens.REFRESH_PREFIX);
        if (!tokens.rotate(old, OpaqueTokens.hash(next), now, now.plus(REFRESH_LIFETIME))) {
            // lost a race with another use of the same token: treat as reuse
            tokens.revokeFamily(old.family(), now);
            endSession(old.family(), now);
            throw invalidRefresh();
        }
        audit.record(old.username(), "token.refreshed", old.username(), Map.of("address", address));
        return new Tokens(access.issue(user.get(), old.family()), next, AccessTokens.LIFETIME.toSeconds());
    }

    /**
     * Ends a session: the presented access token stops working, and the given refresh token's family (or, without
     * one, every refresh token of the caller) is revoked.
     */
    public void logout(Authenticated caller, String refreshToken) throws SQLException {
        Instant now = clock.instant();
        String who = caller.principal().username();
        int revoked;
        if (refreshToken != null) {
            TokenRepository.Refresh r = tokens.refresh(OpaqueTokens.hash(refreshToken))
                    .filter(x -> x.username().equals(who))
                    .orElseThrow(() -> new Refused.Malformed("'refreshToken' is not one of yours", "field: refreshToken"));
            revoked = tokens.revokeFamily(r.family(), now);
        } else {
            revoked = tokens.revokeUser(who, now);
        }
        if (caller.tokenId() != null) endSession(caller.tokenId(), now);
        audit.record(who, "logout", who, Map.of("refreshTokensRevoked", revoked));
    }

    /**
     * Refuses, here and on the other servers of a cluster, every access token whose id or login ({@code sid}) is
     * {@code id}, until the longest such token has expired; stored, so a restart keeps refusing them.
     */
    private void endSession(String id, Instant now) throws SQLException {
        Instant expires = now.plus(AccessTokens.LIFETIME);
        ended.end(id, expires);
        peers.loggedOut(id, expires.getEpochSecond());
    }

    /** Makes a named API token for {@code username} that acts with the user's role; the value is in the answer only. */
    public NewApiToken createApiToken(String username, String name, Integer expiresInDays) throws SQLException {
        return createApiToken(username, name, expiresInDays, null);
    }

    /**
     * Makes a named API token for {@code username}; the value is in the answer only. {@code role}, when given, limits
     * the token to it: it may not exceed the user's own role.
     */
    public NewApiToken createApiToken(String username, String name, Integer expiresInDays, Role role) throws SQLException {
        if (name == null || !TOKEN_NAME.matcher(name).matches()) {
            throw new Refused.Malformed("'name' must be 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
                    "field: name");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_TOKEN_DAYS)) {
            throw new Refused.Malformed("'expiresInDays' must be from 1 to " + MAX_TOKEN_DAYS, "field: expiresInDays");
        }
        Role own = users.get(username).role();
        if (role != null && !own.atLeast(role)) {
            throw new Refused.Malformed("'role' may be at most your own role, " + Users.roleName(own) + ", not "
                    + Users.roleName(role));
        }
        Instant now = clock.instant();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        String token = OpaqueTokens.generate(OpaqueTokens.API_PREFIX);
        if (!tokens.insertApi(username, name, OpaqueTokens.hash(token), now, expires, role)) {
            throw new Refused.Conflict("exists", "you have a token named '" + name + "' already; revoke it first");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("expiresAt", expires == null ? "never" : expires.toString());
        if (role != null) detail.put("role", Users.roleName(role));
        audit.record(username, "token.created", username + "/" + name, detail);
        return new NewApiToken(new ApiToken(username, name, now, expires, null, role), token);
    }

    /** Someone's API tokens, or everyone's when {@code username} is null; a user there is not is a 404. */
    public List<ApiToken> apiTokens(String username) throws SQLException {
        // an empty list would read as "nobody has no tokens", hiding a misspelt name
        if (username != null) users.get(username);
        return tokens.apiTokens(username);
    }

    public void revokeApiToken(String actor, String username, String name) throws SQLException {
        if (!tokens.deleteApi(username, name)) throw new Refused.NotFound("no token '" + name + "' of user '" + username + "'");
        audit.record(actor, "token.revoked", username + "/" + name, Map.of());
    }

    /**
     * The caller a bearer token stands for: a signed, unexpired access token or a stored, unexpired API token, of a
     * user who still exists and is enabled, with the role the user has now. Fails with {@link Refused.Unauthenticated}.
     */
    public Future<Authenticated> authenticate(String bearer) {
        if (bearer == null || bearer.isBlank()) return Future.failedFuture(unauthorized("this needs a bearer token: log in first"));
        if (bearer.startsWith(OpaqueTokens.API_PREFIX)) {
            return vertx.executeBlocking(() -> apiToken(bearer), false);
        }
        return access.verify(bearer).transform(ar -> {
            if (ar.failed()) {
                LOG.debug("access token refused: {}", ar.cause().getMessage());
                return Future.failedFuture(unauthorized("the token is invalid or has expired"));
            }
            AccessTokens.Claims c = ar.result();
            // a ticket travels in a URL: it opens its one download, never the rest of the API
            if (c.download() != null) return Future.failedFuture(unauthorized("a download ticket is not a bearer token"));
            return admit(c);
        });
    }

    /**
     * A short-lived ticket for one GET of {@code path} (the whole path, as the client will ask for it), made
     * for the caller of {@code bearer}: a link the browser follows itself carries it, so a large file streams to disk
     * instead of through the page's memory, while the pages keep their token out of cookies and URLs. It acts as its
     * caller, opens its download once ({@link #authenticateDownload}) and ends with the credential it came through:
     * the access token (logout, its login ended, a password change, the user disabled or deleted) or the API token
     * (revoked, expired, the user disabled or deleted).
     */
    public Future<String> downloadTicket(String bearer, String path) {
        if (bearer != null && bearer.startsWith(OpaqueTokens.API_PREFIX)) {
            return vertx.executeBlocking(() -> {
                TokenRepository.Api t = storedApiToken(bearer);
                Authenticated a = apiCaller(t, clock.instant());
                return access.issueDownload(a.principal(), null, null, t.id(), path);
            }, false);
        }
        return authenticate(bearer).compose(a -> access.verify(bearer)
                .map(c -> access.issueDownload(a.principal(), c.session(), c.id(), null, path)));
    }

    /**
     * The caller a download ticket acts for, when it is one for {@code path}, its holder's credential still stands,
     * and it was not used before: this use is stored, so a second one, through any server of a cluster, is a
     * {@link Refused.Gone}.
     */
    public Future<Authenticated> authenticateDownload(String ticket, String path) {
        return access.verify(ticket).transform(ar -> {
            if (ar.failed() || ar.result().download() == null) {
                return Future.failedFuture(unauthorized("the download link is invalid or has expired: download again from the page"));
            }
            AccessTokens.Claims c = ar.result();
            if (!c.download().equals(path)) return Future.failedFuture(unauthorized("the download ticket is for another download"));
            if (c.via() != null && ended.contains(c.via())) return Future.failedFuture(unauthorized("the token was logged out"));
            Future<Authenticated> holder = c.apiToken() == null ? admit(c)
                    : vertx.executeBlocking(() -> apiTicketHolder(c), false);
            return holder.compose(a -> vertx.executeBlocking(() -> {
                if (!usedTickets.firstUse(c.id(), Instant.ofEpochSecond(c.expiresAt()))) {
                    throw new Refused.Gone("the download link was used already: download again from the page",
                            "a download link opens its download once");
                }
                return a;
            }, false));
        });
    }

    /** The caller of a ticket asked for with an API token, while that token stands (not revoked, not expired). */
    private Authenticated apiTicketHolder(AccessTokens.Claims c) throws SQLException {
        TokenRepository.Api t = tokens.api(c.apiToken()).filter(x -> x.username().equals(c.subject()))
                .orElseThrow(() -> unauthorized("the API token the download link was made with was revoked"));
        return apiCaller(t, clock.instant());
    }

    /** The caller of a verified token whose login, user and password still stand. */
    private Future<Authenticated> admit(AccessTokens.Claims c) {
        if (ended.contains(c.id())) return Future.failedFuture(unauthorized("the token was logged out"));
        if (c.session() != null && ended.contains(c.session())) {
            return Future.failedFuture(unauthorized("the token's login was ended: its refresh token was used twice"));
        }
        Optional<User> u = users.find(c.subject());
        if (u.isEmpty() || !u.get().enabled()) return Future.failedFuture(unauthorized("the token's user is disabled or gone"));
        if (c.issuedAtMillis() < u.get().sessionsAfter().toEpochMilli()) {
            return Future.failedFuture(unauthorized("the token was issued before the password changed"));
        }
        return Future.succeededFuture(new Authenticated(new Principal(u.get().username(), u.get().role()), c.id()));
    }

    private Authenticated apiToken(String bearer) throws SQLException {
        return apiCaller(storedApiToken(bearer), clock.instant());
    }

    private TokenRepository.Api storedApiToken(String bearer) throws SQLException {
        return tokens.api(OpaqueTokens.hash(bearer)).orElseThrow(() -> unauthorized("the token is invalid or was revoked"));
    }

    /** The caller of a stored API token, when it has not expired and its user is enabled; stamps the use. */
    private Authenticated apiCaller(TokenRepository.Api t, Instant now) throws SQLException {
        if (t.expiresAt() != null && !t.expiresAt().isAfter(now)) throw unauthorized("the token has expired");
        User u = users.find(t.username()).filter(User::enabled)
                .orElseThrow(() -> unauthorized("the token's user is disabled or gone"));
        if (t.stampDue(now)) tokens.touch(t.id(), now); // else the UPDATE would match no row: no statement at all
        if (t.role() == null) return new Authenticated(new Principal(u.username(), u.role()), null);
        // the lower of the two: a user demoted since acts with the new role, and a promotion does not lift the limit
        return new Authenticated(new Principal(u.username(), u.role().atMost(t.role()), true), null);
    }

    /** A 401 answer: the failure handler adds {@code WWW-Authenticate: Bearer}. */
    public static Refused unauthorized(String message) {
        return new Refused.Unauthenticated(message);
    }

    private static Refused invalidCredentials() {
        return new Refused.Unauthenticated("invalid credentials");
    }

    private static Refused invalidRefresh() {
        return new Refused.Unauthenticated("the refresh token is invalid, expired or revoked: log in again");
    }
}

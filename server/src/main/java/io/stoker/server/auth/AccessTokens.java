package io.stoker.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Signed access tokens: HS256 JWTs (vertx-auth-jwt) with {@code iss}, {@code sub}, {@code role}, {@code iat},
 * {@code exp}, {@code jti}, {@code sid} and {@code iat_ms}. The verifier knows one key of one algorithm, so {@code alg: none}, RS256/HS256
 * confusion and foreign keys all fail signature checking. Time claims are checked here against the auth clock
 * (vertx' own expiry check is off), so specs can move time.
 */
final class AccessTokens {
    static final String ISSUER = "stoker";
    static final Duration LIFETIME = Duration.ofMinutes(15);
    /** How long a download ticket may start its download (a download under way goes on past it). */
    static final Duration DOWNLOAD_LIFETIME = Duration.ofSeconds(60);

    private final JWTAuth jwt;
    private final Clock clock;

    /**
     * The claims of a verified token; {@code session} ({@code sid}) is the login it was issued for (its refresh
     * tokens' family), null in a token made before it was a claim. {@code issuedAtMillis} is when it was issued to
     * the millisecond ({@code iat_ms}; whole seconds of {@code iat} in a token made before that claim), so a
     * password change ends the tokens issued earlier in its own second too. {@code download} is the one API path a
     * download ticket opens ({@code dl}; null in an access token), {@code via} the access token it was issued
     * through ({@code via}; null in an access token, or for a ticket asked for with an API token), {@code apiToken}
     * the stored id of the API token it was asked for with ({@code api}; null otherwise).
     */
    record Claims(String subject, String role, long issuedAt, long expiresAt, String id, String session,
                  long issuedAtMillis, String download, String via, Long apiToken) {
    }

    AccessTokens(Vertx vertx, String key, Clock clock) {
        this.clock = clock;
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key))
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setIgnoreExpiration(true)));
    }

    /** An access token of {@code user} for the login {@code session} (its refresh tokens' family). */
    String issue(User user, String session) {
        return jwt.generateToken(claims(user.username(), user.role(), session, LIFETIME),
                new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }

    /**
     * A download ticket: a token of {@code principal} for a GET of the one API {@code path} ({@code dl}), for
     * {@link #DOWNLOAD_LIFETIME}, issued through the access token {@code via} of the login {@code session} (both null
     * for an API token), or through the API token stored as {@code apiToken} (null for an access token), so that
     * ending that token or login, or revoking that API token, ends the ticket too.
     */
    String issueDownload(Principal principal, String session, String via, Long apiToken, String path) {
        JsonObject claims = claims(principal.username(), principal.role(), session, DOWNLOAD_LIFETIME).put("dl", path);
        if (via != null) claims.put("via", via);
        if (apiToken != null) claims.put("api", apiToken);
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }

    private JsonObject claims(String username, Role role, String session, Duration lifetime) {
        long nowMillis = clock.instant().toEpochMilli();
        long now = Math.floorDiv(nowMillis, 1000);
        return new JsonObject()
                .put("iss", ISSUER)
                .put("sub", username)
                .put("role", role.name().toLowerCase(Locale.ROOT))
                .put("iat", now)
                .put("exp", now + lifetime.toSeconds())
                .put("jti", UUID.randomUUID().toString())
                .put("sid", session)
                // iat has whole seconds only (RFC 7519): compared with a password change it could not tell which came first
                .put("iat_ms", nowMillis);
    }

    /** The token's claims when its signature, algorithm, issuer and times hold; else a failed future. */
    Future<Claims> verify(String token) {
        return jwt.authenticate(new TokenCredentials(token)).compose(u -> {
            // vertx-auth keeps the verified claims under attributes.accessToken (the principal holds the raw token)
            JsonObject p = u.attributes() == null ? null : u.attributes().getJsonObject("accessToken");
            if (p == null) return Future.failedFuture("the token has no claims");
            Object sub = p.getValue("sub");
            Object iat = p.getValue("iat");
            Object exp = p.getValue("exp");
            Object jti = p.getValue("jti");
            if (!(sub instanceof String s) || !(iat instanceof Number i) || !(exp instanceof Number e)
                    || !(jti instanceof String id)) {
                return Future.failedFuture("the token lacks a claim it must have");
            }
            long now = clock.instant().getEpochSecond();
            if (e.longValue() <= now) return Future.failedFuture("the token has expired");
            if (i.longValue() > now + 60) return Future.failedFuture("the token was issued in the future");
            long issuedAtMillis = p.getValue("iat_ms") instanceof Number ms ? ms.longValue() : i.longValue() * 1000;
            return Future.succeededFuture(new Claims(s, String.valueOf(p.getValue("role")), i.longValue(),
                    e.longValue(), id, p.getValue("sid") instanceof String sid ? sid : null, issuedAtMillis,
                    p.getValue("dl") instanceof String dl ? dl : null, p.getValue("via") instanceof String via ? via : null,
                    p.getValue("api") instanceof Number api ? api.longValue() : null));
        });
    }
}

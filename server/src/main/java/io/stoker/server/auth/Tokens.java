package io.stoker.server.auth;

/** What a login or a refresh gives: a signed access token, the refresh token replacing it, its lifetime. */
public record Tokens(String token, String refreshToken, long expiresIn) {
}

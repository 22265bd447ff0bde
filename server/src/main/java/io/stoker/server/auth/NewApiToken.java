package io.stoker.server.auth;

/** A just-created API token: the only time its secret value is known to anyone but its holder. */
public record NewApiToken(ApiToken info, String token) {
}

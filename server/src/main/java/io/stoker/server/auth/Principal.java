package io.stoker.server.auth;

/** Who sent a request, as the authentication middleware established it. */
public record Principal(String username, Role role) {
}

package io.stoker.server.auth;

/**
 * Who sent a request, as the authentication middleware established it: the user, the role it acts with, and whether
 * that role came from an API token limited to one (such a token reads and writes as its role allows, but cannot make
 * or revoke tokens, change the password or log out: a leaked read-only token must not lead to more).
 */
public record Principal(String username, Role role, boolean limited) {
    /** A caller acting with its user's own role. */
    public Principal(String username, Role role) {
        this(username, role, false);
    }
}

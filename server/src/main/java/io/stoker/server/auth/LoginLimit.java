package io.stoker.server.auth;

/**
 * The three counts of failed logins, each with its own limit in {@link AuthService#LOGIN_WINDOW}. A user name and an
 * address together get few tries; an address gets more, spread over any names; a user name gets many more, spread
 * over any addresses, which stops guessing from many addresses without letting one address lock the real user out.
 */
enum LoginLimit {
    /** One user name from one address: what a guesser at one address hits first. */
    USER_FROM_ADDRESS(AuthService.LOGIN_LIMIT_PER_USER_AND_ADDRESS, "this user name from this address", "user from address"),
    /** One address, whatever the names tried. */
    ADDRESS(AuthService.LOGIN_LIMIT_PER_ADDRESS, "this address", "address"),
    /** One user name from every address; the addresses the user logged in from lately are exempt. */
    USER(AuthService.LOGIN_LIMIT_PER_USER, "this user name", "user");

    final int limit;
    /** Says in a refusal what was locked: "too many failed logins for this user name". */
    final String locked;
    /** Names it in the audit entry of a lockout's start ({@code detail.lockedOut}). */
    final String audited;

    LoginLimit(int limit, String locked, String audited) {
        this.limit = limit;
        this.locked = locked;
        this.audited = audited;
    }

    /** The key this limit counts a failure of {@code username} (clipped) from {@code address} under. */
    String key(String username, String address) {
        return switch (this) {
            case USER_FROM_ADDRESS -> "user:" + username + "\u0000address:" + address;
            case ADDRESS -> "address:" + address;
            case USER -> "user:" + username;
        };
    }
}

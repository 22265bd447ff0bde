package io.stoker.server.auth;

/** What a user may do. Each role includes the ones before it. */
public enum Role {
    /** Reads everything it can see; changes nothing. */
    VIEWER,
    /** Projects, jobs and runs of the projects it may use. */
    DEVELOPER,
    /** Everything: users, agents, secrets. */
    ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower of this role and {@code other}. */
    public Role atMost(Role other) {
        return atLeast(other) ? other : this;
    }
}

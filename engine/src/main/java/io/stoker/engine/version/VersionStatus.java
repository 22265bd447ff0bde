package io.stoker.engine.version;

import java.util.Locale;
import java.util.Optional;

/** What people (or a deployment) found out about a version: nothing yet, it works, it does not. */
public enum VersionStatus {
    NEW, GOOD, BAD;

    /** Lower-case name as shown to users and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a label ({@code good}), empty when there is none. */
    public static Optional<VersionStatus> of(String label) {
        for (VersionStatus s : values()) if (s.label().equals(label)) return Optional.of(s);
        return Optional.empty();
    }
}

package io.stoker.engine.version;

import java.util.List;

/**
 * A version as the store has it now: its manifest and its mark.
 *
 * @param failedOn the deploy targets where its last deployment failed, in the order they failed; empty when a person
 *                 marked it (or it is not bad): a failure on a target keeps it from that target's rollbacks only
 */
public record StoredVersion(VersionManifest manifest, VersionStatus status, List<String> failedOn) {

    public StoredVersion {
        failedOn = List.copyOf(failedOn);
    }

    public StoredVersion(VersionManifest manifest, VersionStatus status) {
        this(manifest, status, List.of());
    }

    public String version() {
        return manifest.version();
    }

    /** Whether a person marked it bad: no rollback to any target brings it back. */
    public boolean markedBadByHand() {
        return status == VersionStatus.BAD && failedOn.isEmpty();
    }
}

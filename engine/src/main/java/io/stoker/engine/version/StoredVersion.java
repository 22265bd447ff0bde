package io.stoker.engine.version;

/**
 * A version as the store has it now: its manifest and its mark.
 *
 * @param failedOn the deploy target whose failed deployment marked it bad; null when a person marked it (or it is
 *                 not bad): a failure on one target keeps it from that target's rollbacks only
 */
public record StoredVersion(VersionManifest manifest, VersionStatus status, String failedOn) {

    public StoredVersion(VersionManifest manifest, VersionStatus status) {
        this(manifest, status, null);
    }

    public String version() {
        return manifest.version();
    }

    /** Whether a person marked it bad: no rollback to any target brings it back. */
    public boolean markedBadByHand() {
        return status == VersionStatus.BAD && failedOn == null;
    }
}

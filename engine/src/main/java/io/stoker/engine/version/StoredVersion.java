package io.stoker.engine.version;

/** A version as the store has it now: its manifest and its mark. */
public record StoredVersion(VersionManifest manifest, VersionStatus status) {

    public String version() {
        return manifest.version();
    }
}

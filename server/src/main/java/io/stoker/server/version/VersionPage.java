package io.stoker.server.version;

import io.stoker.engine.version.StoredVersion;

import java.util.List;

/** One page of a project's versions, newest first, and how many matched in all. */
public record VersionPage(List<StoredVersion> versions, int total) {
}

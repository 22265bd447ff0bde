package io.stoker.engine.version;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Port where published versions of a project are kept: immutable file trees with a manifest and an archive. A
 * version appears whole or not at all. {@link DirectoryVersionStore} keeps them on a local disk; a store over an
 * S3-compatible bucket implements the same calls (and hands out local copies from a cache for the archive and files).
 */
public interface VersionStore {

    /** Publishes the release's files as a new version; an existing version is refused unless the release forces. */
    PublishOutcome publish(Release release) throws IOException;

    /** The project's versions, newest first. */
    List<StoredVersion> list(String project) throws IOException;

    /** One version, when it exists. */
    Optional<StoredVersion> find(String project, String version) throws IOException;

    /** A local file holding the version's {@code .tar.gz}, when the version exists. */
    Optional<Path> archive(String project, String version) throws IOException;

    /** A local file holding one file of the version ({@code path} relative, '/'-separated), when both exist. */
    Optional<Path> file(String project, String version, String path) throws IOException;

    /** Marks a version good or bad by a person (forgetting the targets it failed on); false when it does not exist. */
    boolean mark(String project, String version, VersionStatus status) throws IOException;

    /**
     * Marks a version bad because its deployment to {@code target} failed, adding the target to those it failed on;
     * false when it does not exist.
     */
    boolean markFailedOn(String project, String version, String target) throws IOException;

    /**
     * A deployment of the version to {@code target} was good: the target leaves those it failed on, and the version is
     * good unless it still failed on another; false when it does not exist.
     */
    boolean markGoodOn(String project, String version, String target) throws IOException;

    /** Removes a version (files, archive, manifest, mark); false when it did not exist. */
    boolean delete(String project, String version) throws IOException;

    /**
     * Removes every version of a project (the project was deleted): a new project that takes the name must not
     * see, mark or deploy them.
     */
    void forget(String project) throws IOException;
}

package io.stoker.server.project;

import io.stoker.server.git.GitMirrorException;
import io.stoker.server.git.JobfileText;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Port to the git repositories of projects: fetch, read the Jobfile at a commit, export a commit's tree as a run's
 * workspace. Keyed by project name (one mirror per project). Blocking; call it off the event loop. Failures are
 * {@link GitMirrorException}s with messages fit for users. {@link MirroredGitProjects} implements it on
 * {@link io.stoker.server.git.GitMirrors}.
 */
public interface GitProjects {

    /**
     * Fetches the project's repository from {@code gitUrl}, with the git credentials named {@code credentials} (or
     * none when null), and returns the commit SHA {@code ref} names now; a null {@code ref} names the repository's
     * default branch (its HEAD).
     */
    String resolve(String project, String gitUrl, String credentials, String ref);

    /**
     * Whether the credentials named {@code credentials} are server-wide for {@code project} (the deprecated
     * environment or file, not a secret it may read): only an admin may give those to a project.
     */
    default boolean serverWideCredentials(String project, String credentials) {
        return false;
    }

    /**
     * The commit {@code branch} names in the project's mirror as last fetched (no fetch); empty when the mirror has
     * no such branch, or when this port cannot tell.
     */
    default Optional<String> head(String project, String branch) {
        return Optional.empty();
    }

    /**
     * Whether {@code name} is a tag in the project's mirror as last fetched and no branch has that name (a branch
     * wins, as in git); false when this port cannot tell.
     */
    default boolean isTag(String project, String name) {
        return false;
    }

    /** The branch a fetched repository's HEAD names (what {@code git clone} would check out). */
    String defaultBranch(String project);

    /** The Jobfile ({@code Jobfile}, {@code Jobfile.yaml}, {@code .yml}, {@code .json}) at a fetched commit. */
    Optional<JobfileText> readJobfile(String project, String commit);

    /**
     * Writes the commit's tree into {@code target} (an empty or missing directory) with a self-contained, shallow
     * {@code .git} at that commit (HEAD detached there, {@code branch} pointing at it when not null, {@code origin}
     * set to {@code url} when not null), so that tasks may run {@code git log}, {@code git describe}, {@code git status}.
     */
    void export(String project, String commit, String branch, String url, Path target);

    /**
     * {@link #export} into a run's workspace, made from a checkout an earlier run of the project released when there
     * is one (only what differs is written; nothing of that run is left); {@link #release} it when the run is over.
     */
    void checkout(String project, String commit, String branch, String url, Path workspace);

    /** The run that used {@code workspace} is over: it is deleted, or kept for the project's next {@link #checkout}. */
    void release(Path workspace);

    /** Removes the project's mirror (the project was deleted). */
    void forget(String project);
}

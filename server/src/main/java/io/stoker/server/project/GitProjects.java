package io.stoker.server.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Port to the git repositories of projects: fetch, read the Jobfile at a commit, export a commit's tree as a run's
 * workspace. Blocking; call it off the event loop. {@link JGitMirrors} is the simple implementation.
 */
public interface GitProjects {

    /** Fetches the repository and returns the commit SHA that {@code ref} (a branch, tag or SHA) names now. */
    String resolve(String gitUrl, String ref) throws IOException;

    /** The Jobfile ({@code Jobfile}, {@code Jobfile.yaml}, {@code .yml}, {@code .json}) at a fetched commit. */
    Optional<JobfileText> readJobfile(String gitUrl, String commit) throws IOException;

    /** Writes the commit's tree into {@code target} (an empty directory). */
    void export(String gitUrl, String commit, Path target) throws IOException;
}

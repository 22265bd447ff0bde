package io.stoker.server.project;

import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.git.JobfileText;

import java.nio.file.Path;
import java.util.Optional;

/** {@link GitProjects} on {@link GitMirrors}: every resolve syncs the project's mirror first. */
public final class MirroredGitProjects implements GitProjects {
    private final GitMirrors mirrors;
    private final GitCredentialsLookup credentials;

    public MirroredGitProjects(GitMirrors mirrors, GitCredentialsLookup credentials) {
        this.mirrors = mirrors;
        this.credentials = credentials;
    }

    @Override
    public String resolve(String project, String gitUrl, String credentialsName, String ref) {
        mirrors.sync(project, gitUrl, credentials.require(project, credentialsName));
        return mirrors.resolve(project, ref == null ? mirrors.defaultBranch(project) : ref);
    }

    @Override
    public String defaultBranch(String project) {
        return mirrors.defaultBranch(project);
    }

    @Override
    public Optional<JobfileText> readJobfile(String project, String commit) {
        return mirrors.readJobfile(project, commit);
    }

    @Override
    public void export(String project, String commit, String branch, String url, Path target) {
        mirrors.checkout(project, commit, branch, url, target);
    }

    @Override
    public void forget(String project) {
        mirrors.delete(project);
    }
}

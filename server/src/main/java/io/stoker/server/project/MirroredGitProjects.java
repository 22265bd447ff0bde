package io.stoker.server.project;

import io.stoker.engine.files.FileTrees;
import io.stoker.server.git.CheckoutPool;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.git.JobfileText;

import java.nio.file.Path;
import java.util.Optional;

/** {@link GitProjects} on {@link GitMirrors}: every resolve syncs the project's mirror first. */
public final class MirroredGitProjects implements GitProjects {
    private final GitMirrors mirrors;
    private final GitCredentialsLookup credentials;
    private final CheckoutPool checkouts;

    /** Every run's workspace exported whole. */
    public MirroredGitProjects(GitMirrors mirrors, GitCredentialsLookup credentials) {
        this(mirrors, credentials, null);
    }

    /** Run workspaces made from the checkouts {@code checkouts} keeps (null: exported whole). */
    public MirroredGitProjects(GitMirrors mirrors, GitCredentialsLookup credentials, CheckoutPool checkouts) {
        this.mirrors = mirrors;
        this.credentials = credentials;
        this.checkouts = checkouts;
    }

    @Override
    public boolean serverWideCredentials(String project, String credentialsName) {
        return credentials.serverWide(project, credentialsName);
    }

    @Override
    public String resolve(String project, String gitUrl, String credentialsName, String ref) {
        mirrors.sync(project, gitUrl, credentials.require(project, credentialsName));
        return mirrors.resolve(project, ref == null ? mirrors.defaultBranch(project) : ref);
    }

    @Override
    public Optional<String> head(String project, String branch) {
        if (!mirrors.exists(project)) return Optional.empty();
        return Optional.ofNullable(mirrors.refs(project).branches().get(branch));
    }

    @Override
    public boolean isTag(String project, String name) {
        if (!mirrors.exists(project)) return false;
        var refs = mirrors.refs(project);
        return refs.tags().containsKey(name) && !refs.branches().containsKey(name); // a branch wins, as in git
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
    public void checkout(String project, String commit, String branch, String url, Path workspace) {
        if (checkouts == null) mirrors.checkout(project, commit, branch, url, workspace);
        else checkouts.checkout(project, commit, branch, url, workspace);
    }

    @Override
    public void release(Path workspace) {
        if (checkouts == null) FileTrees.deleteQuietly(workspace);
        else checkouts.release(workspace);
    }

    @Override
    public void forget(String project) {
        if (checkouts != null) checkouts.forget(project);
        mirrors.delete(project);
    }
}

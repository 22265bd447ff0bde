package io.stoker.cli.run;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The branch and commit of the checkout a Jobfile sits in, for {@code run.branch} and {@code run.commit} in local
 * runs; empty strings outside a git checkout.
 */
public record GitContext(String branch, String commit) {
    public static final GitContext NONE = new GitContext("", "");

    public static GitContext of(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) return NONE;
        try (Repository repo = builder.build()) {
            ObjectId head = repo.resolve("HEAD");
            String branch = repo.getBranch();
            // a detached HEAD reports the commit id as its "branch"
            if (head != null && head.name().equals(branch)) branch = "";
            return new GitContext(branch == null ? "" : branch, head == null ? "" : head.name());
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }
}

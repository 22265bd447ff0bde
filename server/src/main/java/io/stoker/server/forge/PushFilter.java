package io.stoker.server.forge;

import io.stoker.dsl.glob.PathGlob;
import io.stoker.model.Job;
import io.stoker.model.Triggers;

import java.util.List;
import java.util.Optional;

/**
 * Whether a job's {@code push} triggers take a change of a branch: the webhook and the poller ask the same
 * question, so a commit one of them declines for its files the other declines too.
 */
public final class PushFilter {
    private PushFilter() {
    }

    /** True when one of the job's push triggers matches the branch and looks at the changed files. */
    public static boolean filtersPaths(Job job, String branch) {
        return job.triggers().push().stream()
                .anyMatch(push -> push.filtersPaths() && BranchFilter.takes(push, branch));
    }

    /**
     * True when one of the job's push triggers matches the branch and, if it filters paths, the changed files: a
     * file not matched by {@code pathsIgnore} and, when {@code paths} is given, matched by it. Unknown changes
     * (empty) pass: building too much is better than missing a change.
     */
    public static boolean admits(Job job, String branch, Optional<List<String>> files) {
        for (Triggers.Push push : job.triggers().push()) {
            if (!BranchFilter.takes(push, branch)) continue;
            if (!push.filtersPaths() || files.isEmpty()) return true;
            List<PathGlob> paths = push.paths().stream().map(PathGlob::of).toList();
            List<PathGlob> ignored = push.pathsIgnore().stream().map(PathGlob::of).toList();
            for (String file : files.get()) {
                if (ignored.stream().anyMatch(g -> g.matches(file))) continue;
                if (paths.isEmpty() || paths.stream().anyMatch(g -> g.matches(file))) return true;
            }
        }
        return false;
    }
}

package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.glob.PathGlob;

import java.util.List;

/** The {@code paths} and {@code pathsIgnore} globs of push triggers: each must be a usable pattern. */
final class PathFilterChecks {
    private PathFilterChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        for (JobDraft.PushDraft push : job.pushTriggers) {
            globs("paths", push.paths(), problems);
            globs("pathsIgnore", push.pathsIgnore(), problems);
        }
    }

    private static void globs(String option, List<Located<String>> globs, Problems problems) {
        for (Located<String> glob : globs) {
            PathGlob.problem(glob.value()).ifPresent(why -> problems.error(glob.pos(), "push " + option + ": " + why));
        }
    }
}

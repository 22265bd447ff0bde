package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.glob.PathGlob;

import java.util.List;
import java.util.Optional;

/** The {@code tags}, {@code paths} and {@code pathsIgnore} globs of push triggers: each must be a usable pattern. */
final class PathFilterChecks {
    private PathFilterChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        for (JobDraft.PushDraft push : job.pushTriggers) {
            for (Located<String> tag : push.tags()) {
                tagProblem(tag.value()).ifPresent(why -> problems.error(tag.pos(), "push tags: " + why));
            }
            globs("paths", push.paths(), problems);
            globs("pathsIgnore", push.pathsIgnore(), problems);
        }
    }

    /** A tag glob is matched as a path glob is, against the tag's short name ({@code v1}, {@code release/2}). */
    private static Optional<String> tagProblem(String glob) {
        if (glob == null || glob.isBlank()) return Optional.of("a tag pattern cannot be empty, e.g. tags: ['v*']");
        if (glob.startsWith("/")) return Optional.of("'" + glob + "': a tag name does not start with '/'");
        return PathGlob.problem(glob);
    }

    private static void globs(String option, List<Located<String>> globs, Problems problems) {
        for (Located<String> glob : globs) {
            PathGlob.problem(glob.value()).ifPresent(why -> problems.error(glob.pos(), "push " + option + ": " + why));
        }
    }
}

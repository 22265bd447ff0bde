package io.stoker.dsl.validate;

import io.stoker.dsl.ForeignWords;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.ArtifactsWhen;

import java.util.Arrays;

/**
 * A task's artifact patterns are globs over its workspace: an absolute path or a {@code ..} step can never match
 * (the engine collects only files inside the workspace), so it is told at the pattern's line instead of as
 * "no files matched" after the run. Their {@code when:} is one of {@link ArtifactsWhen}'s words. Test report
 * patterns ({@code testReports}) are globs over the workspace too, checked the same way.
 */
final class ArtifactChecks {
    private ArtifactChecks() {
    }

    static void task(TaskDraft task, Problems problems) {
        for (Located<String> pattern : task.artifacts) {
            inWorkspace(pattern, "an artifact pattern", task, "artifacts are files the task made there",
                    "artifacts are files inside it", problems);
        }
        for (Located<String> pattern : task.testReports) {
            inWorkspace(pattern, "a test report pattern", task, "test reports are files its steps wrote there",
                    "test reports are files inside it", problems);
        }
        Located<String> when = task.artifactsWhen;
        if (when != null && ArtifactsWhen.ofWord(when.value()) == null) {
            problems.error(when.pos(), "artifacts when: takes 'on-success', 'on-failure' or 'always', not '"
                    + when.value() + "'" + ForeignWords.artifactsWhen(when.value()).map(h -> " — " + h).orElse(""));
        }
    }

    /**
     * Reports a path or glob of the task ({@code what}: "an artifact pattern") that is empty, absolute or steps out
     * with {@code ..}, each with why it must stay in the workspace ({@code made}, {@code inside}).
     */
    static void inWorkspace(Located<String> pattern, String what, TaskDraft task, String made, String inside,
                            Problems problems) {
        String glob = pattern.value();
        String noun = what.substring(what.indexOf(' ') + 1);
        if (glob == null || glob.isBlank()) {
            problems.error(pattern.pos(), what + " of task '" + task.name + "' is empty");
        } else if (glob.startsWith("/") || glob.startsWith("~")) {
            problems.error(pattern.pos(), noun + " '" + glob + "' of task '" + task.name
                    + "' must be relative to the task's workspace (" + made + ")");
        } else if (Arrays.asList(glob.split("/")).contains("..")) {
            problems.error(pattern.pos(), noun + " '" + glob + "' of task '" + task.name
                    + "' leaves the workspace with '..': " + inside);
        }
    }

    /** The task's choice once checked: on success when not written. */
    static ArtifactsWhen when(TaskDraft task) {
        ArtifactsWhen when = task.artifactsWhen == null ? null : ArtifactsWhen.ofWord(task.artifactsWhen.value());
        return when == null ? ArtifactsWhen.ON_SUCCESS : when;
    }
}

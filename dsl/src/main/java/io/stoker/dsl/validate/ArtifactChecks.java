package io.stoker.dsl.validate;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;

import java.util.Arrays;

/**
 * A task's artifact patterns are globs over its workspace: an absolute path or a {@code ..} step can never match
 * (the engine collects only files inside the workspace), so it is told at the pattern's line instead of as
 * "no files matched" after the run.
 */
final class ArtifactChecks {
    private ArtifactChecks() {
    }

    static void task(TaskDraft task, Problems problems) {
        for (Located<String> pattern : task.artifacts) {
            String glob = pattern.value();
            if (glob == null || glob.isBlank()) {
                problems.error(pattern.pos(), "an artifact pattern of task '" + task.name + "' is empty");
            } else if (glob.startsWith("/") || glob.startsWith("~")) {
                problems.error(pattern.pos(), "artifact pattern '" + glob + "' of task '" + task.name
                        + "' must be relative to the task's workspace (artifacts are files the task made there)");
            } else if (Arrays.asList(glob.split("/")).contains("..")) {
                problems.error(pattern.pos(), "artifact pattern '" + glob + "' of task '" + task.name
                        + "' leaves the workspace with '..': artifacts are files inside it");
            }
        }
    }
}

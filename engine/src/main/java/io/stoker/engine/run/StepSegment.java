package io.stoker.engine.run;

import io.stoker.model.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's steps as the engine runs them: consecutive {@code sh} steps go to the executor as one launch (one
 * process, as before trigger steps existed); each trigger step runs on its own between them.
 */
sealed interface StepSegment {

    record Shell(List<Step.Sh> steps) implements StepSegment {
        public Shell {
            steps = List.copyOf(steps);
        }
    }

    record Trigger(Step.Trigger step) implements StepSegment {
    }

    /** A {@code buildImage} or {@code publishImage} step. */
    record Image(Step step) implements StepSegment {
    }

    static List<StepSegment> of(List<Step> steps) {
        List<StepSegment> segments = new ArrayList<>();
        List<Step.Sh> shell = new ArrayList<>();
        for (Step step : steps) {
            switch (step) {
                case Step.Sh sh -> shell.add(sh);
                case Step.Trigger trigger -> {
                    if (!shell.isEmpty()) segments.add(new Shell(shell));
                    shell.clear();
                    segments.add(new Trigger(trigger));
                }
                case Step.BuildImage build -> {
                    if (!shell.isEmpty()) segments.add(new Shell(shell));
                    shell.clear();
                    segments.add(new Image(build));
                }
                case Step.PublishImage publish -> {
                    if (!shell.isEmpty()) segments.add(new Shell(shell));
                    shell.clear();
                    segments.add(new Image(publish));
                }
            }
        }
        // a task without steps still launches once, as it always did (the executor runs `true`)
        if (!shell.isEmpty() || segments.isEmpty()) segments.add(new Shell(shell));
        return List.copyOf(segments);
    }
}

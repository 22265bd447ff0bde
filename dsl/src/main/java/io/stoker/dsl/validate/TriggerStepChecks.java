package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Step;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks a {@code trigger} step: a job name, parameter templates like env values, and, when the job is in the
 * same Jobfile, that it declares every parameter given. A plain name must be a job of this Jobfile (a project's jobs
 * are its Jobfile's); {@code project/job} names another project's job, resolved when the step runs.
 */
final class TriggerStepChecks {
    private TriggerStepChecks() {
    }

    static void check(Step.Trigger step, JobDraft job, TaskDraft task, JobfileDraft draft, ExpressionChecks expressions,
                      Scope scope, Problems problems) {
        step.parameters().forEach((name, value) ->
                expressions.template(value, step.pos(), "trigger parameter " + name, scope));
        if (piped(task, job)) {
            problems.error(step.pos(), "task '" + task.name + "' is joined by input: a trigger step cannot run in a pipe"
                    + " (move it to a task that needs the pipe's tasks)");
        }
        String target = step.job() == null ? "" : step.job().strip();
        if (target.isEmpty()) {
            problems.error(step.pos(), "trigger needs the name of the job to run");
            return;
        }
        if (target.equals(job.name)) {
            // every run would start another one: with no way to stop in the DSL, that is never what was meant
            problems.error(step.pos(), "task '" + task.name + "' triggers its own job '" + target + "'");
            return;
        }
        if (target.contains("/")) return; // another project's job: resolved, and its access checked, when the step runs
        JobDraft other = draft.jobs.stream().filter(j -> target.equals(j.name)).findFirst().orElse(null);
        if (other == null) {
            // a plain name is a job of this project, and this Jobfile is all of its jobs: the step could only fail
            Set<String> jobs = new LinkedHashSet<>();
            for (JobDraft j : draft.jobs) if (j.name != null && !j.name.equals(job.name)) jobs.add(j.name);
            problems.error(step.pos(), "no job '" + target + "' in this Jobfile to trigger"
                    + DidYouMean.suffix(target, jobs)
                    + " (another project's job is written 'project/" + target + "')");
            return;
        }
        Set<String> declared = new LinkedHashSet<>();
        for (ParamDraft p : other.parameters) if (p.name() != null) declared.add(p.name());
        for (String name : step.parameters().keySet()) {
            if (!declared.contains(name)) {
                problems.error(step.pos(), "trigger sets unknown parameter '" + name + "' of job '" + target + "'"
                        + DidYouMean.suffix(name, declared)
                        + (declared.isEmpty() ? " (it declares no parameters)" : ""));
            }
        }
    }

    /** A pipe streams between processes that run at once; a trigger step has no process to stream. */
    private static boolean piped(TaskDraft task, JobDraft job) {
        if (!task.inputs.isEmpty()) return true;
        for (TaskDraft other : job.tasks) {
            for (Located<String> input : other.inputs) {
                String writer = input.value();
                if (writer != null && (writer.equals(task.name) || writer.startsWith(task.name + "["))) return true;
            }
        }
        return false;
    }
}

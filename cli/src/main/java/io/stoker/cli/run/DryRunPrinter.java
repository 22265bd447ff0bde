package io.stoker.cli.run;

import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.plan.Plan;
import io.stoker.engine.plan.Planner;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.TaskSelection;
import io.stoker.model.Job;
import io.stoker.model.Step;
import io.stoker.model.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code stoker run --dry-run}: the plan the engine would follow — start order, pipes, resolved parameters, and
 * each task's {@code when} as far as it is known before running — and the steps, without running any of them.
 */
public final class DryRunPrinter {
    private DryRunPrinter() {
    }

    /**
     * The plan as {@code --dry-run --json} prints it: what the text shows, for scripts.
     *
     * @param tasks     the tasks that would run (a {@code --task} selection's, else the job's)
     * @param levels    start order, as in {@link Plan#levels()}
     * @param when      each task's condition and its verdict: {@code true}, {@code false} or {@code decided at run time}
     * @param steps     each task's steps in order, whole (a script with all its lines)
     * @param approvals the approval gate of each task that has one, as the text shows it
     * @param secrets   the secrets the run will ask for, and those the {@code --secrets-file} lacks
     */
    public record PlanJson(String job, boolean dryRun, int tasks, int parallel, String branch, String commit,
                           Map<String, Object> parameters, List<List<String>> levels, List<Plan.Pipe> pipes,
                           Map<String, Plan.WhenDecision> when, Map<String, List<StepJson>> steps,
                           Map<String, String> approvals, SecretsNeeded secrets) {
    }

    /**
     * A step in {@link PlanJson}: its kind ({@code sh}, {@code trigger}, {@code buildImage}, {@code publishImage})
     * and its text: a script whole, else the line the text plan shows.
     */
    public record StepJson(String kind, String text) {
    }

    /** The plan of the tasks {@code selection} holds, as {@link PlanJson}. */
    public static PlanJson json(Job whole, TaskSelection selection, ResolvedParameters params, String branch,
                                String commit, int parallel, SecretsNeeded secrets) {
        Job job = selection.cut(whole);
        Plan plan = plan(job, params, branch, commit);
        Map<String, List<StepJson>> steps = new java.util.LinkedHashMap<>();
        Map<String, String> approvals = new java.util.LinkedHashMap<>();
        for (List<String> level : plan.levels()) {
            for (String name : level) {
                Task task = job.task(name).orElseThrow();
                steps.put(name, task.steps().stream().map(DryRunPrinter::stepJson).toList());
                if (task.approval() != null) approvals.put(name, gate(task));
            }
        }
        return new PlanJson(job.name(), true, job.tasks().size(), parallel, blankToNull(branch), blankToNull(commit),
                plan.parameters(), plan.levels(), plan.pipes(), plan.when(), steps, approvals, secrets);
    }

    private static StepJson stepJson(Step step) {
        return switch (step) {
            case Step.Sh sh -> new StepJson("sh", sh.script());
            case Step.Trigger t -> new StepJson("trigger", firstLine(t));
            case Step.BuildImage b -> new StepJson("buildImage", firstLine(b));
            case Step.PublishImage p -> new StepJson("publishImage", firstLine(p));
        };
    }

    private static Plan plan(Job job, ResolvedParameters params, String branch, String commit) {
        RunContext context = new RunContext("dry-run", 0, blankToNull(branch), blankToNull(commit), "manual",
                job.name(), null);
        return Planner.plan(job, params, context);
    }

    /** The plan of the tasks {@code selection} holds (with {@link TaskSelection#ALL}, of the whole job). */
    public static void print(PrintWriter out, Job whole, TaskSelection selection, ResolvedParameters params,
                             String branch, String commit, int parallel, SecretsNeeded secrets) {
        Job job = selection.cut(whole);
        Plan plan = plan(job, params, branch, commit);
        int tasks = job.tasks().size();
        boolean pipes = job.tasks().stream().anyMatch(t -> t.input() != null);
        String count = selection.all() ? tasks + (tasks == 1 ? " task" : " tasks")
                : tasks + " of its " + whole.tasks().size() + " tasks (--task " + SelectedTasks.phrase(selection)
                + "; the others are skipped)";
        out.printf("dry run of job '%s': %s, at most %d at once%s; nothing is run%n", job.name(), count,
                parallel, pipes ? " (a pipe's tasks start together, a slot each)" : "");
        if (!plan.parameters().isEmpty()) {
            out.println("parameters:");
            int w = plan.parameters().keySet().stream().mapToInt(String::length).max().orElse(0);
            plan.parameters().forEach((k, v) -> out.printf("  %-" + w + "s = %s%n", k, v));
        }
        out.printf("run: branch %s, commit %s%n", branch == null || branch.isBlank() ? "(none)" : branch,
                commit == null || commit.isBlank() ? "(none)" : commit);
        if (secrets.line() != null) out.println(secrets.line());
        int width = job.tasks().stream().mapToInt(t -> t.name().length()).max().orElse(4);
        out.println("order (each level starts when the levels above are done):");
        for (int i = 0; i < plan.levels().size(); i++) {
            List<String> level = plan.levels().get(i);
            for (int j = 0; j < level.size(); j++) {
                String name = level.get(j);
                Task task = job.task(name).orElseThrow();
                String label = j == 0 ? String.format("%3d. ", i + 1) : "     ";
                out.printf("  %s%-" + width + "s  %s%n", label, name, when(plan.when().get(name), task));
                if (task.approval() != null) {
                    out.printf("  %s%-" + width + "s    %s%n", "     ", "", gate(task));
                }
                for (Step step : task.steps()) {
                    out.printf("  %s%-" + width + "s    %s%n", "     ", "", firstLine(step));
                }
            }
        }
        if (!plan.pipes().isEmpty()) {
            out.println("pipes (stdout → stdin, both tasks run at once):");
            plan.pipes().forEach(p -> out.printf("  %s → %s%n", p.writer(), p.reader()));
        }
        out.flush();
    }

    /** A task's approval gate as the plan shows it: what is asked, of whom, and how a local run passes it. */
    private static String gate(Task task) {
        io.stoker.model.Approval a = task.approval();
        String who = a.approvers().isEmpty() ? "anyone who may change the run"
                : "by " + String.join(", ", a.approvers()) + (a.approvers().contains("admin") ? "" : ", or an admin");
        return "waits for approval: '" + a.question() + "' (" + who + "; locally: --approve " + task.baseName() + ")";
    }

    private static String when(Plan.WhenDecision decision, Task task) {
        if (decision == null) return "";
        String verdict = switch (decision.verdict()) {
            case "true" -> task.when() == null ? "runs if what it needs succeeds" : "→ runs";
            case "false" -> "→ skipped";
            default -> "→ " + decision.verdict();
        };
        return task.when() == null && decision.known() && decision.verdict().equals("true") ? ""
                : "when " + decision.condition() + " " + verdict;
    }

    private static String firstLine(Step step) {
        return switch (step) {
            case Step.Sh sh -> {
                String[] lines = sh.script().strip().split("\n", -1);
                yield "$ " + (lines.length > 1 ? lines[0] + "  … (" + lines.length + " lines)" : lines[0]);
            }
            case Step.Trigger t -> "trigger " + t.job()
                    + (t.parameters().isEmpty() ? "" : " " + t.parameters().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" ")))
                    + (t.waitForRun() ? " (waits for it)" : " (does not wait)");
            case Step.BuildImage b -> "buildImage " + b.file() + " in " + b.context() + " → " + b.push();
            case Step.PublishImage p -> "publishImage " + p.from() + " on " + p.base() + " → " + p.push();
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

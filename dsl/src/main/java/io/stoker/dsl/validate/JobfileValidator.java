package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.CompileResult;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Step;
import io.stoker.model.Diagnostic;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import io.stoker.model.Parameter;
import io.stoker.model.Publish;
import io.stoker.model.Task;
import io.stoker.model.Triggers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a draft from any front end into the immutable model, or reports every problem at once. Matrix tasks are
 * expanded here, so the model holds concrete cells only. Stateless and thread-safe.
 */
public final class JobfileValidator {
    /** The most times a task may be tried again ({@code retry}). */
    public static final int MAX_RETRY = NumberChecks.MAX_RETRY;
    /** Jobs in one Jobfile, whatever its syntax (the Groovy front end stops at the same number). */
    public static final int MAX_JOBS = 100;
    /**
     * Tasks in one job, whatever its syntax, each matrix cell counted as the task it becomes (the Groovy front end
     * stops at the same number of written tasks, before the matrices are known).
     */
    public static final int MAX_TASKS_PER_JOB = 1_000;

    /** The model and the warnings when the draft has no error, otherwise every diagnostic sorted by line:col. */
    public CompileResult validate(JobfileDraft draft) {
        var problems = new Problems(draft.file);
        problems.addAll(draft.diagnostics);
        // the reason it stopped is the problem: the parts it never reached are not missing from the Jobfile
        if (draft.cutShort) return new CompileResult.Rejected(problems.sorted());
        var jobs = new ArrayList<Job>();
        Map<String, JobDraft> named = NameChecks.jobs(draft, problems);
        for (JobDraft job : draft.jobs) {
            boolean usable = named.get(job.name) == job;
            // a job whose name is refused or taken is still checked within: what is wrong inside it is wrong whatever
            // its name, and told now rather than once the name is mended (one whose name would reach the terminal
            // raw in every message is not)
            if (!usable && !NameChecks.printable(job.name)) continue;
            Job built = job(job, draft, problems);
            if (built != null && usable) jobs.add(built);
        }
        AfterChainChecks.check(draft, problems);
        var targets = DeployChecks.check(draft.deploys, new ExpressionChecks(Map.of(), problems,
                ExpressionChecks.TextLines.forFile(draft.file)), problems);
        List<Diagnostic> sorted = problems.sorted();
        if (problems.hasErrors()) return new CompileResult.Rejected(sorted);
        return new CompileResult.Compiled(new Jobfile(draft.file, jobs, targets), sorted);
    }

    private Job job(JobDraft job, JobfileDraft draft, Problems problems) {
        Map<String, ParamDraft> params = NameChecks.parameters(job, problems);
        List<Parameter> parameters = ParameterChecks.check(params, problems);
        NameChecks.secrets(job.secrets, problems);
        envNames(job.env, problems);
        NumberChecks.job(job, problems);
        LabelChecks.agent(job.agent, "job '" + job.name + "'", problems);
        ContainerChecks.job(job, problems);
        TriggerChecks.check(job, problems);
        PathFilterChecks.check(job, problems);
        WebhookChecks.check(job, problems);
        NotifyChecks.check(job, problems);
        Map<String, TaskDraft> tasks = NameChecks.tasks(job, draft.file, problems);
        // tasks whose name is refused or taken are checked too, as a job's are, but left out of the graph: what
        // names them (needs, input, outputs) is not told again that it names no task
        List<TaskDraft> checked = job.tasks.stream()
                .filter(t -> tasks.get(t.name) == t || NameChecks.printable(t.name)).toList();
        Set<String> refused = new LinkedHashSet<>();
        for (TaskDraft task : job.tasks) if (!NameChecks.blank(task.name) && !tasks.containsKey(task.name)) refused.add(task.name);
        for (TaskDraft task : checked) {
            NumberChecks.task(task, problems);
            LabelChecks.agent(task.agent, "task '" + task.name + "'", problems);
            ContainerChecks.task(job, task, problems);
            NameChecks.secrets(task.secrets, problems);
            envNames(task.env, problems);
            ArtifactChecks.task(task, problems);
            CacheChecks.task(task, problems);
        }
        ApprovalChecks.check(checked, problems);
        Map<String, List<Cell>> cells = MatrixExpansion.expand(tasks, problems);
        NameChecks.cells(tasks, cells, problems);
        TaskCount.check(job, tasks, cells, problems);
        JobGraph graph = GraphChecks.check(tasks, cells, refused, problems);
        Set<String> allCells = new LinkedHashSet<>();
        cells.values().forEach(list -> list.forEach(c -> allCells.add(c.name())));

        var expressions = new ExpressionChecks(cells, refused, problems, ExpressionChecks.TextLines.forFile(draft.file));
        Set<String> freeText = new LinkedHashSet<>();
        if (parameters != null) for (Parameter p : parameters) if (p instanceof Parameter.StringParam) freeText.add(p.name());
        Set<String> jobSecrets = values(job.secrets);
        var jobScope = new Scope(null, Set.of(), null, Set.of(), params.keySet(), jobSecrets);
        job.env.forEach((name, value) -> expressions.template(value.value(), value.pos(), "env " + name, jobScope));
        afterTriggers(job, draft, params.keySet(), expressions, problems);
        for (TaskDraft task : checked) {
            var secrets = new LinkedHashSet<>(jobSecrets);
            secrets.addAll(values(task.secrets));
            Scope scope;
            if (tasks.get(task.name) == task) {
                List<Cell> taskCells = cells.get(task.name);
                String representative = taskCells.isEmpty() ? task.name : taskCells.getFirst().name();
                scope = new Scope(task.name, graph.finishedBefore(representative), graph.input().get(representative),
                        task.matrix.keySet(), params.keySet(), secrets);
            } else {
                // outside the graph: its own matrix and needs are checked, and whatever task it reads counts as done
                MatrixExpansion.cells(task, problems);
                GraphChecks.references(task, tasks, cells, refused, problems);
                scope = new Scope(task.name, allCells, null, task.matrix.keySet(), params.keySet(), secrets);
            }
            expressions.when(task.when, scope);
            // rendered when the gate opens, from the same names as the task's steps (secrets and env render empty)
            if (task.approval != null) {
                expressions.template(task.approval.question(), task.approval.pos(), "approval question", scope);
            }
            for (var step : task.steps) {
                switch (step) {
                    case Step.Sh sh -> expressions.shellScript(sh.script(), sh.pos(), scope, freeText);
                    case Step.Trigger trigger -> TriggerStepChecks.check(trigger, job, task, draft, expressions, scope, problems);
                    case Step.BuildImage build -> ImageStepChecks.check(build.push(), null, build.pos(), "buildImage", expressions, scope, problems);
                    case Step.PublishImage publish -> ImageStepChecks.check(publish.push(), publish.base(), publish.pos(), "publishImage", expressions, scope, problems);
                }
            }
            task.env.forEach((name, value) -> expressions.template(value.value(), value.pos(), "env " + name, scope));
            MatrixVariableChecks.check(job, task, problems);
        }
        PublishChecks.check(job, allCells, params.keySet(), jobSecrets, expressions, problems);
        unusedParameters(job, params, expressions.paramsRead(), problems);
        if (problems.hasErrors()) return null;
        return build(job, parameters, tasks, graph);
    }

    private static void afterTriggers(JobDraft job, JobfileDraft draft, Set<String> params, ExpressionChecks expressions,
                                      Problems problems) {
        for (JobDraft.AfterDraft after : job.afterTriggers) {
            // the values are evaluated against the finished run of the other job, so read its parameters
            var upstream = draft.jobs.stream().filter(j -> j.name != null && j.name.equals(after.job())).findFirst();
            Set<String> upstreamParams = upstream.map(j -> names(j.parameters)).orElse(null);
            // outputs are the finished upstream run's: its tasks when that job is in this Jobfile, else unchecked
            Set<String> upstreamTasks = upstream.map(j -> j.tasks.stream().map(t -> t.name)
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)))
                    .orElse(null);
            var scope = new Scope(AfterTriggerScope.WHERE, upstreamTasks, after.job(), Set.of(), upstreamParams, Set.of());
            after.parameters().forEach((name, value) -> {
                if (!params.contains(name)) {
                    problems.error(after.pos(), "after trigger sets unknown parameter '" + name + "' of job '" + job.name + "'"
                            + DidYouMean.suffix(name, params));
                }
                expressions.template(value, after.pos(), "after-trigger parameter " + name, scope);
            });
        }
    }

    /** A parameter neither read as ${{ params.X }} nor as the environment variable $X is probably a mistake. */
    private static void unusedParameters(JobDraft job, Map<String, ParamDraft> params, Set<String> read, Problems problems) {
        var texts = new ArrayList<String>();
        job.env.values().forEach(v -> texts.add(v.value()));
        for (TaskDraft task : job.tasks) {
            for (var step : task.steps) {
                switch (step) {
                    case Step.Sh sh -> texts.add(sh.script());
                    case Step.Trigger trigger -> texts.addAll(trigger.parameters().values());
                    case Step.BuildImage build -> texts.add(build.push());
                    case Step.PublishImage publish -> texts.add(publish.push());
                }
            }
            task.env.values().forEach(v -> texts.add(v.value()));
        }
        for (ParamDraft param : params.values()) {
            if (read.contains(param.name())) continue;
            var asVariable = java.util.regex.Pattern.compile("\\$\\{?" + param.name() + "\\b");
            if (texts.stream().anyMatch(t -> t != null && asVariable.matcher(t).find())) continue;
            problems.warning(param.pos(), "parameter '" + param.name() + "' is never used — read it as ${{ params."
                    + param.name() + " }} or $" + param.name());
        }
    }

    private static void envNames(Map<String, Located<String>> env, Problems problems) {
        env.forEach((name, value) -> {
            if (name == null || !NameChecks.IDENTIFIER.matcher(name).matches()) {
                problems.error(value.pos(), "environment variable name '" + name
                        + "' must start with a letter or '_' and hold only letters, digits and '_'");
            }
            if (value.value() == null) problems.error(value.pos(), "environment variable '" + name + "' has no value");
            if (NameChecks.holdsNul(value.value())) {
                problems.error(value.pos(), "environment variable '" + name + "' holds " + NameChecks.NUL);
            }
        });
    }

    private static Job build(JobDraft job, List<Parameter> parameters, Map<String, TaskDraft> tasks, JobGraph graph) {
        var modelTasks = new ArrayList<Task>();
        for (TaskDraft task : tasks.values()) {
            for (Cell cell : graph.cells().get(task.name)) {
                modelTasks.add(new Task(cell.name(), task.name, cell.values(), List.copyOf(task.steps),
                        graph.needs().getOrDefault(cell.name(), List.of()), graph.input().get(cell.name()),
                        strings(task.env), list(task.secrets), list(task.artifacts), ArtifactChecks.when(task),
                        list(task.testReports), CacheChecks.model(task),
                        task.retry == null || task.retry.value() == null ? 0 : Math.toIntExact(task.retry.value()),
                        task.timeoutMillis == null || task.timeoutMillis.value() == null ? 0 : task.timeoutMillis.value(),
                        task.allowFailure != null && Boolean.TRUE.equals(task.allowFailure.value()),
                        task.when == null ? null : task.when.value(),
                        task.agent == null ? null : task.agent.value(), ApprovalChecks.model(task.approval), ContainerChecks.container(job, task), task.pos));
            }
        }
        var triggers = new Triggers(
                job.pushTriggers.stream().map(p -> new Triggers.Push(p.branches() == null ? List.of() : p.branches(),
                        globs(p.tags()), globs(p.paths()), globs(p.pathsIgnore()), p.pos())).toList(),
                list(job.cronTriggers), list(job.pollTriggers),
                job.afterTriggers.stream().map(a -> new Triggers.After(a.job(), a.parameters(), a.pos())).toList(),
                job.webhookTriggers.stream().map(w -> new Triggers.Webhook(w.token(), w.params(), w.pos())).toList(),
                job.runOnStartup, job.cancelSuperseded);
        return new Job(job.name, job.description, parameters, strings(job.env), list(job.secrets),
                job.timeoutMillis == null || job.timeoutMillis.value() == null ? 0 : job.timeoutMillis.value(),
                job.agent == null ? null : job.agent.value(),
                job.concurrency == null || job.concurrency.value() == null ? 0 : Math.toIntExact(job.concurrency.value()),
                job.retryOnRestart, triggers, modelTasks, job.notify.stream().map(NotifyChecks::build).toList(),
                publish(job.publish), job.pos);
    }

    private static Publish publish(JobDraft.PublishDraft p) {
        if (p == null) return null;
        return new Publish(p.version() == null ? null : p.version().value(),
                p.keepLast() == null || p.keepLast().value() == null ? 0 : p.keepLast().value(),
                p.keepDays() == null || p.keepDays().value() == null ? 0 : p.keepDays().value(), p.pos());
    }

    private static List<String> globs(List<Located<String>> located) {
        return located.stream().map(Located::value).filter(java.util.Objects::nonNull).toList();
    }

    private static Map<String, String> strings(Map<String, Located<String>> env) {
        var result = new LinkedHashMap<String, String>();
        env.forEach((k, v) -> result.put(k, v.value()));
        return result;
    }

    private static List<String> list(List<Located<String>> located) {
        return located.stream().map(Located::value).toList();
    }

    private static Set<String> values(List<Located<String>> located) {
        var result = new LinkedHashSet<String>();
        for (var l : located) if (l.value() != null) result.add(l.value());
        return result;
    }

    private static Set<String> names(List<ParamDraft> params) {
        var result = new HashSet<String>();
        for (ParamDraft p : params) if (p.name() != null) result.add(p.name());
        return result;
    }
}

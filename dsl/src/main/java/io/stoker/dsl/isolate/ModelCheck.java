package io.stoker.dsl.isolate;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.DeployDraft;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.NotifyDraft;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.dsl.validate.JobfileValidator;
import io.stoker.model.ArtifactsWhen;
import io.stoker.model.Job;
import io.stoker.model.DeployTarget;
import io.stoker.model.Jobfile;
import io.stoker.model.Notify;
import io.stoker.model.Parameter;
import io.stoker.model.Publish;
import io.stoker.model.Pos;
import io.stoker.model.Task;
import io.stoker.model.Triggers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-validates a model that came from an untrusted worker: it is turned back into a draft (matrix cells folded into
 * their axes), validated again, and accepted only if validation rebuilds exactly the same model. So every rule of
 * the validator holds for it, whatever the worker did.
 */
final class ModelCheck {
    static final int MAX_JOBS = io.stoker.dsl.validate.JobfileValidator.MAX_JOBS; // what the validator allows every front end
    static final int MAX_TASKS = 10_000;

    private final JobfileValidator validator = new JobfileValidator();

    /** The problem with the model, or empty when it is one the validator itself would build. */
    Optional<String> problem(Jobfile model, String file) {
        if (model.jobs().size() > MAX_JOBS) return Optional.of("more than " + MAX_JOBS + " jobs");
        if (model.taskCount() > MAX_TASKS) return Optional.of("more than " + MAX_TASKS + " tasks");
        CompileResult again;
        try {
            again = validator.validate(draft(model, file));
        } catch (RuntimeException e) {
            return Optional.of("it cannot be read back: " + e.getMessage());
        }
        if (again instanceof CompileResult.Rejected r) {
            return Optional.of("it does not validate: " + r.diagnostics().getFirst());
        }
        var rebuilt = ((CompileResult.Compiled) again).jobfile();
        return rebuilt.equals(new Jobfile(file, model.jobs(), model.targets())) ? Optional.empty()
                : Optional.of("it differs from the model its own draft validates to");
    }

    static JobfileDraft draft(Jobfile model, String file) {
        var draft = new JobfileDraft(file);
        for (Job job : model.jobs()) draft.jobs.add(job(job));
        for (DeployTarget target : model.targets()) draft.deploys.add(deploy(target));
        return draft;
    }

    private static DeployDraft deploy(DeployTarget target) {
        var d = new DeployDraft();
        d.name = target.name();
        d.pos = target.pos();
        if (target.agent() != null) d.agent = new Located<>(target.agent(), target.pos());
        if (target.run() != null) d.run = new Located<>(target.run(), target.pos());
        if (target.file() != null) d.file = new Located<>(target.file(), target.pos());
        if (target.healthcheck() != null) {
            d.healthcheck = new Located<>(target.healthcheck(), target.pos());
            d.within = new Located<>(target.withinSeconds(), target.pos());
        }
        return d;
    }

    private static JobDraft job(Job job) {
        var d = new JobDraft();
        d.name = job.name();
        d.pos = job.pos();
        d.description = job.description();
        for (Parameter p : job.parameters()) {
            d.parameters.add(switch (p) {
                case Parameter.StringParam s -> new ParamDraft("string", s.name(), s.defaultValue(), null, s.description(), s.pos());
                case Parameter.BoolParam b -> new ParamDraft("bool", b.name(), b.defaultValue(), null, b.description(), b.pos());
                case Parameter.ChoiceParam c -> new ParamDraft("choice", c.name(), null, new ArrayList<>(c.choices()),
                        c.description(), c.pos());
            });
        }
        job.env().forEach((k, v) -> d.env.put(k, new Located<>(v, job.pos())));
        job.secrets().forEach(s -> d.secrets.add(new Located<>(s, job.pos())));
        if (job.timeoutMillis() != 0) d.timeoutMillis = new Located<>(job.timeoutMillis(), job.pos());
        if (job.agent() != null) d.agent = new Located<>(job.agent(), job.pos());
        if (job.concurrency() != 0) d.concurrency = new Located<>((long) job.concurrency(), job.pos());
        d.retryOnRestart = job.retryOnRestart();
        d.runOnStartup = job.triggers().onStartup();
        d.cancelSuperseded = job.triggers().cancelSuperseded();
        if (job.publish() != null) {
            Publish p = job.publish();
            d.publish = new JobDraft.PublishDraft(new Located<>(p.version(), p.pos()),
                    p.keepLast() == 0 ? null : new Located<>(p.keepLast(), p.pos()),
                    p.keepDays() == 0 ? null : new Located<>(p.keepDays(), p.pos()), p.pos());
        }
        Triggers t = job.triggers();
        t.push().forEach(p -> d.pushTriggers.add(new JobDraft.PushDraft(p.branches(),
                p.tags().stream().map(g -> new Located<>(g, p.pos())).toList(),
                p.paths().stream().map(g -> new Located<>(g, p.pos())).toList(),
                p.pathsIgnore().stream().map(g -> new Located<>(g, p.pos())).toList(), p.pos())));
        t.cron().forEach(c -> d.cronTriggers.add(new Located<>(c, job.pos())));
        t.poll().forEach(c -> d.pollTriggers.add(new Located<>(c, job.pos())));
        t.after().forEach(a -> d.afterTriggers.add(new JobDraft.AfterDraft(a.job(), a.parameters(), a.pos())));
        t.webhook().forEach(w -> d.webhookTriggers.add(new JobDraft.WebhookDraft(w.token(), w.params(), w.pos())));
        job.notifications().forEach(n -> d.notify.add(notify(n)));
        var groups = new LinkedHashMap<String, List<Task>>();
        for (Task task : job.tasks()) groups.computeIfAbsent(task.baseName(), k -> new ArrayList<>()).add(task);
        groups.forEach((base, cells) -> d.tasks.add(task(base, cells)));
        return d;
    }

    private static NotifyDraft notify(Notify n) {
        var d = new NotifyDraft();
        d.pos = n.pos();
        n.on().forEach(e -> d.on.add(new Located<>(e.label(), n.pos())));
        n.email().forEach(v -> d.email.add(new Located<>(v, n.pos())));
        n.ntfy().forEach(v -> d.ntfy.add(new Located<>(v, n.pos())));
        n.slack().forEach(v -> d.slack.add(new Located<>(v, n.pos())));
        n.statusWebhooks().forEach(v -> d.statusWebhooks.add(new Located<>(v, n.pos())));
        n.statusSecrets().forEach((url, secret) -> d.statusSecrets.put(new Located<>(url, n.pos()), new Located<>(secret, n.pos())));
        n.logWebhooks().forEach(v -> d.logWebhooks.add(new Located<>(v, n.pos())));
        return d;
    }

    /** One written task from its cells: the first cell's settings and the axes seen across all cells. */
    private static TaskDraft task(String base, List<Task> cells) {
        Task first = cells.getFirst();
        var d = new TaskDraft();
        d.name = base;
        d.pos = first.pos();
        d.steps.addAll(first.steps());
        first.needs().forEach(n -> d.needs.add(new Located<>(n, first.pos())));
        if (first.input() != null) d.inputs.add(new Located<>(first.input(), first.pos()));
        first.env().forEach((k, v) -> d.env.put(k, new Located<>(v, first.pos())));
        first.secrets().forEach(s -> d.secrets.add(new Located<>(s, first.pos())));
        first.artifacts().forEach(a -> d.artifacts.add(new Located<>(a, first.pos())));
        first.testReports().forEach(r -> d.testReports.add(new Located<>(r, first.pos())));
        if (first.artifactsWhen() != ArtifactsWhen.ON_SUCCESS) {
            d.artifactsWhen = new Located<>(first.artifactsWhen().word(), first.pos());
        }
        if (first.cache() != null) {
            var c = first.cache();
            d.cache = new io.stoker.dsl.draft.CacheDraft(c.paths().stream().map(p -> new Located<>(p, first.pos())).toList(),
                    new Located<>(c.key(), first.pos()),
                    c.files().stream().map(f -> new Located<>(f, first.pos())).toList(), first.pos());
        }
        if (first.retry() != 0) d.retry = new Located<>((long) first.retry(), first.pos());
        if (first.timeoutMillis() != 0) d.timeoutMillis = new Located<>(first.timeoutMillis(), first.pos());
        if (first.allowFailure()) d.allowFailure = new Located<>(true, first.pos());
        if (first.when() != null) d.when = new Located<>(first.when(), first.pos());
        if (first.agent() != null) d.agent = new Located<>(first.agent(), first.pos());
        if (first.approval() != null) {
            var gate = first.approval();
            d.approval = new io.stoker.dsl.draft.ApprovalDraft(gate.question(),
                    gate.approvers().stream().map(a -> new Located<>(a, first.pos())).toList(),
                    new Located<>(gate.timeoutMillis() / 1000 + "s", first.pos()), first.pos());
        }
        if (first.container() != null) {
            var c = first.container();
            d.image = new Located<>(c.image(), first.pos());
            d.pull = new Located<>(c.pull().word(), first.pos());
            c.services().forEach(s -> d.services.add(new io.stoker.dsl.draft.ServiceDraft(s.name(), s.image(), s.env(),
                    s.command(), s.ready(), first.pos())));
            if (c.credentials() != null) d.registryCredentials = new Located<>(c.credentials(), first.pos());
            if (c.hostAccess().privileged()) d.privileged = new Located<>(true, first.pos());
            if (c.hostAccess().hostNetwork()) d.network = new Located<>("host", first.pos());
            c.hostAccess().mounts().forEach(m -> d.mounts.add(new Located<>(m, first.pos())));
        }
        MatrixFold.fold(cells, d);
        return d;
    }

}

package io.stoker.engine.run;

import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.TaskLog;
import io.stoker.engine.version.PublishOutcome;
import io.stoker.engine.version.Release;
import io.stoker.engine.version.Retention;
import io.stoker.engine.version.VersionStore;
import io.stoker.expr.EvalContext;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.expr.Unknown;
import io.stoker.model.Publish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code publish}: once every task of a run succeeded, the run's artifact zips become a version of the project in
 * the {@link VersionStore}, then the job's retention runs. A refusal (the version exists, a bad version name) fails
 * the run, unless an administrator forced the run to replace an existing version; what happened is written to the
 * log of the job's last task.
 */
final class RunPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RunPublisher.class);

    private final RunExecution run;

    RunPublisher(RunExecution run) {
        this.run = run;
    }

    /** Publishes when the job asks to; returns why the run fails instead, or null. */
    String publish(Collection<TaskRun> tasks) {
        Publish publish = run.job.publish();
        if (publish == null) return null;
        if (!run.request.selection().all()) {
            // a version stands for the job's whole run: some of its tasks are not one
            note(tasks, "publish: nothing published, as the run is of some of the job's tasks only (asked for: "
                    + String.join(", ", run.request.selection().named()) + ")");
            return null;
        }
        VersionStore store = run.ports.versions();
        if (store == null) {
            note(tasks, "publish: there is no version store here; nothing published");
            return null;
        }
        RunContext context = run.request.context();
        String project = context.project() != null ? context.project() : run.job.name();
        String version;
        try {
            version = Expressions.template(publish.version()).render(scope(tasks));
        } catch (ExpressionException | RuntimeException e) {
            return refused(tasks, "publish version '" + publish.version() + "' cannot be rendered: " + e.getMessage());
        }
        // a version's name is listed to every reader, put in URLs and on disk: one carrying a secret value (through an
        // output that held it) is refused, as a trigger step refuses a parameter that would carry one
        if (!run.mask.apply(version).equals(version)) {
            return refused(tasks, "publish version '" + publish.version() + "' would carry a secret value into the"
                    + " version's name, which every reader sees; publish under a name without it");
        }
        Map<String, Path> zips = new LinkedHashMap<>();
        for (TaskRun t : tasks) if (t.artifacts() != null) zips.put(t.name(), Path.of(t.artifacts()));
        try {
            var release = new Release(project, version.trim(), run.key(), run.job.name(), context.commit(), zips,
                    run.request.forcePublish(),
                    run.ports.clock().instant());
            return switch (store.publish(release)) {
                case PublishOutcome.Refused r -> refused(tasks, "publish refused: " + r.reason());
                case PublishOutcome.Published p -> {
                    note(tasks, (run.request.forcePublish() ? "published (forced: replacing any earlier one) version "
                            : "published version ") + p.manifest().version() + " of " + project + ": "
                            + Count.of(p.manifest().files().size(), "file") + ", " + Count.of(p.manifest().size(), "byte"));
                    retain(store, project, publish, tasks);
                    yield null;
                }
            };
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot publish version {}: {}", run.key(), version, e.toString());
            return refused(tasks, "publish failed: " + e.getMessage());
        }
    }

    private void retain(VersionStore store, String project, Publish publish, Collection<TaskRun> tasks) {
        if (!publish.retains()) return;
        try {
            var gone = new Retention(publish.keepLast(), publish.keepDays()).apply(store, project,
                    run.ports.clock().instant(), run.ports.deployed().of(project));
            if (!gone.isEmpty()) note(tasks, "retention removed " + io.stoker.model.Plural.noun(gone.size(), "version") + " " + String.join(", ", gone));
        } catch (Exception e) {
            LOG.warn("run {}: retention of {} failed: {}", run.key(), project, e.toString());
        }
    }

    private String refused(Collection<TaskRun> tasks, String reason) {
        note(tasks, reason);
        return reason;
    }

    /** One system line in the log of the job's last task (reopened: it ended already). */
    private void note(Collection<TaskRun> tasks, String text) {
        TaskRun last = null;
        for (TaskRun t : tasks) last = t;
        if (last == null) return;
        try (TaskLog log = run.ports.logs().open(run.key(), last.name())) {
            log.line(LogStream.SYSTEM, run.ports.clock().millis(), run.mask.apply(text));
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: {} ({})", run.key(), text, e.toString());
        }
    }

    /** What the version template reads: parameters, run facts, the job's env as written, and every task's outputs. */
    private EvalContext scope(Collection<TaskRun> tasks) {
        Map<String, TaskRun> byName = new LinkedHashMap<>();
        tasks.forEach(t -> byName.put(t.name(), t));
        return new EvalContext() {
            @Override
            public Object variable(String root, String name) {
                return switch (root) {
                    case "params" -> run.request.parameters().get(name);
                    case "run" -> run.request.context().variable(name);
                    case "env" -> run.job.env().get(name);
                    default -> null;
                };
            }

            @Override
            public Object output(String task, String key) {
                TaskRun t = byName.get(task);
                return t == null ? null : t.outputs().get(key);
            }

            @Override
            public Object status(String function) {
                return "always".equals(function) || "success".equals(function) ? Boolean.TRUE
                        : "failure".equals(function) || "cancelled".equals(function) ? Boolean.FALSE : Unknown.VALUE;
            }
        };
    }
}

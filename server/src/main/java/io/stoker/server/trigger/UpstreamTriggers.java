package io.stoker.server.trigger;

import io.stoker.engine.run.RunState;
import io.stoker.expr.EvalContext;
import io.stoker.expr.Expressions;
import io.stoker.model.Job;
import io.stoker.model.Triggers;
import io.stoker.server.Refused;
import io.stoker.server.endnews.EndTeller;
import io.stoker.server.endnews.EndsTold;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code after '<job>'} triggers: when a run succeeds, each job of the same project (compiled at the run's commit)
 * that runs after the run's job starts at the same commit, with the after-trigger's parameters rendered as
 * templates against the upstream run ({@code params.*}, {@code outputs.task.key}, {@code run.*}). The new run's
 * metadata holds its {@link UpstreamLink}; a chain longer than {@link io.stoker.engine.trigger.TriggerChain#MAX}
 * starts nothing more. Runs are queued on one thread of its own, fed by the {@link io.stoker.server.event.EventHub}.
 */
public final class UpstreamTriggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTriggers.class);

    private final ProjectService projects;
    private final RunService runs;
    private final RunRepository runRows;
    private final EndsTold ends;
    private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-upstream");
        t.setDaemon(true);
        return t;
    });

    /** @param ends where a run's end is marked told once its downstream jobs are queued */
    public UpstreamTriggers(ProjectService projects, RunService runs, RunRepository runRows, EndsTold ends) {
        this.ends = ends;
        this.projects = projects;
        this.runs = runs;
        this.runRows = runRows;
    }

    /**
     * Feeds run events (from the {@link io.stoker.server.event.EventHub}); a succeeded run starts its downstream jobs.
     * Every end is then marked told ({@link EndsTold}): a run started by an after-trigger is queued once per upstream
     * run and job whoever starts it (its firing), so one a crash kept from being marked is started at most once.
     */
    public void onEvent(LifecycleEvent event) {
        if (!(event instanceof RunFinished f)) return;
        String key = f.run();
        try {
            work.execute(() -> {
                try {
                    if (f.state() == RunState.SUCCEEDED) upstreamSucceeded(key);
                    ends.told(key, EndTeller.AFTER_TRIGGERS);
                } catch (Exception e) {
                    LOG.warn("downstream jobs of run {} did not start: {}", key, e.getMessage());
                    ends.failed(key, EndTeller.AFTER_TRIGGERS, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: the next start asks again
        }
    }

    /** Starts the jobs that run {@code after} the succeeded run's job. */
    public List<StartedRun> upstreamSucceeded(String key) throws SQLException {
        RunRow up = runRows.find(key).orElse(null);
        if (up == null) return List.of();
        if (!UpstreamLink.mayExtend(up)) {
            LOG.warn("run {} ends an upstream chain of {} runs; its downstream jobs do not start", key,
                    UpstreamLink.chainOf(up));
            return List.of();
        }
        Project p = projects.get(up.project());
        List<Job> jobs = p.isGit() && up.commit() != null
                ? projects.compileAt(p.name(), up.commit()).jobs()
                : projects.jobs().stream().filter(j -> j.project().equals(p.name())).map(StoredJob::job).toList();
        UpstreamLink link = UpstreamLink.after(up);
        List<StartedRun> out = new ArrayList<>();
        for (Job job : jobs) {
            for (Triggers.After after : job.triggers().after()) {
                if (!after.job().equals(up.job())) continue;
                try {
                    // once per upstream run and job, whichever server hears of the run first
                    StartedRun.queueOnce("after:" + up.key() + ":" + job.name(), runs, p.name(), job, p.gitUrl(),
                            up.commit(), up.branch(), render(after.parameters(), up), link.metadata(), "upstream")
                            .ifPresent(out::add);
                } catch (Refused | IllegalArgumentException e) {
                    LOG.warn("job {}/{} after {}: not started: {}", p.name(), job.name(), key, e.getMessage());
                }
            }
        }
        return out;
    }

    private static Map<String, String> render(Map<String, String> templates, RunRow up) {
        EvalContext context = new UpstreamContext(up);
        Map<String, String> out = new LinkedHashMap<>();
        templates.forEach((name, text) -> {
            try {
                out.put(name, Expressions.template(text).render(context));
            } catch (Exception e) {
                throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** What an after-trigger's parameter templates see: the upstream run's params, outputs and identity. */
    private record UpstreamContext(RunRow run) implements EvalContext {
        @Override
        public Object variable(String root, String name) {
            return switch (root) {
                case "params" -> run.parameters().get(name);
                case "run" -> switch (name) {
                    case "key" -> run.key();
                    case "number" -> run.number();
                    case "project" -> run.project();
                    case "job" -> run.job();
                    case "branch" -> run.branch();
                    case "commit" -> run.commit();
                    case "trigger" -> run.trigger();
                    default -> null;
                };
                default -> null;
            };
        }

        @Override
        public Object output(String task, String key) {
            return run.tasks().stream().filter(t -> t.name().equals(task)).findFirst()
                    .map(TaskRow::outputs).map(o -> o.get(key)).orElse(null);
        }

        @Override
        public Object status(String function) {
            return "success".equals(function); // only a succeeded run triggers downstream jobs
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}

package io.stoker.server.trigger;

import io.stoker.dsl.cron.CronSchedule;
import io.stoker.dsl.cron.InvalidCronException;
import io.stoker.engine.run.RunState;
import io.stoker.expr.EvalContext;
import io.stoker.expr.Expressions;
import io.stoker.model.Job;
import io.stoker.model.Triggers;
import io.stoker.server.Problem;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.project.BuildSource;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.stoker.server.forge.BranchFilter;
import io.vertx.core.Vertx;
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
 * Starts runs from the triggers the Jobfile declares: cron schedules, polling of the git URL and upstream jobs
 * (push webhooks are {@link io.stoker.server.forge.PushHooks}). Every run it starts is queued (a busy job waits
 * rather than refusing its trigger).
 *
 * <ul>
 *   <li>Cron ({@code cron:project/job} in the {@link TriggerClock}): a run at the project's branch head (freestyle:
 *       the stored job).</li>
 *   <li>Poll ({@code poll:project/job}): fetches, and starts a run for each branch head that moved since the heads
 *       stored for the job, on branches matching the job's {@code push} filters, or the project's branch when the
 *       job has no push trigger. A job's heads are seeded from the mirror when it is first registered, so
 *       existing branches are not all built at once.</li>
 *   <li>Upstream: when a run succeeds, each job of the same project (compiled at the run's commit) with
 *       {@code after '<job>'} starts at the same commit with the after-trigger's parameters rendered as templates
 *       against the upstream run ({@code params.*}, {@code outputs.task.key}, {@code run.*}).</li>
 * </ul>
 * Trigger work (cron, poll, upstream) runs on one thread of its own, so it never blocks an event loop.
 */
public final class JobTriggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobTriggers.class);
    private static final String CLOCK_NAME = "triggers";

    private final ProjectService projects;
    private final RunService runs;
    private final RunRepository runRows;
    private final GitMirrors mirrors;
    private final Poller poller;
    private final GitCredentialsLookup credentials;
    private final TriggerState state;
    private final TriggerClock clock;
    private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-triggers");
        t.setDaemon(true);
        return t;
    });

    /** A run a trigger started. */
    public record Started(String key, long number, String project, String job, String trigger) {
    }

    public JobTriggers(ProjectService projects, RunService runs, RunRepository runRows, GitMirrors mirrors,
                       GitCredentialsLookup credentials, TriggerState state, TriggerClock clock) {
        this.projects = projects;
        this.credentials = credentials;
        this.runs = runs;
        this.runRows = runRows;
        this.mirrors = mirrors;
        this.poller = new Poller(mirrors);
        this.state = state;
        this.clock = clock;
    }

    /** The name under which the clock's last tick is stored. */
    public static String clockName() {
        return CLOCK_NAME;
    }

    // ---- registration -------------------------------------------------------------------------------------

    /** Registers the cron and poll schedules of every project's jobs. */
    public void reloadAll() throws SQLException {
        for (Project p : projects.list()) {
            reload(p.name());
        }
    }

    /** Registers a project's schedules again after it changed; a deleted project's are removed. */
    public void reload(String project) {
        for (String key : clock.keys()) {
            // project names hold no '/', so the prefix names this project's jobs only
            if (key.startsWith("cron:" + project + "/") || key.startsWith("poll:" + project + "/")) {
                clock.unregister(key);
            }
        }
        try {
            var found = projects.list().stream().filter(p -> p.name().equals(project)).findFirst();
            if (found.isEmpty()) {
                state.forget(project);
                return;
            }
            Project p = found.get();
            for (StoredJob stored : projects.jobs()) {
                if (!stored.project().equals(project)) continue;
                Job job = stored.job();
                String identity = project + "/" + job.name();
                register("cron:" + identity, job.triggers().cron(), identity);
                if (p.isGit() && !job.triggers().poll().isEmpty()) {
                    register("poll:" + identity, job.triggers().poll(), identity);
                    if (state.heads(project, job.name()).isEmpty() && mirrors.exists(project)) {
                        state.saveHeads(project, job.name(), mirrors.refs(project).branches());
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("cannot register the triggers of project '{}'", project, e);
        }
    }

    private void register(String key, List<String> specs, String identity) {
        List<CronSchedule> schedules = new ArrayList<>();
        for (String spec : specs) {
            try {
                schedules.add(CronSchedule.parse(spec, identity));
            } catch (InvalidCronException e) {
                LOG.warn("{}: '{}' is not a valid schedule and never fires: {}", identity, spec, e.getMessage());
            }
        }
        clock.register(key, schedules);
    }

    /** Ticks on a Vert.x timer each minute; firings are handled on the trigger thread. */
    public void start(Vertx vertx) {
        clock.start(vertx, firing -> work.execute(() -> handle(firing)));
    }

    /**
     * Ticks now (per the injected clock) and handles what is due before returning: the runs started. For tests
     * and tools; the timer of {@link #start} does the same each minute.
     */
    public List<Started> tick() throws Exception {
        List<TriggerClock.Firing> due = clock.tick();
        return work.submit(() -> {
            List<Started> out = new ArrayList<>();
            for (TriggerClock.Firing f : due) out.addAll(handle(f));
            return out;
        }).get();
    }

    private List<Started> handle(TriggerClock.Firing firing) {
        try {
            state.saveTick(CLOCK_NAME, clock.lastTick());
            String kind = firing.key().substring(0, firing.key().indexOf(':'));
            String identity = firing.key().substring(kind.length() + 1);
            String project = identity.substring(0, identity.indexOf('/'));
            String job = identity.substring(project.length() + 1);
            return switch (kind) {
                case "cron" -> cron(project, job, firing);
                case "poll" -> poll(project, job);
                default -> List.of();
            };
        } catch (Exception e) {
            LOG.warn("trigger {} did not start a run: {}", firing.key(), e.getMessage());
            return List.of();
        }
    }

    private List<Started> cron(String project, String job, TriggerClock.Firing firing) throws SQLException {
        BuildSource source = projects.source(project, job, null);
        Map<String, Object> metadata = Map.of("cron", Map.of("scheduledAt", firing.scheduledAt().toString()));
        return List.of(start(project, source.job(), source.gitUrl(), source.commit(), source.branch(), Map.of(),
                metadata, "cron"));
    }

    private List<Started> poll(String project, String jobName) throws SQLException {
        Project p = projects.get(project);
        if (!p.isGit()) return List.of();
        Job current = projects.job(project, jobName).job();
        Map<String, String> seen = state.heads(project, jobName);
        PollResult result = poller.poll(project, p.gitUrl(), credentials.require(p.name(), p.credentials()), seen);
        List<Started> started = new ArrayList<>();
        for (BranchChange change : result.changes()) {
            boolean wanted = current.triggers().push().isEmpty()
                    ? change.branch().equals(p.branch())
                    : pushMatches(current, change.branch());
            if (!wanted) continue;
            try {
                Job job = projects.compileAt(project, change.commit()).job(jobName).orElse(null);
                if (job == null) continue; // the job does not exist at that commit
                started.add(start(project, job, p.gitUrl(), change.commit(), change.branch(), Map.of(),
                        Map.of("poll", Map.of("branch", change.branch(), "previous", String.valueOf(change.previous()))),
                        "poll"));
            } catch (Problem | io.stoker.server.Refused e) {
                LOG.warn("poll of {}/{}: {} at {} not built: {} {}", project, jobName, change.branch(),
                        change.commit(), e.getMessage(), e instanceof Problem problem ? problem.details()
                                : ((io.stoker.server.Refused) e).details());
            }
        }
        state.saveHeads(project, jobName, result.heads());
        return started;
    }

    private static boolean pushMatches(Job job, String branch) {
        return job.triggers().push().stream().anyMatch(push -> BranchFilter.matches(push.branches(), branch));
    }

    // ---- upstream -------------------------------------------------------------------------------------------

    /** Feeds run events (from the {@link io.stoker.server.event.EventHub}); a succeeded run starts its downstream jobs. */
    public void onEvent(LifecycleEvent event) {
        if (event instanceof RunFinished f && f.state() == RunState.SUCCEEDED) {
            String key = f.run();
            work.execute(() -> {
                try {
                    upstreamSucceeded(key);
                } catch (Exception e) {
                    LOG.warn("downstream jobs of run {} did not start: {}", key, e.getMessage());
                }
            });
        }
    }

    /** Starts the jobs that run {@code after} the succeeded run's job. */
    public List<Started> upstreamSucceeded(String key) throws SQLException {
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
        List<Started> out = new ArrayList<>();
        for (Job job : jobs) {
            for (Triggers.After after : job.triggers().after()) {
                if (!after.job().equals(up.job())) continue;
                try {
                    out.add(start(p.name(), job, p.gitUrl(), up.commit(), up.branch(), render(after.parameters(), up),
                            link.metadata(), "upstream"));
                } catch (Problem | io.stoker.server.Refused | IllegalArgumentException e) {
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

    // ---- shared ---------------------------------------------------------------------------------------------

    private Started start(String project, Job job, String gitUrl, String commit, String branch,
                          Map<String, String> parameters, Object metadata, String trigger) throws SQLException {
        RunService.Queued q = runs.start(project, job, gitUrl, commit, branch, parameters, metadata, trigger);
        LOG.info("{} started run {} of {}/{}", trigger, q.key(), project, job.name());
        return new Started(q.key(), q.number(), project, job.name(), trigger);
    }

    @Override
    public void close() {
        clock.stop();
        work.shutdownNow();
    }
}

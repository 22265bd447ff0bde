package io.stoker.server.run;

import io.stoker.engine.deploy.DeployJobs;
import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.PartialRerun;
import io.stoker.engine.run.TaskSelection;
import io.stoker.engine.start.InvalidParameters;
import io.stoker.engine.start.RunStarter;
import io.stoker.model.Job;
import io.stoker.server.Refused;
import io.stoker.server.project.BuildSource;
import io.stoker.server.project.ProjectService;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queues, lists, cancels and reruns runs. A run is in the database as {@code queued} before its trigger is
 * answered. Blocking (JDBC, git, compile): call it from a worker thread. Refusals are {@link Refused}.
 */
public final class RunService {
    private final RunRepository runs;
    private final ProjectService projects;
    private final RunDispatcher dispatcher;
    private final RunKeys keys = new RunKeys();
    private final Clock clock;
    private final NewRunHook everyRun;
    private final ReceiversKnown receiversKnown;
    private final SupersededRuns superseded;

    public RunService(RunRepository runs, ProjectService projects, RunDispatcher dispatcher, Clock clock) {
        this(runs, projects, dispatcher, clock, run -> { }, key -> { });
    }

    /**
     * @param everyRun       called for every new run once it is saved, before its first event (its Jobfile webhooks)
     * @param receiversKnown called after that and the trigger's own hook, still before the first event: every
     *                       receiver of the run is known (the status webhooks' {@code queued} goes out from here)
     */
    public RunService(RunRepository runs, ProjectService projects, RunDispatcher dispatcher, Clock clock,
                      NewRunHook everyRun, ReceiversKnown receiversKnown) {
        this.runs = runs;
        this.projects = projects;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.everyRun = everyRun;
        this.receiversKnown = receiversKnown;
        this.superseded = new SupersededRuns(runs, dispatcher);
    }

    /** Work done for every new run, whatever started it, after it is saved and before its first event. */
    @FunctionalInterface
    public interface NewRunHook {
        void stored(NewRun run) throws SQLException;
    }

    /** Work done once a new run's receivers are all subscribed, before its queued event lets it start. */
    @FunctionalInterface
    public interface ReceiversKnown {
        void known(String key);
    }

    /** What a trigger answered. */
    public record Queued(String key, long number, String status) {
    }

    /**
     * Queues a run of a job. A job with {@code concurrency} that has that many runs queued or running is busy
     * (409) unless {@code queue} is true.
     */
    public Queued trigger(String project, String job, Map<String, String> parameters, String ref, Object metadata,
                          String trigger, boolean queue) throws SQLException {
        return trigger(project, job, parameters, ref, metadata, trigger, queue, key -> { });
    }

    /**
     * Queues a run like {@link #trigger(String, String, Map, String, Object, String, boolean)} and calls
     * {@code stored} with its key once it is saved, before its {@code queued} event: what the trigger asked for
     * besides the run (its status webhooks) is in place before the first state change is told.
     */
    public Queued trigger(String project, String job, Map<String, String> parameters, String ref, Object metadata,
                          String trigger, boolean queue, StoredHook stored) throws SQLException {
        return trigger(project, job, parameters, ref, metadata, trigger, queue, false, stored);
    }

    /**
     * Queues a run like {@link #trigger(String, String, Map, String, Object, String, boolean, StoredHook)}; with
     * {@code forcePublish} its {@code publish} replaces a version that exists instead of failing the run. Only an
     * administrator may ask for that: the caller checks.
     */
    public Queued trigger(String project, String job, Map<String, String> parameters, String ref, Object metadata,
                          String trigger, boolean queue, boolean forcePublish, StoredHook stored) throws SQLException {
        return triggerUnannounced(project, job, parameters, ref, metadata, trigger, queue, forcePublish, List.of(),
                stored).announce();
    }

    /**
     * Queues a run like {@link #trigger(String, String, Map, String, Object, String, boolean, boolean, StoredHook)}
     * but leaves its {@code queued} event, and with it the dispatcher's start of the run, to the caller: the API
     * answers 201 first, so starting the run does not compete with the answer for the CPU (on two cores it made
     * the 201 ~1.8 ms later). The run is saved either way; a caller that never announces leaves it queued until the
     * dispatcher's next look at the queue (another run queued or ended, or the next start).
     * <p>
     * With {@code tasks} named, the run runs only them and what they need; the job's other tasks end skipped and it
     * publishes no version ({@link TaskSelection}). A name that is no task of the job is a malformed {@code tasks}.
     */
    public Unannounced triggerUnannounced(String project, String job, Map<String, String> parameters, String ref,
                                          Object metadata, String trigger, boolean queue, boolean forcePublish,
                                          List<String> tasks, StoredHook stored) throws SQLException {
        return triggerUnannounced(project, job, parameters, ref, metadata, trigger, queue, forcePublish, tasks, null,
                stored);
    }

    /** Queues a run like the other {@code triggerUnannounced}, asked for by user {@code startedBy} (null: nobody). */
    public Unannounced triggerUnannounced(String project, String job, Map<String, String> parameters, String ref,
                                          Object metadata, String trigger, boolean queue, boolean forcePublish,
                                          List<String> tasks, String startedBy, StoredHook stored)
            throws SQLException {
        BuildSource source;
        try {
            source = projects.source(project, job, ref);
        } catch (Refused.NotFound e) {
            throw deploymentJob(project, job).orElse(e);
        }
        String unknown = TaskSelection.refusal(source.job(), tasks);
        if (unknown != null) {
            throw new Refused.Malformed("tasks: " + unknown, "field: tasks");
        }
        NewRun run = new NewRun(keys.next(), project, source.job(), trigger, source.gitUrl(), source.commit(),
                source.branch(), resolve(source.job(), parameters).values(), metadata, null, null, null, forcePublish, null,
                source.tag(), tasks).startedBy(startedBy);
        return saved(run, insert(run, queue), stored);
    }

    /** A saved run whose {@code queued} event is still to be published ({@link #announce()}). */
    public record Unannounced(Queued queued, Runnable tell) {
        /** Publishes the run's {@code queued} event (the dispatcher looks at the queue then); answers the run. */
        public Queued announce() {
            tell.run();
            return queued;
        }
    }

    /** Work done with a new run's key after it is saved and before its first event. */
    @FunctionalInterface
    public interface StoredHook {
        void stored(String key) throws SQLException;
    }

    /**
     * Queues a run a trigger started (push, cron, poll, upstream) of an already compiled job: never busy, a job
     * whose concurrency is used up waits in the queue.
     */
    public Queued start(String project, Job job, String gitUrl, String commit, String branch,
                        Map<String, String> parameters, Object metadata, String trigger) throws SQLException {
        return start(project, job, gitUrl, commit, branch, parameters, metadata, trigger, null);
    }

    /** Queues a run like the other {@code start}, of tag {@code tag} (its short name): a tag push's. */
    public Queued startTag(String project, Job job, String gitUrl, String commit, String tag, Object metadata,
                           String trigger) throws SQLException {
        return enqueue(new NewRun(keys.next(), project, job, trigger, gitUrl, commit, null,
                resolve(job, Map.of()).values(), metadata, null, null, null, false, null, tag), true);
    }

    /** Queues a run like the other {@code start}, of a pull/merge request when {@code pr} is not null. */
    public Queued start(String project, Job job, String gitUrl, String commit, String branch,
                        Map<String, String> parameters, Object metadata, String trigger, PullRequest pr)
            throws SQLException {
        return enqueue(new NewRun(keys.next(), project, job, trigger, gitUrl, commit, branch,
                resolve(job, parameters).values(), metadata, null, null, pr), true);
    }

    /**
     * Queues a push's run (of pull request {@code pr} when not null) like {@code start}; a job with
     * {@code cancelSuperseded} then cancels its older runs of that branch or pull request (see {@link SupersededRuns}).
     */
    public Queued startPushed(String project, Job job, String gitUrl, String commit, String branch, Object metadata,
                              PullRequest pr) throws SQLException {
        Queued queued = start(project, job, gitUrl, commit, branch, Map.of(), metadata,
                pr == null ? "push" : "pull-request", pr);
        superseded.cancelOlder(project, job, branch, pr, queued);
        return queued;
    }

    /**
     * Queues a run a trigger firing started, like {@code start}, unless a run of the same {@code firing} is queued
     * already: of several servers sharing a database that handle the same cron tick (or poll result, or upstream
     * run), exactly one queues the run; the others get empty.
     */
    public java.util.Optional<Queued> startFired(String firing, String project, Job job, String gitUrl, String commit,
                                                 String branch, Map<String, String> parameters, Object metadata,
                                                 String trigger) throws SQLException {
        NewRun run = new NewRun(keys.next(), project, job, trigger, gitUrl, commit, branch,
                resolve(job, parameters).values(), metadata, null, null, null, false, firing);
        java.util.OptionalLong number = held(run, () -> runs.insertUnlessFired(run, clock.instant()));
        if (number.isEmpty()) {
            dispatcher.notSaved(run.key());
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(saved(run, number.getAsLong(), key -> { }).announce());
    }

    /**
     * Queues a run of an already compiled job (never busy) whose files the caller prepares: {@code before} gets
     * the run's key before the run is saved (so no dispatcher can start it without them), {@code stored} after.
     */
    public Queued start(String project, Job job, Map<String, String> parameters, Object metadata, String trigger,
                        StoredHook before, StoredHook stored) throws SQLException {
        return start(project, job, parameters, metadata, trigger, null, before, stored);
    }

    /** Queues a run like the other {@code start} with prepared files, asked for by user {@code startedBy}. */
    public Queued start(String project, Job job, Map<String, String> parameters, Object metadata, String trigger,
                        String startedBy, StoredHook before, StoredHook stored) throws SQLException {
        String key = keys.next();
        before.stored(key);
        return enqueue(new NewRun(key, project, job, trigger, null, null, null, resolve(job, parameters).values(),
                metadata, null, null).startedBy(startedBy), true, stored);
    }

    /** The one resolution of a run's parameters: the row keeps them typed, and the dispatcher starts with those. */
    private static ResolvedParameters resolve(Job job, Map<String, String> given) {
        try {
            return RunStarter.parameters(job, given);
        } catch (InvalidParameters e) {
            // every bad one's field first, as every refusal of a field names it; then what is wrong with each
            List<String> details = new ArrayList<>();
            e.problems().forEach(p -> details.add("field: parameters." + p.name()));
            details.addAll(e.errors());
            throw new Refused.Invalid("invalid parameters", details);
        }
    }

    /**
     * A new run of the same compiled plan, commit, parameters and selected tasks; from a task on (a matrix task's
     * name: from all its cells), reusing what succeeded before it.
     */
    public Queued rerun(String key, String from, boolean queue) throws SQLException {
        return rerun(key, from, false, queue);
    }

    /**
     * As {@link #rerun(String, String, boolean)}; with {@code failed}, of what did not succeed in the earlier run,
     * which must have ended (see {@link PartialRerun#ofFailed}).
     */
    public Queued rerun(String key, String from, boolean failed, boolean queue) throws SQLException {
        return rerun(key, from, failed, queue, null);
    }

    /** As {@link #rerun(String, String, boolean, boolean)}, asked for by user {@code startedBy} (null: nobody). */
    public Queued rerun(String key, String from, boolean failed, boolean queue, String startedBy) throws SQLException {
        RunRow earlier = get(key);
        Job job = runs.model(key).orElseThrow(() -> new Refused.NotFound("no run '" + key + "'"));
        if (DeployJobs.TRIGGER.equals(earlier.trigger())) throw deploymentRerun(earlier, job);
        if (failed) failedTasks(earlier, job);
        TaskSelection selection = TaskSelection.of(job, earlier.selectedTasks());
        if (from != null && RerunFrom.tasks(job, from).stream().noneMatch(selection::includes)) {
            List<String> details = new ArrayList<>(List.of("field: from"));
            job.tasks().stream().filter(t -> selection.includes(t.name())).forEach(t -> details.add("task: " + t.name()));
            throw new Refused.Invalid(RerunFrom.tasks(job, from).isEmpty() ? "no task '" + from + "' in run " + key
                    : "task '" + from + "' was not selected in run " + key + " (its trigger asked for "
                    + String.join(", ", earlier.selectedTasks()) + " and what they need)", details);
        }
        return enqueue(new NewRun(keys.next(), earlier.project(), job, "rerun", earlier.gitUrl(), earlier.commit(),
                earlier.branch(), new LinkedHashMap<>(earlier.parameters()), earlier.metadata(), key, from,
                earlier.pr(), false, null, earlier.tag(), earlier.selectedTasks(), failed, startedBy), queue);
    }

    /** The tasks a rerun of the failed ones starts from; refused when the run has not ended or none failed. */
    private static List<String> failedTasks(RunRow earlier, Job job) {
        if (!earlier.isFinal()) {
            throw new Refused.Conflict("running", "run " + earlier.key() + " is " + earlier.status().label()
                    + ": its failed tasks can be rerun once it has ended");
        }
        List<String> starts = PartialRerun.ofFailed(job, H2RunStore.record(earlier)).starts();
        if (starts.isEmpty()) {
            throw new Refused.Conflict("nothing-failed", "no task failed in run " + earlier.key() + " (it "
                    + earlier.status().label() + "): rerun it whole, or from a task");
        }
        return starts;
    }

    /**
     * A deployment run is not run again: its version's files were staged for it alone (a rerun starts without them,
     * stops the target's service and starts nothing), and the deployment history would not know of it.
     */
    private static Refused deploymentRerun(RunRow earlier, Job job) {
        Map<String, String> env = job.tasks().isEmpty() ? Map.of() : job.tasks().getFirst().env();
        String version = env.getOrDefault(DeployJobs.VERSION_ENV, "VERSION");
        String target = env.getOrDefault(DeployJobs.TARGET_ENV, "TARGET");
        return new Refused.Conflict("deployment-run", "run " + earlier.key() + " deployed version " + version + " of "
                + earlier.project() + " to " + target + "; a deployment is not rerun: deploy the version again",
                List.of("deploy: stoker deploy " + earlier.project() + " " + version + " --to " + target,
                        "api: POST /api/v1/projects/" + earlier.project() + "/deployments"));
    }

    /**
     * {@code deploy-TARGET} is the job a deployment to TARGET runs, not one of the Jobfile's: triggered, it would have
     * no version to deploy. Asked for, it is refused as a rerun of a deployment is, with the command that deploys.
     */
    private java.util.Optional<Refused> deploymentJob(String project, String job) throws SQLException {
        // the Jobfile is compiled for its targets only for a name that can be one
        boolean target = job.startsWith(DeployJobs.jobName("")) && projects.deployTargets(project).stream()
                .anyMatch(t -> DeployJobs.jobName(t.name()).equals(job));
        if (!target) return java.util.Optional.empty();
        String name = job.substring(DeployJobs.jobName("").length());
        return java.util.Optional.of(new Refused.Conflict("deployment-job", job + " is the job of " + project
                + "'s deploy target '" + name + "': a deployment deploys a version, it is not triggered",
                List.of("deploy: stoker deploy " + project + " VERSION --to " + name,
                        "versions: stoker versions " + project, "api: POST /api/v1/projects/" + project + "/deployments")));
    }

    private Queued enqueue(NewRun run, boolean queue) throws SQLException {
        return enqueue(run, queue, key -> { });
    }

    private Queued enqueue(NewRun run, boolean queue, StoredHook stored) throws SQLException {
        return saved(run, insert(run, queue), stored).announce();
    }

    /** Saves a new run; refused when its job is busy and {@code queue} is false. Answers its number. */
    private long insert(NewRun run, boolean queue) throws SQLException {
        // the busy check and the insert must not interleave with another trigger of the same job
        synchronized (this) {
            int limit = run.job().concurrency();
            int active = limit > 0 && !queue ? runs.active(run.project(), run.job().name()) : 0;
            if (limit > 0 && !queue && active >= limit) {
                throw new Refused.Conflict("busy", "job '" + run.project() + "/" + run.job().name() + "' allows "
                        + limit + " run" + (limit == 1 ? "" : "s") + " at a time and " + (active == 1 ? "one is" : active
                        + " are") + " queued or going; add ?queue=true to queue this one",
                        List.of("concurrency: " + limit, "active: " + active));
            }
            return held(run, () -> runs.insert(run, clock.instant()));
        }
    }

    private interface Insert<T> {
        T run() throws SQLException;
    }

    /** Saves a new run that no look at the queue starts before its queued event is out (saved() announces it). */
    private <T> T held(NewRun run, Insert<T> insert) throws SQLException {
        dispatcher.saving(run.key());
        try {
            return insert.run();
        } catch (SQLException | RuntimeException e) {
            dispatcher.notSaved(run.key());
            throw e;
        }
    }

    /** After a new run is saved: its hooks; its {@code queued} event is the caller's {@link Unannounced#announce()}. */
    private Unannounced saved(NewRun run, long number, StoredHook stored) throws SQLException {
        everyRun.stored(run);
        stored.stored(run.key());
        receiversKnown.known(run.key());
        return new Unannounced(new Queued(run.key(), number, "queued"),
                () -> dispatcher.queued(run.key(), run.project(), run.job().name()));
    }

    public RunRow get(String key) throws SQLException {
        if (!RunKeys.plausible(key)) throw new Refused.NotFound("no run '" + key + "'");
        return runs.find(key).orElseThrow(() -> new Refused.NotFound("no run '" + key + "'"));
    }

    /** A run named as {@code PROJECT/JOB#N}. */
    public RunRow get(String project, String job, long number) throws SQLException {
        return runs.find(project, job, number).orElseThrow(() -> new Refused.NotFound("no run " + project + "/" + job + "#"
                + number));
    }

    public RunRepository.Page list(RunFilter filter) throws SQLException {
        return runs.list(filter);
    }

    public Map<String, io.stoker.engine.run.RunState> lastStatuses() throws SQLException {
        return runs.lastStatuses();
    }

    /** The status of the job's newest run of a branch (any when null) that is not a pull request's (a badge's). */
    public java.util.Optional<io.stoker.engine.run.RunState> newestStatus(String project, String job, String branch)
            throws SQLException {
        return runs.newestStatus(project, job, branch);
    }

    /** The number of the oldest run of the job a trigger of this kind queued that has not started yet, if any. */
    public java.util.OptionalLong queuedBy(String project, String job, String trigger) throws SQLException {
        return runs.queuedBy(project, job, trigger);
    }
}

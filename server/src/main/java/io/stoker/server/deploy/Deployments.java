package io.stoker.server.deploy;

import io.stoker.engine.deploy.DeployJobs;
import io.stoker.engine.deploy.DeployRefused;
import io.stoker.engine.deploy.DeployRuns;
import io.stoker.engine.deploy.Deployer;
import io.stoker.engine.deploy.Deployment;
import io.stoker.engine.deploy.Verdict;
import io.stoker.engine.files.FileTrees;
import io.stoker.engine.run.Outcome;
import io.stoker.model.DeployTarget;
import io.stoker.server.Refused;
import io.stoker.server.event.DeploymentEnded;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.RunFinished;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The server's deployments: deploys and rolls back through the engine's {@link Deployer} (targets as the project's
 * Jobfile declares them now), queues their runs through the {@link RunService} with the version's files staged for
 * the workspace, judges each deployment run when it finishes (on its own thread: the verdict may queue a rollback)
 * and publishes each verdict it records as a {@link DeploymentEnded} once it is saved, and on close stops the services
 * deployed to this machine ({@link LocalServices}). Blocking: call from a worker.
 */
public final class Deployments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    private static final int MAX_HISTORY = 500;

    private final Deployer deployer;
    private final DeploymentRepository history;
    private final ProjectService projects;
    private final LocalServices local;
    /** In a cluster the deployed services are the cluster's: a server leaving stops none of them. */
    private final boolean clustered;
    private final Runnable unsubscribe;
    /** How often deployments left without a verdict are looked for (the first time one such period after start). */
    private static final Duration SWEEP = Duration.ofMinutes(1);

    private final RunService runs;
    private final EventHub events;
    private final ScheduledExecutorService judge = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stoker-deployments");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param staged    where a run's files wait before it starts (the dispatcher's staging directory)
     * @param localRoot where targets without an agent live ({@code <localRoot>/<project>/<target>})
     */
    public Deployments(io.stoker.engine.version.VersionStore versions, DeploymentRepository history,
                       ProjectService projects, RunService runs, EventHub events, Path staged, Path localRoot,
                       Clock clock, boolean clustered) {
        this.clustered = clustered;
        this.history = history;
        this.projects = projects;
        this.runs = runs;
        this.events = events;
        this.local = new LocalServices(localRoot);
        DeployRuns starter = (project, job, startedBy, files, saved) -> runs.start(project, job, Map.of(), null,
                DeployJobs.TRIGGER, startedBy, key -> {
                    Path dir = staged.resolve(key);
                    try {
                        Files.createDirectories(dir);
                        files.fill(dir);
                    } catch (java.io.IOException e) {
                        FileTrees.deleteQuietly(dir);
                        throw new java.io.UncheckedIOException(e);
                    }
                }, key -> {
                    try {
                        saved.run(key);
                    } catch (java.sql.SQLException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).key();
        this.deployer = new Deployer(versions, history, starter, key -> {
            try {
                return java.util.OptionalLong.of(runs.get(key).number());
            } catch (Refused.NotFound gone) {
                return java.util.OptionalLong.empty();
            }
        }, localRoot, clock);
        this.unsubscribe = events.subscribe(e -> {
            if (e instanceof RunFinished f && f.job().startsWith("deploy-")) judge.execute(() -> judge(f));
        });
        // after start-up has closed what a crash interrupted: what is left running with its run ended lost its verdict
        judge.scheduleWithFixedDelay(this::judgeEnded, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Judges the deployments whose run ended without a verdict (a crash in between, a store that failed). */
    void judgeEnded() {
        try {
            deployer.judgeEnded(key -> {
                try {
                    return java.util.Optional.of(runs.get(key).status());
                } catch (Refused.NotFound gone) {
                    return java.util.Optional.empty();
                }
            }, this::currentTarget).forEach(this::tell);
        } catch (Exception e) {
            LOG.warn("cannot look for deployments left without a verdict: {}", e.toString());
        }
    }

    private java.util.Optional<DeployTarget> currentTarget(String project, String name) throws Exception {
        return projects.deployTargets(project).stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The engine's deployer (the run engine's retention asks it what is deployed). */
    public Deployer deployer() {
        return deployer;
    }

    /** Deploys {@code version} of {@code project} to its target {@code target}, or to its only target when null. */
    public Deployment deploy(String project, String target, String version, String by) throws Exception {
        DeployTarget t = target == null ? onlyTarget(project) : target(project, target);
        return refusals(() -> deployer.deploy(project, t, version, by, io.stoker.engine.deploy.DeployReason.DEPLOY));
    }

    /** Redeploys the previous good version on {@code target}, or on the project's only target when it is null. */
    public Deployment rollback(String project, String target, String by) throws Exception {
        DeployTarget t = target == null ? onlyTarget(project) : target(project, target);
        return refusals(() -> deployer.rollback(project, t, by));
    }

    /**
     * The project's deployments, newest first, of one target when {@code target} is not null. A target that has
     * none and that the Jobfile does not declare is refused as a deploy to it is: an empty list would read as "not
     * deployed there yet" for a mistyped name (a target since removed from the Jobfile keeps its history).
     */
    public List<Deployment> history(String project, String target, int limit) throws Exception {
        projects.get(project);
        List<Deployment> list = history.list(project, target, Math.min(limit, MAX_HISTORY));
        if (target != null && list.isEmpty()) target(project, target);
        return list;
    }

    /**
     * The project's deployment {@code id}: what a client following one reads, however many deployments of its
     * target were asked for after it.
     */
    public Deployment get(String project, long id) throws Exception {
        projects.get(project);
        return history.byId(project, id).orElseThrow(() ->
                new Refused.NotFound("project " + project + " has no deployment " + id));
    }

    /**
     * Closes the deployment a run the server lost did, if it did one ({@link Deployer#interrupted}): no verdict on
     * the version and no rollback, since a crash is not the version's fault. Never throws: start-up goes on.
     */
    public void interrupted(RunRepository.Interrupted run) {
        try {
            deployer.interrupted(run.key(), run.reason()).ifPresent(d -> {
                LOG.warn("deployment of {} {} to {} (run {}) was interrupted ({}); what it started there is left as it "
                        + "is", d.project(), d.version(), d.target(), d.runKey(), run.reason());
                events.publish(DeploymentEnded.of(d, null));
            });
        } catch (Exception e) {
            LOG.warn("cannot close the deployment of run {}: {}", run.key(), e.toString());
        }
    }

    private DeployTarget target(String project, String name) throws Exception {
        List<DeployTarget> all = projects.deployTargets(project);
        return all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new Refused.Invalid(
                "project '" + project + "' has no deploy target '" + name + "'" + (all.isEmpty()
                        ? ": its Jobfile declares none (add deploy('" + name + "') { run '…' })" : ""),
                java.util.stream.Stream.concat(java.util.stream.Stream.of("field: target"),
                        all.stream().map(t -> "target: " + t.name())).toList()));
    }

    private DeployTarget onlyTarget(String project) throws Exception {
        List<DeployTarget> all = projects.deployTargets(project);
        if (all.size() == 1) return all.getFirst();
        throw new Refused.Malformed("'target' is required: project '" + project + "' has "
                + (all.isEmpty() ? "no deploy target" : all.size() + " deploy targets"),
                java.util.stream.Stream.concat(java.util.stream.Stream.of("field: target"),
                        all.stream().map(t -> "target: " + t.name())).toArray(String[]::new));
    }

    private void judge(RunFinished f) {
        try {
            if (f.state() == io.stoker.engine.run.RunState.FAILED) {
                RunRow run = runs.get(f.run());
                String reason = notStarted(run);
                if (reason != null) {
                    // it could not start (a secret unreadable, a checkout that failed, no agent for the target): the
                    // version was not tried, and the previous service was never stopped
                    deployer.notStarted(f.run(), reason).ifPresent(d -> {
                        LOG.warn("deployment of {} {} to {} (run {}) did not start: {}", d.project(), d.version(),
                                d.target(), d.runKey(), reason);
                        events.publish(DeploymentEnded.of(d, null));
                    });
                    return;
                }
            }
            deployer.ended(f.run(), f.state(), this::currentTarget).ifPresent(this::tell);
        } catch (Exception e) {
            LOG.warn("cannot judge deployment run {}: {}", f.run(), e.toString());
        }
    }

    /** Tells the verdict, saved by now (and its automatic rollback, queued before it), to the event stream. */
    private void tell(Verdict v) {
        Deployment r = v.rollback();
        if (r != null) {
            LOG.info("deployment run {} ended {}: {} goes back to version {} on {} (run {})", v.judged().runKey(),
                    v.judged().state().label(), r.project(), r.version(), r.target(), r.runKey());
        }
        events.publish(DeploymentEnded.of(v.judged(), r));
    }

    /**
     * Why the deployment run started nothing on the target ("could not start: …"), or null when its task ran: no
     * task began (the run failed before it), or the executor could not start the task's process.
     */
    private static String notStarted(RunRow run) {
        if (run.tasks().stream().allMatch(t -> t.startedAt() == null)) return run.reason();
        if (!run.tasks().stream().allMatch(t -> t.startedAt() == null || Outcome.startedNothing(t.reason()))) return null;
        return run.tasks().stream().filter(t -> t.startedAt() != null).findFirst()
                .map(t -> "could not start: " + t.reason().replaceFirst("^cannot start: ", "")).orElse(null);
    }

    private interface Work<T> {
        T call() throws Exception;
    }

    private static <T> T refusals(Work<T> work) throws Exception {
        try {
            return work.call();
        } catch (DeployRefused e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> new Refused.NotFound(e.getMessage());
                case CONFLICT -> new Refused.Conflict("no-good-version", e.getMessage());
                case INVALID -> new Refused.Invalid(e.getMessage(), List.of());
            };
        }
    }

    /**
     * Stops the services a deleted project had on this machine and removes their directories: once its history is
     * forgotten nothing could stop them but the server's shutdown. Services on agents are left running.
     */
    public void projectDeleted(String project) {
        local.removeProject(project);
    }

    /**
     * Stops judging and stops the services deployed to this machine, unless this server is one of a cluster: the
     * servers share the data directory, another may have deployed them and lives on, and the next deployment of a
     * target stops its service as usual.
     */
    @Override
    public void close() {
        unsubscribe.run();
        judge.shutdown();
        try {
            judge.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!clustered) local.stopAll();
    }
}

package io.stoker.server.trigger;

import io.stoker.engine.run.RunState;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.trigger.TriggerChain;
import io.stoker.engine.trigger.TriggerRequest;
import io.stoker.engine.trigger.TriggeredRun;
import io.stoker.model.Job;
import io.stoker.server.Refused;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.RunFinished;
import io.stoker.server.project.BuildSource;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trigger steps on the server: queues a run (trigger {@code upstream}) of a job of the triggering run's project,
 * or of another project when the step names {@code project/job}. A git project's own job runs at the triggering
 * run's commit and branch; another project's job at that project's branch head. The new run's metadata links it
 * to the triggering run like an {@code after} trigger's ({@code upstream: {run, project, job, number, chain}}) plus
 * the triggering {@code task}. It is never refused as busy: it waits in the queue behind the job's concurrency.
 *
 * <p>Its end is followed on the {@link EventHub} (every server's events: in a cluster another server may run it), and
 * its row read every few seconds for an end whose notification was lost; when the step stops waiting the run is
 * cancelled. A job already
 * in the triggering run's upstream chain, or a chain longer than {@link TriggerChain#MAX}, is refused: a cycle
 * would never end. The link is an {@link UpstreamLink}.
 */
public final class ServerJobTrigger implements JobTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(ServerJobTrigger.class);

    private final ProjectService projects;
    private final RunRepository runRows;
    private final EventHub events;
    // JDBC, git and compiling block; the engine calls the port from its own threads and must not wait on them.
    // Platform threads: H2's monitors and file I/O would pin the virtual-thread scheduler's carriers
    private final ExecutorService work = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("job-trigger-", 0).factory());
    /** Reads the rows of triggered runs waited for (see {@link #watchStore}). */
    private final ScheduledExecutorService storeChecks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("job-trigger-check").factory());
    static final java.time.Duration STORE_CHECK = java.time.Duration.ofSeconds(5);
    private volatile RunService runs;
    private volatile RunDispatcher dispatcher;

    public ServerJobTrigger(ProjectService projects, RunRepository runRows, EventHub events) {
        this.projects = projects;
        this.runRows = runRows;
        this.events = events;
    }

    /** The services runs are queued and cancelled with (built on the engine this port is part of, hence later). */
    public void bind(RunService runs, RunDispatcher dispatcher) {
        this.runs = runs;
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<TriggeredRun> trigger(TriggerRequest request) {
        CompletableFuture<TriggeredRun> result = new CompletableFuture<>();
        work.execute(() -> {
            try {
                TriggeredRun run = start(request);
                // the step stopped waiting before the run was queued: nobody follows it, so it is not wanted
                if (!result.complete(run)) run.end().cancel(true);
            } catch (Refused e) {
                List<String> why = e.details();
                String details = why.isEmpty() ? "" : ": " + String.join("; ", why);
                result.completeExceptionally(new IllegalArgumentException(e.getMessage() + details, e));
            } catch (SQLException e) {
                result.completeExceptionally(new IllegalStateException("the run database failed: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private TriggeredRun start(TriggerRequest request) throws SQLException {
        if (runs == null) throw new IllegalStateException("the server is still starting");
        RunRow up = runRows.find(request.runKey()).orElseThrow(() -> new IllegalStateException(
                "the triggering run " + request.runKey() + " is not in the database"));
        String name = request.job();
        String project = up.project();
        int slash = name.indexOf('/');
        if (slash >= 0) {
            project = name.substring(0, slash);
            name = name.substring(slash + 1);
            if (project.isEmpty() || name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("'" + request.job() + "' is neither a job nor project/job");
            }
        }
        if (!projects.acceptsTrigger(project, up.project())) {
            try {
                projects.get(project); // no such project: say that first
            } catch (Refused.NotFound e) {
                throw new IllegalArgumentException("no project '" + project + "'");
            }
            throw new IllegalArgumentException("project '" + project + "' does not accept trigger steps from project '"
                    + up.project() + "': a member of '" + project + "' allows it with PUT /api/v1/projects/" + project
                    + "/trigger-access {\"from\": [\"" + up.project() + "\"]}");
        }
        BuildSource source = source(up, project, name);
        Job job = source.job();

        String target = label(source.project(), job.name(), up.project());
        TriggerChain chain = TriggerChain.walk(up.key(), run -> runRows.find(run).map(r -> new TriggerChain.Link(
                label(r.project(), r.job(), up.project()), UpstreamLink.of(r.metadata()).map(UpstreamLink::run)
                        .orElse(null))).orElse(null));
        chain.cycleWith(target).ifPresent(cycle -> {
            throw new IllegalArgumentException("job '" + target + "' is already in this chain of triggered runs ("
                    + String.join(" → ", cycle) + "); a cycle would never end");
        });
        if (!UpstreamLink.mayExtend(up)) {
            throw new IllegalArgumentException("run " + up.key() + " ends a chain of " + UpstreamLink.chainOf(up)
                    + " triggered runs, the most allowed; a longer chain is taken for a cycle");
        }
        UpstreamLink link = UpstreamLink.step(up, request.task(), request.waitForRun());

        CompletableFuture<RunState> end = new CompletableFuture<>();
        AtomicReference<String> key = new AtomicReference<>();
        Map<String, RunState> endedEarly = new HashMap<>();
        // subscribed before the run is queued, so no final event can slip by between queueing and listening; an end
        // is published after it was saved, so its state is what GET /runs/KEY says. Every server's events: in a
        // cluster another server may run it
        Runnable unsubscribe = events.subscribeCluster(event -> {
            if (!(event instanceof RunFinished finished)) return;
            synchronized (endedEarly) {
                if (key.get() == null) endedEarly.put(finished.run(), finished.state());
                else if (finished.run().equals(key.get())) work.execute(() -> end.complete(finished.state()));
            }
        });
        end.whenComplete((state, error) -> unsubscribe.run());
        RunService.Queued queued;
        try {
            queued = runs.start(source.project(), job, source.gitUrl(), source.commit(), source.branch(),
                    request.parameters(), link.metadata(), "upstream");
        } catch (RuntimeException | SQLException e) {
            unsubscribe.run();
            if (e instanceof Refused.Invalid invalid) {
                // the words of each bad one, in the engine's sentence: the API's field items say it for machines
                throw new IllegalArgumentException("invalid parameters for job '" + request.job() + "': "
                        + String.join("; ", invalid.details().stream().filter(d -> !d.startsWith("field: ")).toList()), e);
            }
            throw e;
        }
        synchronized (endedEarly) {
            key.set(queued.key());
            RunState early = endedEarly.get(queued.key());
            if (early != null) work.execute(() -> end.complete(early));
        }
        watchStore(queued.key(), end);
        end.whenComplete((state, error) -> {
            if (!end.isCancelled()) return;
            // the triggering step stopped waiting (cancel, time limit): this run is not wanted any more
            dispatcher.cancel(queued.key()).whenComplete((c, e) -> {
                if (e != null) LOG.warn("cancelling triggered run {} failed", queued.key(), e);
            });
        });
        LOG.info("run {} task {} triggered run {} of {}/{}", up.key(), request.task(), queued.key(),
                source.project(), job.name());
        return new TriggeredRun(queued.key(), end);
    }

    /**
     * Reads the triggered run's row every {@link #STORE_CHECK} until it ends or the step stops waiting: in a cluster
     * the end of a run another server holds comes over LISTEN/NOTIFY, and a notification sent while this server's
     * listening connection was being opened again is lost (the README's cluster limits), so the row is the fallback.
     */
    private void watchStore(String key, CompletableFuture<RunState> end) {
        ScheduledFuture<?> check = storeChecks.scheduleWithFixedDelay(() -> {
            try {
                runRows.find(key).filter(RunRow::isFinal).ifPresent(r -> work.execute(() -> end.complete(r.status())));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("triggered run {}: cannot read its state: {}", key, e.toString());
            }
        }, STORE_CHECK.toMillis(), STORE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        end.whenComplete((state, error) -> check.cancel(false));
    }

    /** Same project: its stored job, or for git the Jobfile at the triggering run's commit. Else the other's head. */
    private BuildSource source(RunRow up, String project, String name) throws SQLException {
        Project p;
        try {
            p = projects.get(project);
        } catch (Refused.NotFound e) {
            throw new IllegalArgumentException("no project '" + project + "'");
        }
        boolean own = project.equals(up.project());
        if (own && p.isGit() && up.commit() != null) {
            Job job = projects.compileAt(project, up.commit()).job(name).orElseThrow(() -> new IllegalArgumentException(
                    "no job '" + name + "' in the Jobfile of project '" + project + "' at commit "
                            + up.commit().substring(0, Math.min(12, up.commit().length()))));
            return new BuildSource(project, job, up.gitUrl(), up.commit(), up.branch());
        }
        try {
            return projects.source(project, name, null);
        } catch (Refused.NotFound e) {
            throw new IllegalArgumentException("no job '" + name + "' in project '" + project + "'");
        }
    }

    private static String label(String project, String job, String home) {
        return project.equals(home) ? job : project + "/" + job;
    }
}

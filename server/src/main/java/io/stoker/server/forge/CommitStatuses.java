package io.stoker.server.forge;

import io.stoker.engine.run.RunState;
import io.stoker.server.endnews.EndTeller;
import io.stoker.server.endnews.EndsTold;
import io.stoker.server.endnews.NewsTold;
import io.stoker.server.endnews.QueuedTold;
import io.stoker.server.endnews.StartsTold;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.OutboxSender;
import io.stoker.server.project.JobfileProblem;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sets a commit status on the git host for every state of a run that has a commit of a project whose statuses go
 * somewhere ({@link StatusSettings#target}): queued, running and the end, with context {@code stoker/<job>} ({@code stoker/pr/<job>} for a pull request) and
 * the run page as target URL. Like {@link io.stoker.server.outbox.StatusWebhooks} it only hands the event to its
 * own thread; the request is a row of the outbox (kind {@value #KIND}), so a slow or dead host never slows a run
 * and the token, sealed in the row, is never logged or shown.
 *
 * <p>The token is read when the state is: a secret that is not set is logged and nothing is sent, but a read that
 * fails (Vault down or sealed, the database unreachable) keeps the run's latest wanted state and tries it again per
 * {@link TokenRetry} (5 s doubling to 5 min, given up with a warning after an hour of waits), else an end would
 * stay "pending" on the host for good. One state per run is kept, the newest: a host shows the last status it was
 * told, so a newer event supersedes the kept one (sent if its token can be read, else kept in its place, with an
 * hour of its own) and an older state is never queued after a newer one. It is kept in memory only: a stop or
 * restart forgets it (a stop logs each one forgotten). A Jobfile problem's failed status waits for its token the same
 * way, kept per commit and context: a newer problem of that commit and context supersedes it.
 */
public final class CommitStatuses implements AutoCloseable {
    public static final String KIND = "commit-status";
    /** The context of a commit whose Jobfile does not compile: no job ran, the Jobfile itself failed. */
    public static final String JOBFILE_CONTEXT = "stoker/jobfile";
    /** The outbox key of a Jobfile problem's status, before its commit: it has no run. */
    private static final String JOBFILE_KEY = "jobfile:";
    /** The longest description every host takes (GitHub's limit; GitLab and Gitea take more). */
    private static final int DESCRIPTION_LIMIT = 140;
    private static final Logger LOG = LoggerFactory.getLogger(CommitStatuses.class);

    /** Reads a token from the secret store in a project's scope. */
    @FunctionalInterface
    public interface Tokens {
        Optional<String> token(String project, String secretName) throws Exception;
    }

    private final Outbox outbox;
    private final OutboxSender sender;
    private final RunRepository runs;
    private final ProjectService projects;
    private final Tokens tokens;
    private final Supplier<String> baseUrl;
    private final TokenRetry retry;
    /** one thread: events and retries run in order, and {@link #deferred} needs no lock */
    private final ScheduledThreadPoolExecutor queue = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "stoker-commit-statuses");
        t.setDaemon(true);
        return t;
    });
    /** {@link Wanted#key} → its newest status whose token could not be read; {@link #queue}'s thread only */
    private final Map<String, Deferred> deferred = new HashMap<>();
    private final QueuedTold queued;
    private final StartsTold starts;
    private final EndsTold ends;
    /** runs whose missing token was logged already (once a run, not once a state); {@link #queue}'s thread only */
    private final java.util.Set<String> missingTold = new java.util.HashSet<>();

    /** A status waiting for its token: how often it failed, how long it has waited in all, its next try. */
    private record Deferred(Wanted wanted, int failures, Duration waited, ScheduledFuture<?> next) {
    }

    /** A status to set on the host; a newer one of the same {@link #key} supersedes one waiting for its token. */
    private sealed interface Wanted {
        String key();

        String project();

        /** How log lines name it: {@code run KEY: commit status 'succeeded'}. */
        String told();
    }

    /** A run's state. */
    private record RunStatus(String key, String project, RunState state) implements Wanted {
        public String told() {
            return "run " + key + ": commit status '" + state.label() + "'";
        }
    }

    /** A Jobfile problem's failed status: it has no run, so it is kept per commit and context. */
    private record ProblemStatus(JobfileProblem problem) implements Wanted {
        public String key() {
            return JOBFILE_KEY + problem.commit() + " " + context(problem);
        }

        public String project() {
            return problem.project();
        }

        public String told() {
            return "project " + problem.project() + ": the failed commit status of the Jobfile at " + problem.commit();
        }
    }

    /**
     * @param baseUrl the server's public URL, for the link to the run page
     * @param retry   how a state whose token could not be read is tried again
     * @param queued  where a run's queued is marked told, in the transaction that queues its status
     * @param starts  where a run's start is marked told, likewise
     * @param ends    where a run's end is marked told, likewise
     */
    public CommitStatuses(Outbox outbox, OutboxSender sender, RunRepository runs, ProjectService projects,
                          Tokens tokens, Supplier<String> baseUrl, TokenRetry retry, QueuedTold queued,
                          StartsTold starts, EndsTold ends) {
        this.queued = queued;
        this.starts = starts;
        this.ends = ends;
        this.outbox = outbox;
        this.sender = sender;
        this.runs = runs;
        this.projects = projects;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
        this.retry = retry;
        queue.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() does not wait for retries
        queue.setRemoveOnCancelPolicy(true);
    }

    /** The hub subscriber: a run's new state, handed to this class's own thread. */
    public void onEvent(LifecycleEvent event) {
        RunState state = switch (event) {
            case RunQueued q -> RunState.QUEUED;
            case RunStarted r -> RunState.RUNNING;
            case RunFinished f -> f.state();
            case TaskChanged t -> null;
            case GateChanged g -> null;
            case io.stoker.server.event.AgentChanged a -> null;
            case io.stoker.server.event.DeploymentEnded d -> null;
            case io.stoker.server.event.ServerReady s -> null;
        };
        if (state == null) return;
        try {
            queue.execute(() -> changed(new RunStatus(event.run(), event.project(), state)));
        } catch (RejectedExecutionException closing) {
            // stopping: the host keeps the last status it was told
        }
    }

    /**
     * A push's (or poll's) Jobfile that does not compile: its commit gets a failed status, context
     * {@value #JOBFILE_CONTEXT} ({@code stoker/pr/jobfile} for a pull request's head), its first error as the
     * description and the project's page as target, as GitLab marks such a commit's pipeline failed ("yaml invalid").
     * A token that cannot be read is read again as a run's is.
     */
    public void jobfileProblem(JobfileProblem problem) {
        try {
            queue.execute(() -> changed(new ProblemStatus(problem)));
        } catch (RejectedExecutionException closing) {
            // stopping: the problem stays shown by the API and the project's page
        }
    }

    private void sendProblem(ProblemStatus wanted, int failures, Duration waited) {
        JobfileProblem problem = wanted.problem();
        String name = problem.project();
        try {
            Addressed to = address(wanted, null, failures, waited).orElse(null);
            if (to == null) return;
            StatusTarget t = to.target();
            Optional<String> token = to.token();
            if (token.isEmpty()) {
                LOG.warn("project {}: no commit status for the Jobfile at {}: secret '{}' is not set", name,
                        problem.commit(), t.tokenSecret());
                return;
            }
            // a pull request's head ref is the host's own form already (refs/pull/N/head, GitLab's merge-requests)
            StatusApi.Request request = t.api().request(new StatusApi.CommitStatus(t.apiUrl(), t.repository(),
                    problem.commit(), RunState.FAILED, context(problem),
                    baseUrl.get() + "/#/projects/" + name, description(problem), problem.shortRef()), token.get());
            outbox.enqueue(JOBFILE_KEY + problem.commit(), KIND, request.endpoint(), request.body());
            sender.poke();
        } catch (Exception e) {
            LOG.warn("{} could not be queued: {}", wanted.told(), reason(e));
        }
    }

    /**
     * The first error where the compile put it, trimmed to the hosts' shortest limit (GitHub: 140 characters), and
     * how many more there are: {@code Jobfile:3:5: unknown method 'tsk' (+1 more)}.
     */
    static String description(JobfileProblem problem) {
        io.stoker.model.Diagnostic first = problem.first();
        String text = first == null ? "the Jobfile does not compile" : first.toString();
        long more = problem.diagnostics().stream().filter(io.stoker.model.Diagnostic::isError).count() - 1;
        String tail = more > 0 ? " (+" + more + " more)" : "";
        int room = DESCRIPTION_LIMIT - tail.length();
        if (text.length() > room) text = text.substring(0, room - 1) + "…";
        return text + tail;
    }

    /** A new status supersedes the deferred one of its key, whether it is sent, deferred itself or not sent at all. */
    private void changed(Wanted wanted) {
        Deferred older = deferred.remove(wanted.key());
        if (older != null) {
            older.next().cancel(false);
            // a queued or running that waited for its token and is superseded by a later state is never sent: given
            // up, not untold (the same state heard again, as a restart tells what was untold, takes its place)
            if (older.wanted() instanceof RunStatus r && !r.state().isFinal()
                    && !(wanted instanceof RunStatus again && again.state() == r.state())) {
                marks(r.state()).gaveUp(r.key(), EndTeller.COMMIT_STATUSES);
            }
        }
        send(wanted, 0, Duration.ZERO);
    }

    private void retry(String key) {
        Deferred d = deferred.remove(key);
        if (d != null) send(d.wanted(), d.failures(), d.waited());
    }

    /** Queues the status, or defers it when its token cannot be read ({@code failures} tries failed before). */
    private void send(Wanted wanted, int failures, Duration waited) {
        switch (wanted) {
            case RunStatus r -> sendRun(r, failures, waited);
            case ProblemStatus p -> sendProblem(p, failures, waited);
        }
    }

    /**
     * Queues a run's status. Each state is queued with the mark that says it was told ({@link QueuedTold},
     * {@link StartsTold}, {@link EndsTold}): once, and after a crash again only if it was not; one waiting for its
     * token is told when it is queued or given up.
     */
    private void sendRun(RunStatus wanted, int failures, Duration waited) {
        String key = wanted.key();
        NewsTold marks = marks(wanted.state());
        try {
            StatusApi.Request request = request(wanted, failures, waited).orElse(null);
            if (request == null) {
                if (!deferred.containsKey(key)) marks.told(key, EndTeller.COMMIT_STATUSES);
                return;
            }
            boolean first = marks.once(key, EndTeller.COMMIT_STATUSES,
                    c -> outbox.enqueue(c, key, KIND, request.endpoint(), request.body()));
            if (first) sender.poke();
        } catch (Exception e) {
            LOG.warn("{} could not be queued: {}", wanted.told(), e.toString());
            marks.failed(key, EndTeller.COMMIT_STATUSES, e);
        }
    }

    /** Where a state's telling is marked: a run's queued, its start and its end are each told once. */
    private NewsTold marks(RunState state) {
        return state.isFinal() ? ends : state == RunState.RUNNING ? starts : queued;
    }

    /**
     * The request that sets the run's status on its host; empty when there is none to send: not a git run, a project
     * gone or sending no statuses, its token secret not set, or its token unreadable for now (then it is deferred).
     */
    private Optional<StatusApi.Request> request(RunStatus wanted, int failures, Duration waited) throws Exception {
        String key = wanted.key();
        RunState state = wanted.state();
        RunRow run = runs.find(key).orElse(null);
        if (run == null || run.gitUrl() == null || run.commit() == null) return Optional.empty();
        Addressed to = address(wanted, run.gitUrl(), failures, waited).orElse(null);
        if (to == null) return Optional.empty();
        StatusTarget t = to.target();
        Optional<String> token = to.token();
        if (token.isEmpty()) {
            if (missingTold.add(key)) {
                LOG.warn("run {}: no commit status sent: secret '{}' of project {} is not set", key,
                        t.tokenSecret(), wanted.project());
            }
            if (state.isFinal()) missingTold.remove(key);
            return Optional.empty();
        }
        missingTold.remove(key);
        // a tag's run names its tag: GitLab files the status under that ref's pipeline, and without it looks for
        // a branch holding the commit (404 for a tag on no branch, as release tags often are)
        String ref = run.pr() != null ? t.api().pullRequestRef(run.pr().number())
                : run.branch() != null ? run.branch() : run.tag();
        return Optional.of(t.api().request(new StatusApi.CommitStatus(t.apiUrl(), t.repository(),
                run.commit(), state, context(run), baseUrl.get() + "/#/runs/" + key,
                description(run, state), ref), token.get()));
    }

    /** Where a status goes, and its token as read: empty when the secret is not set. */
    private record Addressed(StatusTarget target, Optional<String> token) {
    }

    /**
     * The project's status target for {@code gitUrl} (null: the project's own) with its token; empty when the
     * project is gone (deleted since: nobody to tell) or sends no statuses, and when the token could not be read:
     * then {@code wanted} is deferred ({@code failures} tries failed before).
     */
    private Optional<Addressed> address(Wanted wanted, String gitUrl, int failures, Duration waited)
            throws SQLException {
        Project project;
        try {
            project = projects.get(wanted.project());
        } catch (io.stoker.server.Refused.NotFound gone) {
            return Optional.empty();
        }
        Optional<StatusTarget> target = project.status().target(gitUrl != null ? gitUrl : project.gitUrl());
        if (target.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Addressed(target.get(), tokens.token(wanted.project(), target.get().tokenSecret())));
        } catch (Exception e) {
            defer(wanted, failures + 1, waited, e);
            return Optional.empty();
        }
    }

    private void defer(Wanted wanted, int failures, Duration waited, Exception why) {
        Optional<Duration> wait = retry.next(failures, waited);
        if (wait.isEmpty()) {
            LOG.warn("{} given up after {} tries over {} s: the token could not be read: {}", wanted.told(), failures,
                    waited.toSeconds(), reason(why));
            if (wanted instanceof RunStatus r) marks(r.state()).gaveUp(r.key(), EndTeller.COMMIT_STATUSES);
            return;
        }
        if (failures == 1) {
            LOG.info("{} waits for its token, trying again in {} ms: {}", wanted.told(), wait.get().toMillis(),
                    reason(why));
        }
        try {
            String key = wanted.key();
            ScheduledFuture<?> next = queue.schedule(() -> retry(key), wait.get().toMillis(), TimeUnit.MILLISECONDS);
            deferred.put(key, new Deferred(wanted, failures, waited.plus(wait.get()), next));
        } catch (RejectedExecutionException closing) {
            forgotten(wanted);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * {@code stoker/<job>}, and {@code stoker/pr/<job>} for a pull request's run: a commit both pushed to a branch
     * and a pull request's head is built twice (a fork's run without secrets), and one context would let the later
     * run hide the other's outcome. Woodpecker names its contexts per event the same way.
     */
    static String context(RunRow run) {
        return run.pr() != null ? "stoker/pr/" + run.job() : "stoker/" + run.job();
    }

    /** {@value #JOBFILE_CONTEXT}, and {@code stoker/pr/jobfile} for a pull request's head, as a run's context. */
    static String context(JobfileProblem problem) {
        return problem.pullRequest() ? "stoker/pr/jobfile" : JOBFILE_CONTEXT;
    }

    /** A short line (GitHub allows 140 characters): {@code #12 running}, {@code #12 succeeded}. */
    static String description(RunRow run, RunState state) {
        return "#" + run.number() + " " + switch (state) {
            case TIMEDOUT -> "timed out";
            default -> state.label();
        };
    }

    @Override
    public void close() {
        try {
            queue.execute(this::forget);
        } catch (RejectedExecutionException closedAlready) {
            return;
        }
        queue.shutdown();
        try {
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forget() {
        deferred.values().forEach(d -> forgotten(d.wanted()));
        deferred.clear();
    }

    private static void forgotten(Wanted wanted) {
        LOG.warn("{} not sent: its token could not be read, and the server stops (a status waiting for its token is "
                + "kept in memory only)", wanted.told());
    }
}

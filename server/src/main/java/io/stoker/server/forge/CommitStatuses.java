package io.stoker.server.forge;

import io.stoker.engine.run.RunState;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.OutboxSender;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sets a commit status on the git host for every state of a run that has a commit of a project whose statuses go
 * somewhere ({@link StatusSettings#target}): queued, running and the end, with context {@code stoker/<job>} ({@code stoker/pr/<job>} for a pull request) and
 * the run page as target URL. Like {@link io.stoker.server.outbox.StatusWebhooks} it only hands the event to its
 * own thread; the request is a row of the outbox (kind {@value #KIND}), so a slow or dead host never slows a run
 * and the token, sealed in the row, is never logged or shown.
 */
public final class CommitStatuses implements AutoCloseable {
    public static final String KIND = "commit-status";
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
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-commit-statuses");
        t.setDaemon(true);
        return t;
    });

    /** @param baseUrl the server's public URL, for the link to the run page */
    public CommitStatuses(Outbox outbox, OutboxSender sender, RunRepository runs, ProjectService projects,
                          Tokens tokens, Supplier<String> baseUrl) {
        this.outbox = outbox;
        this.sender = sender;
        this.runs = runs;
        this.projects = projects;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
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
            case io.stoker.server.event.ServerReady s -> null;
        };
        if (state == null) return;
        try {
            queue.execute(() -> changed(event.run(), event.project(), state));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: the host keeps the last status it was told
        }
    }

    private void changed(String key, String projectName, RunState state) {
        try {
            RunRow run = runs.find(key).orElse(null);
            if (run == null || run.gitUrl() == null || run.commit() == null) return;
            Project project;
            try {
                project = projects.get(projectName);
            } catch (io.stoker.server.Refused.NotFound gone) {
                return; // deleted since: nobody to tell
            }
            Optional<StatusTarget> target = project.status().target(run.gitUrl());
            if (target.isEmpty()) return;
            StatusTarget t = target.get();
            Optional<String> token = tokens.token(projectName, t.tokenSecret());
            if (token.isEmpty()) {
                LOG.warn("run {}: no commit status sent: secret '{}' of project {} is not set", key, t.tokenSecret(),
                        projectName);
                return;
            }
            String ref = run.pr() != null ? t.api().pullRequestRef(run.pr().number()) : run.branch();
            StatusApi.Request request = t.api().request(new StatusApi.CommitStatus(t.apiUrl(), t.repository(),
                    run.commit(), state, context(run), baseUrl.get() + "/#/runs/" + key,
                    description(run, state), ref), token.get());
            outbox.enqueue(key, KIND, request.endpoint(), request.body());
            sender.poke();
        } catch (Exception e) {
            LOG.warn("run {}: commit status '{}' could not be queued: {}", key, state.label(), e.toString());
        }
    }

    /**
     * {@code stoker/<job>}, and {@code stoker/pr/<job>} for a pull request's run: a commit both pushed to a branch
     * and a pull request's head is built twice (a fork's run without secrets), and one context would let the later
     * run hide the other's outcome. Woodpecker names its contexts per event the same way.
     */
    static String context(RunRow run) {
        return run.pr() != null ? "stoker/pr/" + run.job() : "stoker/" + run.job();
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
        queue.shutdown();
        try {
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

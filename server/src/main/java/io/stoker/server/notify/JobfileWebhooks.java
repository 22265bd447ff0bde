package io.stoker.server.notify;

import io.stoker.model.Notify;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.StatusWebhooks;
import io.stoker.server.run.NewRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds the webhooks a job's {@code notify { webhook status: …, logs: … }} blocks name to a new run's receivers,
 * next to those of its trigger request: status URLs get the same payloads through {@link StatusWebhooks}, log
 * targets are streamed by {@link LogStreams}. Called once per run, whatever started it (API, push, cron, upstream,
 * rerun), after it is saved and before its first event. The validator already checked every URL.
 * <p>
 * A status URL with {@code secret: 'NAME'} is signed with the value of the project's secret NAME, read now. One that
 * cannot be read is left out (nothing is sent to it unsigned), logged by name; the run then fails to start, saying
 * which secret the project lacks ({@code RunDispatcher}), as for a task's secret. A fork's pull request, whose run is
 * given no secrets, signs nothing either: its Jobfile, and so the URL, is the fork's.
 */
public final class JobfileWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(JobfileWebhooks.class);

    /** Reads a secret's value in a project's scope. */
    @FunctionalInterface
    public interface SigningKeys {
        Optional<String> value(String project, String secretName) throws Exception;
    }

    private final Outbox outbox;
    private final LogStreams logStreams;
    private final SigningKeys keys;

    public JobfileWebhooks(Outbox outbox, LogStreams logStreams, SigningKeys keys) {
        this.outbox = outbox;
        this.logStreams = logStreams;
        this.keys = keys;
    }

    public void subscribe(NewRun run) throws SQLException {
        List<Endpoint> status = new ArrayList<>();
        List<LogTarget> logs = new ArrayList<>();
        for (Notify n : run.job().notifications()) {
            for (String url : n.statusWebhooks()) {
                String secret = n.statusSecrets().get(url);
                Endpoint target = Endpoint.parse(url);
                if (secret == null) {
                    status.add(target);
                } else {
                    signed(run, target, secret).ifPresent(status::add);
                }
            }
            n.logWebhooks().forEach(target -> logs.add(LogTarget.parse(target)));
        }
        outbox.subscribe(run.key(), StatusWebhooks.KIND, status);
        logStreams.subscribe(run.key(), logs);
    }

    private Optional<Endpoint> signed(NewRun run, Endpoint target, String secret) {
        if (run.pr() != null && run.pr().secretsWithheld()) {
            LOG.info("run {}: pull request #{} comes from a fork; its status webhook {} signed with secret '{}' is not "
                    + "sent", run.key(), run.pr().number(), target, secret);
            return Optional.empty();
        }
        try {
            Optional<String> key = keys.value(run.project(), secret).filter(v -> !v.isEmpty());
            if (key.isPresent()) return Optional.of(target.signedWith(key.get()));
            LOG.warn("run {}: its status webhook {} is signed with secret '{}', which project '{}' cannot read: "
                    + "nothing is sent to it", run.key(), target, secret, run.project());
        } catch (Exception e) {
            LOG.warn("run {}: secret '{}' signing its status webhook {} cannot be read ({}): nothing is sent to it",
                    run.key(), secret, target, e.getMessage());
        }
        return Optional.empty();
    }
}

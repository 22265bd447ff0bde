package io.stoker.server.notify;

import io.stoker.model.Job;
import io.stoker.model.Notify;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.StatusWebhooks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the webhooks a job's {@code notify { webhook status: …, logs: … }} blocks name to a new run's receivers,
 * next to those of its trigger request: status URLs get the same payloads through {@link StatusWebhooks}, log
 * targets are streamed by {@link LogStreams}. Called once per run, whatever started it (API, push, cron, upstream,
 * rerun), after it is saved and before its first event. The validator already checked every URL.
 */
public final class JobfileWebhooks {
    private final Outbox outbox;
    private final LogStreams logStreams;

    public JobfileWebhooks(Outbox outbox, LogStreams logStreams) {
        this.outbox = outbox;
        this.logStreams = logStreams;
    }

    public void subscribe(String runKey, Job job) throws SQLException {
        List<Endpoint> status = new ArrayList<>();
        List<LogTarget> logs = new ArrayList<>();
        for (Notify n : job.notifications()) {
            n.statusWebhooks().forEach(url -> status.add(Endpoint.parse(url)));
            n.logWebhooks().forEach(target -> logs.add(LogTarget.parse(target)));
        }
        outbox.subscribe(runKey, StatusWebhooks.KIND, status);
        logStreams.subscribe(runKey, logs);
    }
}

package io.stoker.server.outbox;

import io.stoker.model.Job;
import io.stoker.model.Notify;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the webhooks a job's {@code notify { webhook status: …, logs: … }} blocks name to a new run's receivers,
 * next to those of its trigger request: status URLs then get the same payloads through {@link StatusWebhooks}, and
 * log targets are listed as {@code outbox.targets(key, "logs")} for the log streamer. Called once per run, after it
 * is saved and before its first event. A log target that is not http(s) ({@code kafka://…}, {@code failover(…)}) is
 * kept as written, without credentials to split off.
 */
public final class JobfileWebhooks {
    /** The kind under which a run's log targets are stored. */
    public static final String LOGS = "logs";

    private final Outbox outbox;

    public JobfileWebhooks(Outbox outbox) {
        this.outbox = outbox;
    }

    public void subscribe(String runKey, Job job) throws SQLException {
        List<Endpoint> status = new ArrayList<>();
        List<Endpoint> logs = new ArrayList<>();
        for (Notify n : job.notifications()) {
            n.statusWebhooks().forEach(url -> status.add(Endpoint.parse(url)));
            for (String target : n.logWebhooks()) {
                boolean http = target.regionMatches(true, 0, "http:", 0, 5) || target.regionMatches(true, 0, "https:", 0, 6);
                logs.add(http ? Endpoint.parse(target) : new Endpoint(target, null));
            }
        }
        outbox.subscribe(runKey, StatusWebhooks.KIND, status);
        outbox.subscribe(runKey, LOGS, logs);
    }
}

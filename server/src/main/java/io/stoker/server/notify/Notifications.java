package io.stoker.server.notify;

import io.stoker.engine.log.SecretMask;
import io.stoker.engine.run.RunState;
import io.stoker.model.Job;
import io.stoker.model.Notify;
import io.stoker.model.NotifyEvent;
import io.stoker.server.endnews.EndTeller;
import io.stoker.server.endnews.EndsTold;
import io.stoker.server.endnews.StartsTold;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.outbox.Endpoint;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.OutboxSender;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Turns run events into the messages a job's {@code notify} blocks ask for: a mail per address, an ntfy publish
 * per topic, a Slack-compatible post per webhook, each a row in the outbox (kinds {@code email}, {@code ntfy},
 * {@code slack}). Events are handed to this class's own thread, in order, so a run never waits for the database,
 * the log or a receiver. {@code fixed} is a success whose job and branch last ended (not counting cancelled runs)
 * failed or timed out; a block that hears both {@code fixed} and {@code succeeded} sends one message, as fixed.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    /** Delivery kinds: the outbox lists them, and the sender picks a transport by them. */
    public static final String EMAIL = "email";
    public static final String NTFY = "ntfy";
    public static final String SLACK = "slack";

    /** The values of secrets {@code names} that {@code project} may read (to mask them), never null. */
    @FunctionalInterface
    public interface SecretValues {
        Collection<String> of(String project, Collection<String> names) throws Exception;
    }

    private final Outbox outbox;
    private final OutboxSender sender;
    private final RunRepository runs;
    private final RunReports reports;
    private final SecretValues secrets;
    private final boolean mailConfigured;
    private final StartsTold starts;
    private final EndsTold ends;
    private final GatesTold gates;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-notifications");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param starts where a run's start is marked told, in the transaction that queues its messages
     * @param ends   where a run's end is marked told, likewise
     * @param gates  where an open gate is marked told, likewise
     */
    public Notifications(Outbox outbox, OutboxSender sender, RunRepository runs, RunReports reports, SecretValues secrets,
                         boolean mailConfigured, StartsTold starts, EndsTold ends, GatesTold gates) {
        this.starts = starts;
        this.ends = ends;
        this.gates = gates;
        this.outbox = outbox;
        this.sender = sender;
        this.runs = runs;
        this.reports = reports;
        this.secrets = secrets;
        this.mailConfigured = mailConfigured;
    }

    /** The hub subscriber. */
    public void onEvent(LifecycleEvent event) {
        Set<NotifyEvent> heard = switch (event) {
            case RunStarted s -> Set.of(NotifyEvent.STARTED);
            case RunFinished f -> Set.of(); // worked out on the queue: whether a success is a fix needs the run before
            // once per gate and run (GatesTold): a gate reopened after a restart is told only if a crash kept it untold
            case GateChanged g when g.gate().verdict() == null -> Set.of(NotifyEvent.WAITING);
            case GateChanged g -> null;
            case io.stoker.server.event.AgentChanged a -> null;
            case io.stoker.server.event.DeploymentEnded d -> null;
            case RunQueued q -> null;
            case TaskChanged t -> null;
            case io.stoker.server.event.ServerReady r -> null;
        };
        if (heard == null) return;
        RunState ended = event instanceof RunFinished f ? f.state() : null;
        RunReport.Waiting waiting = event instanceof GateChanged g
                ? new RunReport.Waiting(g.task(), g.gate().question(), g.gate().approvers(), g.gate().deadline()) : null;
        try {
            queue.execute(() -> changed(event.run(), ended, heard, waiting));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: nobody is told about this change
        }
    }

    /** One message to queue: its outbox kind, where it goes, what it says. */
    private record Message(String kind, Endpoint to, String payload) {
    }

    /**
     * {@code ended}: the final state of a run that ended, whose events {@link #ended} works out; else null.
     * {@code waiting}: the gate a run waits at, for a {@code waiting} message; else null. A run's end is queued with
     * the mark that says it was told ({@link EndsTold}), its start likewise ({@link StartsTold}), a gate's
     * {@code waiting} with its own ({@link GatesTold}): once, and after a crash again only if it was not.
     */
    private void changed(String key, RunState ended, Set<NotifyEvent> heard, RunReport.Waiting waiting) {
        try {
            List<Message> messages = messages(key, ended, heard, waiting);
            if (ended != null) {
                if (!ends.once(key, EndTeller.NOTIFICATIONS, c -> queue(c, key, messages))) return;
            } else if (waiting != null) {
                if (messages.isEmpty() || !gates.once(key, waiting.task(), c -> queue(c, key, messages))) return;
            } else { // the run's start, the only other news heard
                if (!starts.once(key, EndTeller.NOTIFICATIONS, c -> queue(c, key, messages))) return;
            }
            if (!messages.isEmpty()) sender.poke();
        } catch (Exception e) {
            LOG.warn("run {}: notifications for '{}' could not be queued: {}", key, ended == null ? heard : ended.label(), e.toString());
            if (ended != null) ends.failed(key, EndTeller.NOTIFICATIONS, e);
            else if (waiting == null) starts.failed(key, EndTeller.NOTIFICATIONS, e);
        }
    }

    private void queue(java.sql.Connection c, String key, List<Message> messages) throws java.sql.SQLException {
        for (Message m : messages) outbox.enqueue(c, key, m.kind(), m.to(), m.payload());
    }

    /** What the run's {@code notify} blocks ask to send about what happened. */
    private List<Message> messages(String key, RunState ended, Set<NotifyEvent> heard, RunReport.Waiting waiting)
            throws Exception {
        List<Message> out = new ArrayList<>();
        Optional<Job> model = runs.model(key);
        if (model.isEmpty() || model.get().notifications().isEmpty()) return out;
        RunRow run = runs.find(key).orElse(null);
        if (run == null) return out;
        Set<NotifyEvent> events = ended == null ? heard : ended(run, ended);
        if (events.isEmpty()) return out;
        SecretMask mask;
        boolean withLog = true;
        try {
            mask = SecretMask.of(secrets.of(run.project(), io.stoker.server.run.RunSecretMasks.declaredBy(model.get())));
        } catch (Exception e) {
            // a Vault that is down fails the run, and is then why its failure would go untold: the message goes
            // out all the same, without the log lines that could not be checked for secrets
            LOG.warn("run {}: its secrets cannot be read ({}); its notifications go without log lines", key, e.getMessage());
            mask = SecretMask.NONE;
            withLog = false;
        }
        for (Notify block : model.get().notifications()) {
            NotifyEvent event = heard(block, events);
            if (event == null) continue;
            RunReport report = reports.report(run, event, mask, withLog, event == NotifyEvent.WAITING ? waiting : null);
            messages(key, block, report, out);
        }
        return out;
    }

    /** What happened, in the terms of {@code on}: a success may also be a fix. */
    private Set<NotifyEvent> ended(RunRow run, RunState state) throws java.sql.SQLException {
        Set<NotifyEvent> events = new LinkedHashSet<>();
        switch (state) {
            case SUCCEEDED -> {
                events.add(NotifyEvent.SUCCEEDED);
                Optional<RunState> before = runs.previousOutcome(run.project(), run.job(), run.branch(),
                        run.pr() == null ? null : run.pr().number(), run.number());
                if (before.isPresent() && before.get() != RunState.SUCCEEDED) events.add(NotifyEvent.FIXED);
            }
            case FAILED, TIMEDOUT -> events.add(NotifyEvent.FAILED);
            case CANCELLED -> events.add(NotifyEvent.CANCELLED);
            case QUEUED, RUNNING -> { }
        }
        return events;
    }

    /** The one event a block tells of: fixed before succeeded, so a fix is not told twice. */
    private static NotifyEvent heard(Notify block, Set<NotifyEvent> events) {
        if (events.contains(NotifyEvent.FIXED) && block.hears(NotifyEvent.FIXED)) return NotifyEvent.FIXED;
        for (NotifyEvent e : events) if (e != NotifyEvent.FIXED && block.hears(e)) return e;
        return null;
    }

    private void messages(String key, Notify block, RunReport report, List<Message> out) {
        if (!block.email().isEmpty() && !mailConfigured) {
            LOG.warn("run {}: notify email is skipped: no SMTP server is configured (STOKER_SMTP_HOST)", key);
        } else {
            for (String to : block.email()) {
                out.add(new Message(EMAIL, new Endpoint("mailto:" + to, null), Payloads.mail(report, to)));
            }
        }
        for (String topic : block.ntfy()) out.add(new Message(NTFY, Endpoint.parse(topic), Payloads.ntfy(report)));
        for (String hook : block.slack()) out.add(new Message(SLACK, Endpoint.parse(hook), Payloads.slack(report)));
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

package io.stoker.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stoker.engine.approval.Decision;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.ServerReady;
import io.stoker.store.postgres.PgChannel;
import io.stoker.store.postgres.PostgresUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The {@link EventHub}s of a cluster joined over PostgreSQL {@code LISTEN/NOTIFY}: every event this server publishes
 * goes out as a {@link ClusterMessage.Event}, and the others' come in through {@link EventHub#publishRemote}, so
 * {@code /events}, log followers and the dispatcher see what happened on any server, while the work done once per
 * event (notifications, upstream triggers, webhooks) stays with the server that made the change. Cancels and
 * approval decisions for a run another server holds go to it as requests. A change to a stored SSH agent, user or
 * project goes to all, which read it again (a project's schedules), and so does a logout (the others refuse its access token too); when this server's
 * {@code LISTEN} connection comes back after a drop (what was sent meanwhile is lost) it reads every agent, user and
 * project's schedules again and looks at the queue.
 */
public final class EventRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
    static final String CHANNEL = "stoker_cluster";
    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** What a server does with the requests meant for the runs it holds, and with news of the others. */
    public interface Requests {
        /** Cancels a run going here; nothing when it is not. */
        void cancel(String run);

        /** Decides a gate waiting here; nothing when none waits. */
        void decide(String run, String task, Decision decision);

        /** Another server queued a run or ended one (a slot of a job's concurrency is free): look at the queue. */
        void queueMoved();

        /** Another server saved a change to the SSH agent {@code agent} (or deleted it): read it again. */
        void agentSaved(String agent);

        /** Another server saved a change to the user {@code user} (or deleted it): read it again. */
        void userSaved(String user);

        /** A logout on another server ended the access token {@code token} (its id): refuse it until {@code expires}. */
        void loggedOut(String token, long expires);

        /** A login through another server failed for {@code user} from {@code address}: count it here too. */
        void loginFailed(String user, String address);

        /** {@code user} logged in through another server from {@code address}: their failed logins from there are forgotten here too. */
        void loginSucceeded(String user, String address);

        /** Another server saved a change to the project {@code project} (or deleted it): register its schedules again. */
        void projectSaved(String project);

        /** This server listens again after a drop, and may have missed messages: catch up from the database. */
        void listeningAgain();
    }

    private final String self;
    private final EventHub events;
    private final Requests requests;
    // sends in publishing order, off the publisher's thread (publishing never blocks)
    private final ExecutorService out = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("stoker-relay-out").factory());
    private PgChannel channel;
    private Runnable unsubscribe = () -> { };

    private EventRelay(String self, EventHub events, Requests requests) {
        this.self = self;
        this.events = events;
        this.requests = requests;
    }

    /** Listens on the database's channel and relays this server's events from now on. */
    public static EventRelay open(PostgresUrl db, String self, EventHub events, Requests requests) {
        EventRelay relay = new EventRelay(self, events, requests);
        relay.channel = PgChannel.open(db, CHANNEL, relay::receive, requests::listeningAgain);
        relay.unsubscribe = events.subscribe(relay::published);
        return relay;
    }

    private void published(LifecycleEvent e) {
        // about this server only: its start, and its own connection to an agent (every server of a cluster connects
        // to each SSH agent itself, so another server's view of the link would contradict its own)
        if (e instanceof ServerReady || e instanceof io.stoker.server.event.AgentChanged) return;
        send(new ClusterMessage.Event(self, e));
    }

    /** Asks the server holding {@code run} to cancel it. */
    public void cancel(String run) {
        send(new ClusterMessage.CancelRun(self, run));
    }

    /** Asks the server holding {@code run} to decide its waiting gate. */
    public void decide(String run, String task, Decision decision) {
        send(new ClusterMessage.DecideGate(self, run, task, decision));
    }

    /** Tells the other servers that this one saved a change to the SSH agent {@code agent}, or deleted it. */
    public void agentSaved(String agent) {
        send(new ClusterMessage.AgentSaved(self, agent));
    }

    /** Tells the other servers that this one created, changed or deleted the user {@code user}. */
    public void userSaved(String user) {
        send(new ClusterMessage.UserSaved(self, user));
    }

    /** Tells the other servers that a logout here ended the access token {@code token} (its id). */
    public void loggedOut(String token, long expires) {
        send(new ClusterMessage.LoggedOut(self, token, expires));
    }

    /** Tells the other servers that a login here failed for {@code user} from {@code address}. */
    public void loginFailed(String user, String address) {
        send(new ClusterMessage.LoginFailed(self, user, address));
    }

    /** Tells the other servers that {@code user} logged in here from {@code address}. */
    public void loginSucceeded(String user, String address) {
        send(new ClusterMessage.LoginSucceeded(self, user, address));
    }

    /** Tells the other servers that this one created, changed or deleted the project {@code project}. */
    public void projectSaved(String project) {
        send(new ClusterMessage.ProjectSaved(self, project));
    }

    private void send(ClusterMessage m) {
        try {
            out.execute(() -> {
                try {
                    channel.send(MAPPER.writeValueAsString(m));
                } catch (Exception e) {
                    LOG.warn("cluster: a {} was not sent to the other servers: {}", m.getClass().getSimpleName(), e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the server stops
        }
    }

    private void receive(String payload) {
        ClusterMessage m;
        try {
            m = MAPPER.readValue(payload, ClusterMessage.class);
        } catch (JsonProcessingException e) {
            LOG.warn("cluster: a message that is not one was ignored: {}", e.getOriginalMessage());
            return;
        }
        if (self.equals(m.from())) return; // our own, heard back
        switch (m) {
            case ClusterMessage.Event e -> {
                events.publishRemote(e.event());
                if (e.event() instanceof RunQueued || e.event() instanceof RunFinished) requests.queueMoved();
            }
            case ClusterMessage.CancelRun c -> requests.cancel(c.run());
            case ClusterMessage.DecideGate d -> requests.decide(d.run(), d.task(), d.decision());
            case ClusterMessage.AgentSaved a -> requests.agentSaved(a.agent());
            case ClusterMessage.UserSaved u -> requests.userSaved(u.user());
            case ClusterMessage.LoggedOut l -> requests.loggedOut(l.token(), l.expires());
            case ClusterMessage.LoginFailed f -> requests.loginFailed(f.user(), f.address());
            case ClusterMessage.LoginSucceeded o -> requests.loginSucceeded(o.user(), o.address());
            case ClusterMessage.ProjectSaved p -> requests.projectSaved(p.project());
        }
    }

    @Override
    public void close() {
        unsubscribe.run();
        out.shutdown();
        try {
            out.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (channel != null) channel.close();
    }
}

package io.stoker.server.event;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Run and task state changes fanned out to subscribers (the {@code /events} streams, log followers, triggers).
 * Every event is published after the change it reports was saved. Publishing never blocks: each subscriber must
 * hand the event to its own context and return.
 *
 * <p>In a cluster the other servers' events come in through {@link #publishRemote}: only
 * {@link #subscribeCluster} subscribers (streams, followers, the dispatcher) see them, so the work done once per
 * change (notifications, webhooks, upstream triggers) stays with the server that made it.
 */
public final class EventHub {
    private final CopyOnWriteArrayList<Consumer<LifecycleEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<LifecycleEvent>> clusterSubscribers = new CopyOnWriteArrayList<>();

    /** Subscribes to this server's events; run the returned action to unsubscribe. */
    public Runnable subscribe(Consumer<LifecycleEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Subscribes to the events of every server of the cluster (on H2: this server's); run the result to stop. */
    public Runnable subscribeCluster(Consumer<LifecycleEvent> subscriber) {
        clusterSubscribers.add(subscriber);
        return () -> clusterSubscribers.remove(subscriber);
    }

    /** An event of this server. */
    public void publish(LifecycleEvent event) {
        deliver(subscribers, event);
        deliver(clusterSubscribers, event);
    }

    /** An event another server of the cluster published. */
    public void publishRemote(LifecycleEvent event) {
        deliver(clusterSubscribers, event);
    }

    private static void deliver(CopyOnWriteArrayList<Consumer<LifecycleEvent>> to, LifecycleEvent event) {
        for (Consumer<LifecycleEvent> s : to) {
            try {
                s.accept(event);
            } catch (RuntimeException ignored) {
                // one broken stream must not stop the others
            }
        }
    }
}

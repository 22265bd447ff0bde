package io.stoker.server.event;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Run and task state changes fanned out to subscribers (the {@code /events} streams, log followers, triggers).
 * Every event is published after the change it reports was saved. Publishing never blocks: each subscriber must
 * hand the event to its own context and return.
 */
public final class EventHub {
    private final CopyOnWriteArrayList<Consumer<LifecycleEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes; run the returned action to unsubscribe. */
    public Runnable subscribe(Consumer<LifecycleEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(LifecycleEvent event) {
        for (Consumer<LifecycleEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException ignored) {
                // one broken stream must not stop the others
            }
        }
    }
}

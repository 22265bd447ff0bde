package io.stoker.server.event;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Run and task state changes fanned out to subscribers (the {@code /events} streams). Publishing never blocks:
 * each subscriber must hand the event to its own context and return.
 */
public final class EventHub {
    private final CopyOnWriteArrayList<Consumer<Map<String, Object>>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes; run the returned action to unsubscribe. */
    public Runnable subscribe(Consumer<Map<String, Object>> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(Map<String, Object> event) {
        for (Consumer<Map<String, Object>> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException ignored) {
                // one broken stream must not stop the others
            }
        }
    }
}

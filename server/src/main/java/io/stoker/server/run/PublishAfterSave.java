package io.stoker.server.run;

import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.TaskChanged;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the engine's events of a run until a save that contains them is in the database, then publishes them in
 * the order they happened. The engine announces a change before it writes it (its writes are batched), so without
 * this a reader woken by an event could still read the older state.
 */
final class PublishAfterSave {
    private final EventHub events;
    private final Map<String, Deque<LifecycleEvent>> held = new HashMap<>();

    PublishAfterSave(EventHub events) {
        this.events = events;
    }

    /** Keeps an event until the save that contains it. Never blocks (called under the engine's run lock). */
    synchronized void hold(LifecycleEvent event) {
        held.computeIfAbsent(event.run(), k -> new ArrayDeque<>()).add(event);
    }

    /** A save of {@code run} reached the database: publishes the held events it contains, oldest first. */
    void saved(RunRecord run) {
        publish(release(run.key(), e -> contains(run, e)));
    }

    /** The run is over: publishes whatever is still held (a save failed; better late than a follower left waiting). */
    void ended(String runKey) {
        publish(release(runKey, e -> true));
    }

    private synchronized List<LifecycleEvent> release(String runKey, java.util.function.Predicate<LifecycleEvent> saved) {
        Deque<LifecycleEvent> queue = held.get(runKey);
        List<LifecycleEvent> out = new ArrayList<>();
        if (queue == null) return out;
        while (!queue.isEmpty() && saved.test(queue.peek())) out.add(queue.poll());
        if (queue.isEmpty()) held.remove(runKey);
        return out;
    }

    private void publish(List<LifecycleEvent> ready) {
        ready.forEach(events::publish);
    }

    /** Whether a saved record shows this change (or a later one). */
    static boolean contains(RunRecord run, LifecycleEvent e) {
        return switch (e) {
            case RunFinished f -> run.state().isFinal();
            case TaskChanged t -> {
                TaskRecord saved = run.tasks().get(t.task());
                if (saved == null) yield true;
                if (saved.attempts() != t.attempt()) yield saved.attempts() > t.attempt();
                yield saved.state().isFinal() || saved.state().ordinal() >= t.state().ordinal();
            }
            default -> true;
        };
    }
}

package io.stoker.engine.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Saves a run's state through the {@link RunStore}, then publishes the events of the changes that save holds.
 * Writes are coalesced: at most one every {@link #INTERVAL} on a background thread, each of the latest state, so a
 * burst of changes in a big job costs a few writes and the scheduler never waits for the disk. One flush runs at a
 * time, so events go out in the order they happened, and each only after a save that includes its change.
 */
final class RunSaver {
    private static final Logger LOG = LoggerFactory.getLogger(RunSaver.class);
    static final Duration INTERVAL = Duration.ofMillis(25);
    private static final Duration FINAL_WAIT = Duration.ofSeconds(30);

    private final Object lock;
    private final String key;
    private final RunStore store;
    private final RunListener listener;
    private final Supplier<RunRecord> snapshot;
    private final ScheduledExecutorService timer;
    private final TaskThreads threads;
    private final java.util.function.Consumer<String> onLost;
    // guarded by lock
    private final List<EngineEvent> unpublished = new ArrayList<>();
    private boolean dirty;
    private boolean flushing;
    private boolean hurry;
    /** Set by {@link #abandon()}: nothing more is saved or published. */
    private boolean abandoned;
    /** A flush waiting on the timer for its interval to pass; null when none waits. */
    private ScheduledFuture<?> pending;
    private long lastSaveNanos = System.nanoTime() - INTERVAL.toNanos();

    /**
     * @param snapshot the run's record now; called under {@code lock}
     * @param onLost   told (with the store's words) when a save found the run no longer kept for this engine
     */
    RunSaver(Object lock, String key, RunStore store, RunListener listener, Supplier<RunRecord> snapshot,
             ScheduledExecutorService timer, TaskThreads threads, java.util.function.Consumer<String> onLost) {
        this.onLost = onLost;
        this.lock = lock;
        this.key = key;
        this.store = store;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.snapshot = snapshot;
        this.timer = timer;
        this.threads = threads;
    }

    /** Records a change (and its event, null for none) made under the lock; saves soon, then publishes. */
    void changed(EngineEvent event) {
        synchronized (lock) {
            if (abandoned) return;
            if (event != null) unpublished.add(event);
            dirty = true;
            if (!flushing) schedule();
        }
    }

    /**
     * As {@link #changed}, saving at once: the run's last change. A flush waiting for its interval starts now (the
     * run's end, and the slot it frees, would otherwise wait for it).
     */
    void changedLast(EngineEvent event) {
        synchronized (lock) {
            hurry = true;
            changed(event);
            if (pending != null && pending.cancel(false)) {
                pending = null;
                threads.run(this::flush);
            }
        }
    }

    /** Under the lock, with no flush going. */
    private void schedule() {
        flushing = true;
        long wait = lastSaveNanos + INTERVAL.toNanos() - System.nanoTime();
        if (wait > 0 && !hurry) {
            try {
                pending = timer.schedule(this::flushPending, wait, TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException engineClosed) {
                // the engine is closing: write now rather than never
            }
        }
        threads.run(this::flush);
    }

    /** The timer's turn: starts the waiting flush unless the run's last change started it already. */
    private void flushPending() {
        synchronized (lock) {
            if (pending == null) return;
            pending = null;
        }
        threads.run(this::flush);
    }

    private void flush() {
        RunRecord record;
        List<EngineEvent> events;
        synchronized (lock) {
            if (abandoned) {
                flushing = false;
                lock.notifyAll();
                return;
            }
            dirty = false;
            record = snapshot.get();
            events = List.copyOf(unpublished);
            unpublished.clear();
        }
        try {
            store.save(record);
        } catch (RunLost lost) {
            // another server ended it: its events are that server's to tell; the run stops here, unrecorded
            LOG.warn("run {}: {}; stopping it here", key, lost.getMessage());
            abandon();
            synchronized (lock) {
                flushing = false;
                lock.notifyAll();
            }
            // not while flushing: stopping the run may end it on this very thread, and its end awaits the saver
            onLost.accept(lost.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            // published all the same: followers must not wait for an end a broken store would hide
            LOG.warn("run {}: cannot save its state: {}", key, e.toString());
        }
        for (EngineEvent event : events) publish(event);
        synchronized (lock) {
            lastSaveNanos = System.nanoTime();
            flushing = false;
            if (dirty) schedule();
            else lock.notifyAll();
        }
    }

    private void publish(EngineEvent event) {
        try {
            listener.changed(event);
        } catch (RuntimeException e) {
            LOG.warn("run {}: listener failed: {}", key, e.toString());
        }
    }

    /**
     * Saves and publishes nothing from now on (a save already writing ends as it would): the store keeps the run as
     * it was last saved, for whoever ends it later (a server's next start).
     */
    void abandon() {
        synchronized (lock) {
            abandoned = true;
            dirty = false;
            unpublished.clear();
            if (pending != null && pending.cancel(false)) {
                pending = null;
                flushing = false;
            }
            lock.notifyAll();
        }
    }

    /** Waits until every change was saved and published; bounded, so a broken store cannot keep a run from ending. */
    void awaitSaved() throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + FINAL_WAIT.toNanos();
            while (flushing || dirty) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("run {}: its final state was not saved within {} s", key, FINAL_WAIT.toSeconds());
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }
}

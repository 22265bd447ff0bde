package io.stoker.agent.client;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A dropped link to the agent of a running task, told in the task's log: one line when it drops (how long the agent
 * may stay away before the task fails as "agent lost"), one when the task is re-attached (how long it was away), so
 * a gap in the output's timestamps is explained. The second comes before any output the agent sends again.
 */
public final class LinkOutage {
    private final String agent;
    private final Consumer<String> note;
    private final long since = System.nanoTime();
    private final AtomicBoolean told = new AtomicBoolean();
    private final Runnable hook = this::reattached;

    private LinkOutage(String agent, Consumer<String> note) {
        this.agent = agent;
        this.note = note;
    }

    /**
     * Tells that the link to {@code agent} ("agent NAME", "pull agent NAME") dropped; the outage runs from now.
     * {@code lostTimeout}: how long it may stay away.
     */
    public static LinkOutage begin(String agent, Duration lostTimeout, Consumer<String> note) {
        note.accept(dropped(agent, lostTimeout));
        return new LinkOutage(agent, note);
    }

    private static String dropped(String agent, Duration lostTimeout) {
        return "lost the link to " + agent + "; waiting up to " + seconds(lostTimeout) + " for it to come back";
    }

    /**
     * As {@link #begin(String, Duration, Consumer)} for a task that re-attaches by resuming its streams: the
     * re-attachment is told just before it asks the agent to send them again, so the line comes before the output
     * made in between rather than after some of it. The hook is in place before the drop is told, so no reconnect
     * the drop's line may prompt can come first.
     */
    public static LinkOutage begin(String agent, Duration lostTimeout, Consumer<String> note, RemoteTask task) {
        LinkOutage outage = new LinkOutage(agent, note);
        task.beforeNextResume(outage.hook);
        note.accept(dropped(agent, lostTimeout));
        return outage;
    }

    /**
     * The link is back: tells the re-attachment now unless {@code task} told it on resuming (it may have been
     * resumed by another task's reconnect before the hook was set).
     */
    public void reattached(RemoteTask task) {
        task.forgetBeforeResume(hook);
        reattached();
    }

    /** Tells that the task is followed again, after how long (once). */
    public void reattached() {
        if (!told.compareAndSet(false, true)) return;
        note.accept("re-attached to " + agent + " after " + seconds(Duration.ofNanos(System.nanoTime() - since))
                + "; the output in between follows");
    }

    /** {@code 45s}, {@code 3.2s}: tenths only where there are any. */
    public static String seconds(Duration d) {
        long tenths = Math.round(d.toMillis() / 100.0);
        return tenths % 10 == 0 ? tenths / 10 + "s" : String.format(Locale.ROOT, "%.1fs", tenths / 10.0);
    }
}

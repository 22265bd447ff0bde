package io.stoker.agent.ssh;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A dropped link to the agent of a running task, told in the task's log: one line when it drops (how long the agent
 * may stay away before the task fails as "agent lost"), one when the task is re-attached (how long it was away), so
 * a gap in the output's timestamps is explained.
 */
final class LinkOutage {
    private final String agent;
    private final long since = System.nanoTime();

    private LinkOutage(String agent) {
        this.agent = agent;
    }

    /** Tells that the link to {@code agent} dropped; the outage runs from now. */
    static LinkOutage begin(SshAgent agent, Consumer<String> note) {
        String name = agent.endpoint().name();
        note.accept("lost the link to agent " + name + "; waiting up to " + seconds(agent.settings().lostTimeout())
                + " for it to come back");
        return new LinkOutage(name);
    }

    /** Tells that the task is followed again, after how long. */
    void reattached(Consumer<String> note) {
        note.accept("re-attached to " + agent + " after " + seconds(Duration.ofNanos(System.nanoTime() - since))
                + "; the output in between follows");
    }

    /** {@code 45s}, {@code 3.2s}: tenths only where there are any. */
    static String seconds(Duration d) {
        long tenths = Math.round(d.toMillis() / 100.0);
        return tenths % 10 == 0 ? tenths / 10 + "s" : String.format(Locale.ROOT, "%.1fs", tenths / 10.0);
    }
}

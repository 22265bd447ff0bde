package io.stoker.engine.log;

/** Port to follow task logs live, by many followers at once, each with bounded memory. */
public interface LogFeed {

    /**
     * Delivers the task's log from its first line, then new lines as they are written, then {@code end()} once
     * the log is closed. Works before the log is opened and after it ended. A slow follower falls behind and
     * catches up from storage; it never blocks the task.
     */
    default Subscription follow(String runKey, String task, LogFollower follower) {
        return follow(runKey, task, 0, follower);
    }

    /** As {@link #follow(String, String, LogFollower)}, skipping the first {@code fromLine} lines (a reconnect). */
    Subscription follow(String runKey, String task, long fromLine, LogFollower follower);

    /** A live subscription; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

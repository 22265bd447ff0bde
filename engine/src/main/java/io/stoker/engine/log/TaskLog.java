package io.stoker.engine.log;

import java.nio.charset.StandardCharsets;

/**
 * The log of one task (all its attempts). Written by the engine from several threads (stdout, stderr, system).
 * Implementations must never block for long: a slow follower must not slow the task down.
 */
public interface TaskLog extends AutoCloseable {

    /** Appends complete lines (each ending in {@code '\n'}, already masked) that arrived at {@code epochMillis}. */
    void lines(LogStream stream, long epochMillis, byte[] buf, int off, int len);

    /** Appends one line of text (without its newline). */
    default void line(LogStream stream, long epochMillis, String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        lines(stream, epochMillis, bytes, 0, bytes.length);
    }

    /** Where the log is kept, for people and the run summary: a file path or a URL. */
    String location();

    /** Ends the log: followers get their last lines and then {@link LogFollower#end()}. */
    @Override
    void close();
}

package io.stoker.engine.log;

import java.nio.charset.StandardCharsets;

/** Receives a task's log in order, on a thread of the log store; must not throw. */
public interface LogFollower {

    /** One more line. */
    void line(LogLine line);

    /**
     * Whole lines of the log as the store keeps them ({@code <time> <stream> <text>\n} each), in order, as many as one
     * read of the file gave: a follower that passes the text on can copy bytes instead of handling a line at a time.
     * The bytes are the store's and valid only during the call. By default each line is parsed and given to
     * {@link #line(LogLine)}.
     */
    default void lines(byte[] buf, int off, int len) {
        int end = off + len;
        int start = off;
        while (start < end) {
            int nl = start;
            while (nl < end && buf[nl] != '\n') nl++;
            line(LogFormat.parse(new String(buf, start, nl - start, StandardCharsets.UTF_8)));
            start = nl + 1;
        }
    }

    /** The log ended (the task finished) and every line has been delivered. */
    default void end() {
    }
}

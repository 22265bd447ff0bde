package io.stoker.engine.log;

/** Receives a task's log lines in order, on a thread of the log store; must not throw. */
public interface LogFollower {

    /** One more line. */
    void line(LogLine line);

    /** The log ended (the task finished) and every line has been delivered. */
    default void end() {
    }
}

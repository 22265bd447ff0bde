package io.stoker.engine.log;

/**
 * Sees every byte a {@link FileLogStore} writes to the task logs of the runs it asks for, in the order written:
 * the server spools a run's combined log from it for streaming. Called on the writing thread under the task log's
 * lock, so it must only append to local storage, never wait on a receiver.
 */
public interface LogTap {
    /** A tap that asks for nothing. */
    LogTap NONE = (runKey, task) -> null;

    /** The sink for one task's log as it is opened, or null when the run's log is not tapped. */
    Sink open(String runKey, String task);

    /** One task's bytes. */
    interface Sink {
        /** Whole lines (each ending in {@code '\n'}) exactly as they were written to the task's log file. */
        void lines(byte[] buf, int off, int len);

        /** The task's log ended (all its lines were given). */
        void close();
    }
}

package io.stoker.server.logstream;

import java.io.IOException;

/** One run's combined log as a sender reads it: whole lines from an offset, waiting a while for more. */
public interface LogSource {
    /** The largest batch a read gives (a single longer line comes whole). */
    int BATCH_BYTES = 64 * 1024;

    /** Whether the log is over: the run ended and its task logs are closed, so no byte will be added. */
    boolean over();

    /** Lines from {@code offset}; empty and not {@code end} when none came within {@code waitMillis}. */
    CombinedLog.Batch read(long offset, long waitMillis) throws IOException, InterruptedException;
}

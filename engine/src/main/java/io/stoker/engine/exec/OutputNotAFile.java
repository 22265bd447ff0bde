package io.stoker.engine.exec;

import java.io.IOException;

/**
 * What a task left at {@code $STOKER_OUTPUT} is no regular file (a symbolic link, a FIFO, a directory…), so it was
 * not read and the task has no outputs; the message says what it was, as a line for the task's log.
 */
public final class OutputNotAFile extends IOException {
    public OutputNotAFile(String message) {
        super(message);
    }
}

package io.stoker.server.logstream;

/** The receiver refused the log for good (an HTTP 4xx other than 408, 425, 429): the stream is not retried. */
public final class LogStreamRefused extends Exception {
    private final int status;

    public LogStreamRefused(int status) {
        super("HTTP " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

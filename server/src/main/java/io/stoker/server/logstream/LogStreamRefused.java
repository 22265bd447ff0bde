package io.stoker.server.logstream;

/** The receiver refused the log for good (an HTTP 4xx other than 408, 425, 429, or a redirect): the stream is not retried. */
public final class LogStreamRefused extends Exception {
    private final int status;

    public LogStreamRefused(int status) {
        this(status, "HTTP " + status);
    }

    /** A refusal whose words say more than its status (a redirect: where to). */
    public LogStreamRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

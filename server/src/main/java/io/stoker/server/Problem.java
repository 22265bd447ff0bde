package io.stoker.server;

import java.util.List;

/**
 * A request the server refuses, as one exception type: the API's failure handler turns it into
 * {@code {"error": message, "details": [...]}} with {@link #status()}.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String error;
    private final List<String> details;

    public Problem(int status, String error, String message, List<String> details) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.details = List.copyOf(details);
    }

    public static Problem badRequest(String message, String... details) {
        return new Problem(400, "bad request", message, List.of(details));
    }

    public static Problem notFound(String message) {
        return new Problem(404, "not found", message, List.of());
    }

    /** A 404 of a thing a field of the request named: {@code details} start with {@code field: NAME}. */
    public static Problem notFound(String message, String... details) {
        return new Problem(404, "not found", message, List.of(details));
    }

    public static Problem unprocessable(String message, List<String> details) {
        return new Problem(422, "unprocessable", message, details);
    }

    public static Problem conflict(String error, String message) {
        return new Problem(409, error, message, List.of());
    }

    public int status() {
        return status;
    }

    /** The short machine-readable error word, e.g. {@code busy}, {@code not found}. */
    public String error() {
        return error;
    }

    public List<String> details() {
        return details;
    }
}

package io.stoker.engine.start;

import java.util.List;

/** Given parameter values a job does not accept; {@link #errors()} names every bad one, one a line. */
public final class InvalidParameters extends IllegalArgumentException {
    private final String job;
    private final List<String> errors;

    public InvalidParameters(String job, List<String> errors) {
        super("invalid parameters for job '" + job + "': " + String.join("; ", errors));
        this.job = job;
        this.errors = List.copyOf(errors);
    }

    public String job() {
        return job;
    }

    public List<String> errors() {
        return errors;
    }
}

package io.stoker.dsl.cron;

/**
 * A cron spec that cannot be parsed. The message names the spec, the field at fault and why, e.g.
 * {@code cron 'H 25 * * *': hour: 25 is out of range 0-23}.
 */
public final class InvalidCronException extends IllegalArgumentException {
    private final String spec;
    private final String field;
    private final String problem;

    InvalidCronException(String spec, String field, String problem) {
        super("cron '" + spec + "': " + (field == null ? "" : field + ": ") + problem);
        this.spec = spec;
        this.field = field;
        this.problem = problem;
    }

    /** The spec as written. */
    public String spec() {
        return spec;
    }

    /** {@code minute}, {@code hour}, {@code day-of-month}, {@code month}, {@code day-of-week}, or null for the whole spec. */
    public String field() {
        return field;
    }

    /** What is wrong, without the spec and field. */
    public String problem() {
        return problem;
    }
}

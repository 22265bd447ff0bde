package io.stoker.server;

import java.util.List;

/**
 * A service's refusal, in the domain's words: a field is malformed, the caller is not known or not allowed, the
 * thing is not there or spent, it conflicts with the state it is in, the input is invalid, or the caller tried too often.
 * Services throw these; only the API's failure handler turns them into HTTP answers, and other
 * callers (trigger steps, triggers) catch the kind they care about instead of reading status codes or messages.
 */
public abstract sealed class Refused extends RuntimeException
        permits Refused.Malformed, Refused.Unauthenticated, Refused.Forbidden, Refused.NotFound, Refused.Conflict,
        Refused.Invalid, Refused.Throttled, Refused.Gone {
    private final List<String> details;

    private Refused(String message, List<String> details) {
        super(message, null, false, false);
        this.details = List.copyOf(details);
    }

    /** What the caller can fix, one item a line (e.g. {@code parameter 'X': required}). */
    public List<String> details() {
        return details;
    }

    /** A field of the request is missing or not in the form it must have (the message names the field). */
    public static final class Malformed extends Refused {
        public Malformed(String message, String... details) {
            super(message, List.of(details));
        }
    }

    /** The caller is not known: no credentials, or ones that are wrong, expired or revoked. */
    public static final class Unauthenticated extends Refused {
        public Unauthenticated(String message) {
            super(message, List.of());
        }
    }

    /**
     * The caller is known but may not do this: its role, not a member of the project, not among a gate's
     * approvers; {@code details} say who may.
     */
    public static final class Forbidden extends Refused {
        public Forbidden(String message, List<String> details) {
            super(message, details);
        }
    }

    /** The named thing (run, task, job, project) does not exist. */
    public static final class NotFound extends Refused {
        /** {@code details}, when a field of the request named the thing, start with {@code field: NAME}. */
        public NotFound(String message, String... details) {
            super(message, List.of(details));
        }
    }

    /** The thing exists but its state forbids this now; {@code reason} is a short word such as {@code busy}. */
    public static final class Conflict extends Refused {
        private final String reason;

        public Conflict(String reason, String message) {
            this(reason, message, List.of());
        }

        /** With {@code details} a client can act on, one {@code name: value} item each. */
        public Conflict(String reason, String message, List<String> details) {
            super(message, details);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The input is well formed but wrong: bad parameters, an unknown task to rerun from. */
    public static final class Invalid extends Refused {
        public Invalid(String message, List<String> details) {
            super(message, details);
        }
    }

    /** The thing was there but is spent for good (a download link used already): asking again will not bring it back. */
    public static final class Gone extends Refused {
        public Gone(String message, String... details) {
            super(message, List.of(details));
        }
    }

    /** Too many failed attempts (logins): the caller may try again after {@link #retryAfter()}. */
    public static final class Throttled extends Refused {
        private final java.time.Duration retryAfter;

        public Throttled(String message, java.time.Duration retryAfter) {
            super(message, List.of("retry after: " + Math.max(1, retryAfter.toSeconds()) + " s"));
            this.retryAfter = retryAfter;
        }

        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }
}

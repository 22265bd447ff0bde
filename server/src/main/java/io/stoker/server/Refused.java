package io.stoker.server;

import java.util.List;

/**
 * A service's refusal, in the domain's words: the thing is not there, it conflicts with the state it is in, or the
 * input is invalid. Services throw these; only the API's failure handler turns them into HTTP answers, and other
 * callers (trigger steps, triggers) catch the kind they care about instead of reading status codes or messages.
 */
public abstract sealed class Refused extends RuntimeException
        permits Refused.NotFound, Refused.Conflict, Refused.Invalid, Refused.Forbidden {
    private final List<String> details;

    private Refused(String message, List<String> details) {
        super(message, null, false, false);
        this.details = List.copyOf(details);
    }

    /** What the caller can fix, one item a line (e.g. {@code parameter 'X': required}). */
    public List<String> details() {
        return details;
    }

    /** The named thing (run, task, job, project) does not exist. */
    public static final class NotFound extends Refused {
        public NotFound(String message) {
            super(message, List.of());
        }
    }

    /** The thing exists but its state forbids this now; {@code reason} is a short word such as {@code busy}. */
    public static final class Conflict extends Refused {
        private final String reason;

        public Conflict(String reason, String message) {
            super(message, List.of());
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The caller may not do this to this thing (not among a gate's approvers); {@code details} say who may. */
    public static final class Forbidden extends Refused {
        public Forbidden(String message, List<String> details) {
            super(message, details);
        }
    }

    /** The input is well formed but wrong: bad parameters, an unknown task to rerun from. */
    public static final class Invalid extends Refused {
        public Invalid(String message, List<String> details) {
            super(message, details);
        }
    }
}

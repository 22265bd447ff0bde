package io.stoker.dsl.isolate;

import java.time.Duration;

/** An isolated compile refused because as many compiles as may wait are waiting already: try again after a while. */
public final class CompilerBusy extends RuntimeException {
    private final Duration retryAfter;

    CompilerBusy(int concurrent, int waiting, Duration retryAfter) {
        super("the server is compiling " + io.stoker.model.Plural.of(concurrent, "Jobfile") + " at once and "
                + waiting + " more " + (waiting == 1 ? "is waiting its" : "are waiting their") + " turn: try again in "
                + Math.max(1, retryAfter.toSeconds()) + " s", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}

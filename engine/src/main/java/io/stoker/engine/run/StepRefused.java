package io.stoker.engine.run;

/** A step or launch that cannot start, for a reason the task's log says in one sentence (never a secret). */
final class StepRefused extends RuntimeException {
    StepRefused(String message) {
        super(message, null, false, false);
    }
}

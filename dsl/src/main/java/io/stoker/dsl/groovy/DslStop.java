package io.stoker.dsl.groovy;

import io.stoker.model.Pos;

/** Stops evaluating a Jobfile: a limit was exceeded or time ran out. Becomes one diagnostic at {@link #pos}. */
final class DslStop extends RuntimeException {
    final transient Pos pos;

    DslStop(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos;
    }
}

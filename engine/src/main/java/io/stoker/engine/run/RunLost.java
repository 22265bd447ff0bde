package io.stoker.engine.run;

import java.io.IOException;

/**
 * Thrown by {@link RunStore#save} when the store no longer keeps the run for this engine: another server of a
 * cluster took it over (its lease ran out) and ended it or queued it again. The engine then stops the run here
 * without recording or announcing anything more: what the store says now is the run's story.
 */
public final class RunLost extends IOException {
    public RunLost(String message) {
        super(message);
    }
}

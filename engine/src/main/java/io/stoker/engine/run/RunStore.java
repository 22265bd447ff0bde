package io.stoker.engine.run;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Port where run state is persisted; the engine saves the whole record on every state change. */
public interface RunStore {

    /**
     * Saves the run's current state, replacing what was saved before.
     *
     * @throws RunLost when the store keeps the run for someone else now (taken over): nothing was written
     */
    void save(RunRecord run) throws IOException;

    /** The last saved state of a run. */
    Optional<RunRecord> load(String runKey) throws IOException;

    /** Every run kept, in no particular order. */
    List<RunRecord> list() throws IOException;
}

package io.stoker.engine.run;

/**
 * Live events of one run. Called on engine threads while the engine holds the run's lock: return quickly,
 * never block (hand work to your own thread or queue), never call back into the run.
 */
public interface RunListener {

    RunListener NONE = new RunListener() {
    };

    /** A task changed state (also once per attempt when it starts running again). */
    default void taskChanged(TaskEvent event) {
    }

    /** The run changed state. */
    default void runChanged(RunEvent event) {
    }
}

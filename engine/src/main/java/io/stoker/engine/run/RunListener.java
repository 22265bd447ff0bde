package io.stoker.engine.run;

/**
 * Live events of one run, in the order they happened, each after the state it reports was saved through the
 * {@link RunStore}. Called on one engine thread at a time, outside the run's lock; a slow listener delays the
 * run's later saves, so return quickly (hand work to your own thread or queue).
 */
public interface RunListener {

    RunListener NONE = new RunListener() {
    };

    /** Every event; by default handed to {@link #taskChanged} or {@link #runChanged}. */
    default void changed(EngineEvent event) {
        switch (event) {
            case TaskEvent e -> taskChanged(e);
            case RunEvent e -> runChanged(e);
            case GateEvent e -> gateChanged(e);
        }
    }

    /** A task's approval gate opened or was decided. */
    default void gateChanged(GateEvent event) {
    }

    /** A task changed state (also once per attempt when it starts running again). */
    default void taskChanged(TaskEvent event) {
    }

    /** The run changed state. */
    default void runChanged(RunEvent event) {
    }
}

package io.stoker.server.run;

import java.util.Map;

/**
 * What the runs of a lost server left running (their tasks' processes on agents), stopped when another server takes
 * them over, or when a lone server starts again after it was killed, before those runs are ended or queued again.
 */
@FunctionalInterface
public interface LeftBehind {
    /** Nothing to stop (a store without agents, a spec's). */
    LeftBehind NOTHING = holders -> Map.of();

    /**
     * Stops the processes of the runs {@code holders} names (run key → the id of the server that held it, or null),
     * waiting, bounded, until they are gone. Returns, by run key, why some of a run's may still run; the runs not named
     * have nothing of theirs left running.
     */
    Map<String, String> stop(Map<String, String> holders);
}

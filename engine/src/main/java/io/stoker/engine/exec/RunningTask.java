package io.stoker.engine.exec;

import io.stoker.engine.image.ImageDigest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One attempt of a task while (and after) it runs. Its stdout and stderr must be read by the caller, or the
 * task blocks once the OS pipe buffer is full.
 */
public interface RunningTask {

    /** The task's stdin when it was started with {@code pipedStdin}; closing it signals end of input. */
    OutputStream stdin();

    /** The task's standard output; closing it early makes the task's next write fail with SIGPIPE. */
    InputStream stdout();

    /** The task's standard error. */
    InputStream stderr();

    /** Blocks until the attempt ends and returns its exit code (that of the first failing step, else 0). */
    int waitFor() throws InterruptedException;

    /** Completes with the exit code when the attempt ends; never polls. */
    CompletableFuture<Integer> onExit();

    /**
     * Stops the attempt (a cancel, a timeout, a stop): kills its whole process tree at once, what left its process
     * group included; safe to call more than once and after it ended.
     */
    void kill();

    /**
     * Ends what the attempt left behind once its process ended on its own and its output was read to its end, or
     * {@code outputHeld}: something still held that output open after a grace. The background processes still in its
     * process group end with it; with {@code outputHeld}, so does whatever else holds its output (see
     * {@link #strays()}). A local attempt also stops every process still carrying its mark ({@code STOKER_OUTPUT}),
     * one that left the group and let go of the output included: a service meant to outlive it is started without
     * that mark. Safe to call more than once; without a group of its own to end, the default kills the attempt when
     * its output is held.
     */
    default void stopBackground(boolean outputHeld) {
        if (outputHeld) kill();
    }

    /** The most of {@code $STOKER_OUTPUT} that is kept: outputs are small values for templates (artifacts carry data). */
    int MAX_OUTPUT_BYTES = 1024 * 1024;

    /**
     * The text the task wrote to {@code $STOKER_OUTPUT}, read after it ended; empty when it wrote none. At most
     * {@link #MAX_OUTPUT_BYTES} and one byte more are read, so that a file over the limit can be told (see
     * {@code OutputFile}).
     */
    String outputText() throws IOException;

    /**
     * Zips the workspace files matching the globs (relative to the workspace, {@code **} crosses directories)
     * into {@code zip}; returns how many files were added (0 leaves no zip file behind) and which listed files were
     * left out because they were no longer regular files inside the workspace when read. Between reads it asks
     * {@code stopped}: once that says yes it deletes what it wrote and throws {@link CollectionStopped}, so a cancel
     * or a timeout does not wait for gigabytes of files to be zipped.
     */
    CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException;

    /**
     * Why the attempt failed when the executor, not the task, decided it ({@code "agent lost"}), read after it
     * ended; null when its exit code tells the whole story.
     */
    default String failureReason() {
        return null;
    }

    /**
     * Whether the executor gave up on the attempt (its agent lost, its files gone) rather than seeing its process
     * end: then no exit code is known and {@link #waitFor()}'s is only a placeholder; {@link #failureReason()} says
     * why. Read after it ended.
     */
    default boolean gaveUp() {
        return false;
    }

    /**
     * Where the executor's own lines about the attempt go while it runs (the link to its agent dropped, and came
     * back): they become system lines of the task's log. Called once, right after the start; an executor with
     * nothing to tell ignores it.
     */
    default void onNote(Consumer<String> note) {
    }

    /**
     * Where the attempt's placement goes while it has not started yet: an executor that first waits for a place (an
     * agent with a free slot) tells it {@link Placement.Waiting} (again when the reason changes), then
     * {@link Placement.Started} once the process runs; it tells the latest placement at once when it already has
     * one. Called once, right after the start; an executor that starts at once ignores it.
     */
    default void onPlacement(Consumer<Placement> placement) {
    }

    /**
     * The images the attempt ran in, with their image IDs, read after it ended; empty on
     * the host.
     */
    default List<ImageDigest> images() {
        return List.of();
    }

    /**
     * What a kill stopped beyond the task's own process group (a background process it started that still held its
     * output open), one sentence each for the task's log, read after it ended; empty when nothing.
     */
    default List<String> strays() {
        return List.of();
    }

    /** Removes what the executor kept for this attempt (scripts, the output file); called once it is done with. */
    default void release() {
    }
}

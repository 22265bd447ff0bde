package io.stoker.engine.image;

import java.util.function.Consumer;

/**
 * Runs the image steps of tasks ({@code buildImage} with a container engine, {@code publishImage} without one).
 * A call blocks until the image is pushed or the step failed; the engine interrupts the calling thread on a cancel
 * or a time limit, and an implementation then stops what it started (kills the engine's process) and returns.
 */
@FunctionalInterface
public interface ImageSteps {
    /** For an engine that has no image support: every image step fails with one sentence. */
    ImageSteps UNAVAILABLE = (request, log) -> new ImageStepResult.Failed(
            "image steps (buildImage, publishImage) are not available here");

    /**
     * Builds and pushes one image.
     *
     * @param log receives the lines for the task's log (the engine masks secret values in them)
     */
    ImageStepResult run(ImageStepRequest request, Consumer<String> log) throws InterruptedException;
}

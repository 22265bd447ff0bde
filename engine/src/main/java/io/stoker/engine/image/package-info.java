/**
 * The port through which the engine runs a task's {@code buildImage} and {@code publishImage} steps: what to build
 * and push ({@link io.stoker.engine.image.ImageStepRequest}), how it ended
 * ({@link io.stoker.engine.image.ImageStepResult}), and the digests of the images a task ran in or pushed
 * ({@link io.stoker.engine.image.ImageDigest}) as the run record keeps them.
 */
package io.stoker.engine.image;

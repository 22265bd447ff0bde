package io.stoker.engine.image;

/** How an image step ended: pushed with its digest, or failed with one sentence (never a secret). */
public sealed interface ImageStepResult {

    record Pushed(String reference, String digest) implements ImageStepResult {
    }

    record Failed(String reason) implements ImageStepResult {
    }
}

package io.stoker.container;

/** An image build or push that did not succeed; its message is one sentence for the task log, never a secret. */
public final class ImageBuildFailed extends Exception {
    public ImageBuildFailed(String message) {
        super(message);
    }
}

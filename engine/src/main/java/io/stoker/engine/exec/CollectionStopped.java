package io.stoker.engine.exec;

import java.io.IOException;

/**
 * Artifact collection gave up half-way because the run was cancelled or its time was up: what was zipped so far
 * is deleted, since a zip cut short would look complete to anyone who lists or downloads it.
 */
public final class CollectionStopped extends IOException {
    public CollectionStopped() {
        super("stopped before every file was zipped; nothing was kept");
    }
}

package io.stoker.engine.exec;

import java.util.List;

/**
 * What a task's artifact collection zipped: how many files, and which listed files it left out and why (one line
 * each, {@code PATH: WHY}) because they were no longer regular files inside the workspace when they were read.
 */
public record CollectedArtifacts(int files, List<String> leftOut) {
    public CollectedArtifacts {
        leftOut = List.copyOf(leftOut);
    }

    /** Nothing zipped, nothing left out. */
    public static final CollectedArtifacts NONE = new CollectedArtifacts(0, List.of());
}

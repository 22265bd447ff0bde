package io.stoker.engine.start;

import java.io.IOException;
import java.nio.file.Path;

/** What a run's fresh workspace is filled with: a checkout of its commit, a copy of a directory, or nothing. */
@FunctionalInterface
public interface WorkspaceSource {
    /** An empty workspace. */
    WorkspaceSource EMPTY = workspace -> { };

    /** Fills {@code workspace}, an existing empty directory. */
    void fill(Path workspace) throws IOException;
}

package io.stoker.engine.artifact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Port where a run's artifacts are kept: each task's zip is staged when the task succeeds, and the run's zips
 * are published only when the whole run succeeded. A failed run keeps its staged zips, marked unpublished.
 */
public interface ArtifactStore {

    /** A fresh local file the executor may write a task's zip to, before {@link #stage}. */
    Path newStagingFile(String runKey, String task) throws IOException;

    /** Stages a task's zip (moving it from where it was written); returns where it is kept now. */
    Path stage(String runKey, String task, Path zip) throws IOException;

    /** Publishes every staged zip of a run that succeeded; returns task → published location. */
    Map<String, Path> publish(String runKey) throws IOException;

    /** Keeps a run's staged zips for debugging, marked unpublished with the reason; returns task → location. */
    Map<String, Path> keepUnpublished(String runKey, String reason) throws IOException;
}

package io.stoker.server

import java.nio.file.Files
import java.nio.file.Path

/**
 * A temp directory that agents work in, removed when the test JVM exits rather than by Spock after the
 * specification: an agent may still be removing a finished run's workspace there while a specification ends, and
 * Spock's {@code @TempDir} cleanup then fails the whole specification on a file that vanished under it. By exit
 * the servers and agents are gone; what cannot be removed then is left in the temp directory, failing nothing.
 */
final class ScratchDirectory {
    private ScratchDirectory() {}

    static Path removedAtExit(String prefix) {
        Path dir = Files.createTempDirectory("stoker-${prefix}-")
        Runtime.runtime.addShutdownHook(new Thread({ dir.toFile().deleteDir() }))
        dir
    }
}

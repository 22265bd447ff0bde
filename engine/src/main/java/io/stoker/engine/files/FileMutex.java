package io.stoker.engine.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion on a lock file, among the processes that share a directory (the servers of a cluster on one data
 * directory) and the threads of this one. The OS lock is a POSIX record lock ({@link FileChannel#lock}), which a
 * process holds until it ends or lets go; the JVM refuses a second such lock on one file in one process, so threads
 * here first queue on an in-process lock of the same file.
 */
public final class FileMutex {
    private static final ConcurrentMap<Path, ReentrantLock> HERE = new ConcurrentHashMap<>();

    private FileMutex() {
    }

    /** Work done while holding the lock. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding the lock of {@code lockFile} (made with its directories when missing), waiting for it. */
    public static <T> T holding(Path lockFile, Work<T> work) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock here = HERE.computeIfAbsent(key, k -> new ReentrantLock());
        here.lock();
        try (FileChannel channel = open(key); FileLock held = channel.lock()) {
            return work.run();
        } finally {
            here.unlock();
        }
    }

    /** Runs {@code work} when nobody (here or in another process) holds the lock now; false, not run, when held. */
    public static boolean ifFree(Path lockFile, Work<?> work) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock here = HERE.computeIfAbsent(key, k -> new ReentrantLock());
        if (!here.tryLock()) return false;
        try (FileChannel channel = open(key); FileLock held = tryLock(channel)) {
            if (held == null) return false;
            work.run();
            return true;
        } finally {
            here.unlock();
        }
    }

    private static FileChannel open(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.getParent());
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }
}

package io.stoker.engine.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A directory this process owns for as long as it runs, among the processes sharing its parent (the servers of a
 * cluster on one data directory): {@code parent/<random>}, held by a POSIX lock on {@code parent/<random>.lock}, which
 * the OS lets go when the process ends, however it ends. The parent holds nothing else: claiming one deletes every
 * entry whose owner is gone (its lock free, or no lock file at all: an older layout), never a live process's.
 */
public final class OwnedDirectory implements AutoCloseable {
    private static final String LOCK = ".lock";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private OwnedDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Makes and holds a new directory under {@code parent}, then deletes what processes gone left there. */
    public static OwnedDirectory claim(Path parent) throws IOException {
        Path base = Files.createDirectories(parent.toAbsolutePath().normalize());
        String name = HexFormat.of().formatHex(bytes());
        // the lock file first, then the directory: whoever sees the directory also sees its lock file
        FileChannel channel = FileChannel.open(base.resolve(name + LOCK), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.lock();
            Path dir = Files.createDirectory(base.resolve(name));
            removeLeftovers(base, name);
            return new OwnedDirectory(dir, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static byte[] bytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void removeLeftovers(Path base, String own) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(own) || name.endsWith(LOCK)) continue;
                Path lockFile = base.resolve(name + LOCK);
                if (!Files.exists(lockFile)) FileTrees.deleteQuietly(entry);
                else FileMutex.ifFree(lockFile, () -> {
                    FileTrees.deleteQuietly(entry);
                    Files.deleteIfExists(lockFile);
                    return null;
                });
            }
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Lets go of the directory (it stays, for the next claim under the same parent to delete). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } catch (OverlappingFileLockException | IOException ignored) {
            // released already
        } finally {
            channel.close();
        }
    }
}

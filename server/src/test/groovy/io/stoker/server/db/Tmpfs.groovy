package io.stoker.server.db

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A tmpfs of a fixed size mounted on a temp directory, for specs of a disk that fills up: {@link #fill} writes a file
 * until the kernel says "No space left on device", {@link #free} deletes it. Needs root (or CAP_SYS_ADMIN).
 */
final class Tmpfs implements Closeable {
    private static Boolean mountable

    final Path dir

    private Tmpfs(Path dir) {
        this.dir = dir
    }

    /** Whether this process may mount a tmpfs (tried once per JVM). */
    static synchronized boolean mountable() {
        if (mountable == null) {
            try {
                mount('1m').close()
                mountable = true
            } catch (IOException | IllegalStateException e) {
                mountable = false
            }
        }
        mountable
    }

    static Tmpfs mount(String size) {
        Path dir = Files.createTempDirectory('stoker-tmpfs-')
        try {
            run('mount', '-t', 'tmpfs', '-o', "size=$size", 'tmpfs', dir.toString())
        } catch (IOException | IllegalStateException e) {
            Files.deleteIfExists(dir)
            throw e
        }
        new Tmpfs(dir)
    }

    /** Takes every free byte: a file of 1 MiB blocks, then one of 4 KiB blocks for what is left. */
    void fill() {
        for (int size : [1 << 20, 4096]) {
            byte[] block = new byte[size]
            try (OutputStream out = Files.newOutputStream(dir.resolve("filler-$size"))) {
                while (true) out.write(block)
            } catch (IOException full) {
                assert full.message.contains('No space left on device')
            }
        }
    }

    /** Deletes what {@link #fill} wrote. */
    void free() {
        for (int size : [1 << 20, 4096]) Files.deleteIfExists(dir.resolve("filler-$size"))
    }

    /**
     * Unmounts it; lazily when a file on it is still open (a task thread the full disk broke may hold its log), so the
     * mount never outlives the spec: the kernel lets go of it once the file is closed.
     */
    @Override
    void close() {
        try {
            run('umount', dir.toString())
        } catch (IllegalStateException busy) {
            run('umount', '-l', dir.toString())
        }
        // not empty when H2 wrote its trace file before the unmount was seen: delete what is there
        dir.toFile().deleteDir()
    }

    private static void run(String... command) {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start()
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            throw new IllegalStateException("${command.join(' ')} did not end within 30 s")
        }
        String out = new String(p.inputStream.readAllBytes())
        if (p.exitValue() != 0) throw new IllegalStateException("${command.join(' ')}: ${out.trim()}")
    }
}

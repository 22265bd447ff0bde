package io.stoker.dsl.isolate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive (AppCDS) of the worker JVM's compile path, so a cold worker maps the Groovy compiler's
 * classes instead of loading and verifying them again. It is made once per java and class path: a trusted JVM
 * (outside the sandbox, compiling only the built-in warm-up Jobfiles, never a user's) runs the worker's warm-up with
 * {@code -XX:ArchiveClassesAtExit}; the file is written aside and renamed into place, so a worker either finds a
 * whole archive or none. A JVM that finds the archive stale ignores it (its warning goes to the worker's stderr).
 */
public final class ClassDataArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
    private static final long TRAINING_SECONDS = 120;

    private ClassDataArchive() {
    }

    /** The archive for these settings' java and class path inside {@code dir}; it may not exist yet. */
    public static Path in(Path dir, WorkerSettings settings) {
        return dir.resolve("jobfile-worker-" + fingerprint(settings) + ".jsa");
    }

    /**
     * Makes the settings' archive unless it exists. Blocks for a JVM's warm-up (seconds); false when it could not
     * (the reason is logged: workers then start without it, as before).
     */
    public static boolean ensure(WorkerSettings settings) {
        Path target = settings.classData();
        if (target == null) return false;
        if (Files.isRegularFile(target)) return true;
        for (String entry : settings.classpath().split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                // the JVM archives classes from jars only: a build run from class directories goes without
                LOG.info("no class-data archive for Jobfile workers: the class path holds a directory ({})", entry);
                return false;
            }
        }
        Path aside = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(target.getParent());
            var command = new ArrayList<String>();
            command.add(settings.java());
            command.addAll(settings.jvmOptions());
            command.add("-XX:ArchiveClassesAtExit=" + aside);
            command.addAll(List.of("-cp", settings.classpath(), settings.mainClass()));
            var builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            Process trainer = builder.start();
            trainer.getOutputStream().close(); // no request: the worker warms up and exits
            if (!trainer.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                trainer.destroyForcibly();
                LOG.warn("making the Jobfile worker's class-data archive took over {} s; workers start without it",
                        TRAINING_SECONDS);
                return false;
            }
            if (trainer.exitValue() != 0 || !Files.isRegularFile(aside)) {
                LOG.warn("the Jobfile worker's class-data archive was not made (exit code {}); workers start without it",
                        trainer.exitValue());
                return false;
            }
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot make the Jobfile worker's class-data archive in {}: {}", target.getParent(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException ignored) {
                // a leftover .tmp file is never read
            }
        }
    }

    /** The java executable, its version, and each class path entry with its size and time: what the archive fits. */
    static String fingerprint(WorkerSettings settings) {
        var text = new StringBuilder(settings.java()).append('\n').append(Runtime.version()).append('\n')
                .append(settings.mainClass()).append('\n').append(String.join(" ", settings.jvmOptions()));
        for (String entry : settings.classpath().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            text.append('\n').append(entry);
            try {
                if (Files.isRegularFile(p)) text.append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                text.append(" ?");
            }
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

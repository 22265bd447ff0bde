package io.stoker.engine.exec.local;

import io.stoker.engine.exec.OutputNotAFile;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.files.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a task wrote to {@code $STOKER_OUTPUT}, read once it ended, without trusting what it left at that path: the
 * task may have replaced the file by a symbolic link to one it cannot see itself (the server's keys, hidden from it
 * by the sandbox or its container), or by a FIFO whose opening would block the reader forever.
 *
 * <p>So the entry is first renamed (which never follows a link) out of the attempt's directory, which the task can
 * write, into the task's directory above it, which a sandboxed or containerized task cannot even see: once there, the
 * task can no longer swap it between the check and the open. Then only a regular file is opened, without following a
 * link; anything else gives no outputs and a reason. A task running with neither sandbox nor container runs as the
 * server's user and could reach the task's directory too; it could also read the server's files itself.
 */
final class TakenOutputFile {
    private TakenOutputFile() {
    }

    /** Where the output file {@code output} of an attempt is moved to be read: beside its attempt's directory. */
    static Path takenPath(Path output) {
        Path attempt = output.getParent();
        return attempt.resolveSibling(attempt.getFileName() + ".output");
    }

    /**
     * Moves {@code output} to {@link #takenPath} and reads at most {@link RunningTask#MAX_OUTPUT_BYTES} and a byte of
     * it; empty when the task left none. Throws, saying what the task left there, when that is no regular file.
     */
    static String take(Path output) throws IOException {
        Path taken = takenPath(output);
        FileTrees.delete(taken); // what an earlier read left: a rename over a directory would fail
        try {
            Files.move(output, taken, StandardCopyOption.ATOMIC_MOVE); // rename(2): the link itself, not its target
        } catch (NoSuchFileException e) {
            return ""; // the task removed it: it wrote no outputs
        }
        var attributes = Files.readAttributes(taken, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new OutputNotAFile("$STOKER_OUTPUT is " + kind(attributes) + ", not a file: ignored, the task has no outputs");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(taken, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(RunningTask.MAX_OUTPUT_BYTES + 1); // one more: OutputFile tells a file over the limit
        }
        // lenient decoding: a task writing bad UTF-8 must not break the run
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) return "a symbolic link";
        if (a.isDirectory()) return "a directory";
        return "a FIFO, socket or device";
    }
}

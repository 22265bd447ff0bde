package io.stoker.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a file could not be read or written, in Stoker's words: Java's file errors carry only the path as their
 * message ({@code cannot read the Jobfile /x: /x}) or the operating system's wording ({@code Is a directory}).
 */
public final class FileProblem {
    /** The C library's strerror texts Java passes on, as Stoker says them. */
    private static final Map<String, String> OS_REASONS = Map.ofEntries(
            Map.entry("is a directory", "it is a directory, not a file"),
            Map.entry("not a directory", "a part of the path is a file, not a directory"),
            Map.entry("no such file or directory", "no such file"),
            Map.entry("permission denied", "permission denied"),
            Map.entry("operation not permitted", "permission denied"),
            Map.entry("file exists", "it exists already"),
            Map.entry("read-only file system", "the file system is read-only"),
            Map.entry("no space left on device", "the disk is full"),
            Map.entry("disk quota exceeded", "the disk quota is used up"),
            Map.entry("file name too long", "the path, or a name in it, is too long"),
            Map.entry("too many levels of symbolic links", "its symbolic links loop"),
            Map.entry("input/output error", "the disk reported an input/output error"),
            Map.entry("text file busy", "a running program holds it"),
            Map.entry("no such device or address", "it is a device or socket nothing answers on"));
    /** {@link FileNotFoundException}'s message: {@code PATH (REASON)}. */
    private static final Pattern PATH_AND_REASON = Pattern.compile(".*\\(([^()]+)\\)\\s*");

    private FileProblem() {
    }

    /** E.g. {@code no such file}, {@code permission denied}, {@code it is a directory, not a file}. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NotDirectoryException) return "a part of the path is a file, not a directory";
        if (e instanceof java.nio.file.DirectoryNotEmptyException) return "a directory of that name is in the way";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "it exists already";
        if (e instanceof FileSystemException f) return f.getReason() != null ? inWords(f.getReason()) : "it cannot be used";
        String message = e.getMessage();
        if (message == null || message.isBlank()) return "it cannot be read";
        Matcher m = PATH_AND_REASON.matcher(message);
        return inWords(e instanceof FileNotFoundException && m.matches() ? m.group(1) : message);
    }

    /**
     * Why directory {@code dir} could not be made: {@link Files#createDirectories} names only the file
     * in the way, which is {@code dir} itself or a part of its path.
     */
    public static String directoryReason(Path dir, IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof NotDirectoryException
                || reason(e).equals(OS_REASONS.get("not a directory"))) {
            Path inTheWay = fileInTheWay(dir);
            if (inTheWay != null) {
                return inTheWay.equals(dir) ? "it is a file, not a directory" : inTheWay + " is a file, not a directory";
            }
        }
        return reason(e);
    }

    /** {@code dir} or the nearest of its parents that exists and is not a directory, else null. */
    private static Path fileInTheWay(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) return Files.isDirectory(p) ? null : p;
        }
        return null;
    }

    /** The operating system's reason in Stoker's words; one it does not know, in lower case on one line. */
    static String inWords(String osReason) {
        String line = osReason.strip().lines().findFirst().orElse("");
        String known = OS_REASONS.get(line.toLowerCase(Locale.ROOT));
        if (known != null) return known;
        return line.isEmpty() ? "it cannot be used" : Character.toLowerCase(line.charAt(0)) + line.substring(1);
    }

    /** A refusal (exit 2): {@code cannot read the WHAT FILE: REASON}. */
    public static CliException unreadable(String what, Path file, IOException e) {
        return CliException.invalid("cannot read the " + what + " " + file + ": " + reason(e));
    }
}

package io.stoker.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file could not be read, in words: Java's file errors carry only the path as their message
 * ({@code cannot read the Jobfile /x: /x}).
 */
public final class FileProblem {
    private FileProblem() {
    }

    /** E.g. {@code no such file}, {@code permission denied}, {@code it is a directory}. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NotDirectoryException) return "a part of the path is not a directory";
        if (e instanceof java.nio.file.DirectoryNotEmptyException) return "a directory of that name is in the way";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "it exists already";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String message = e.getMessage();
        return message == null || message.isBlank() ? "it cannot be read" : message;
    }

    /** A refusal (exit 2): {@code cannot read the WHAT FILE: REASON}. */
    public static CliException unreadable(String what, java.nio.file.Path file, IOException e) {
        return CliException.invalid("cannot read the " + what + " " + file + ": " + reason(e));
    }
}

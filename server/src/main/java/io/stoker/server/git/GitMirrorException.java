package io.stoker.server.git;

/**
 * A git mirror operation failed: the remote could not be fetched, a ref or commit is unknown, a project has
 * not been mirrored yet, or a tree could not be exported. The message is meant for users (no stack trace needed).
 */
public class GitMirrorException extends RuntimeException {
    public GitMirrorException(String message) {
        super(message);
    }

    public GitMirrorException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.stoker.server.git;

/**
 * The git credentials a project names cannot be used: no secret of that name it may read, one that cannot be read, or
 * one not written {@code username:token}. The cause is the credentials, not the repository, so a refusal names the
 * project's {@code credentials} field rather than its git URL.
 */
public final class UnusableCredentialsException extends GitMirrorException {
    public UnusableCredentialsException(String message) {
        super(message);
    }
}

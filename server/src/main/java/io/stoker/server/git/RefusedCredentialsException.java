package io.stoker.server.git;

/**
 * The git host refused the credentials the project's {@code credentials} names (an http(s) 401 although they were
 * sent): the repository may well be there, so a refusal names the {@code credentials} field rather than the git URL.
 */
public final class RefusedCredentialsException extends GitMirrorException {
    public RefusedCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}

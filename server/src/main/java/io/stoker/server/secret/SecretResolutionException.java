package io.stoker.server.secret;

/** A declared secret exists but its value cannot be had (Vault refused or is down, the store cannot decrypt it). */
public final class SecretResolutionException extends Exception {
    public SecretResolutionException(String message) {
        super(message);
    }
}

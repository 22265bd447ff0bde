package io.stoker.server.secret;

/** A stored secret cannot be decrypted: another master key, or the stored bytes were changed. */
public final class SecretUnreadableException extends Exception {
    public SecretUnreadableException(String message) {
        super(message);
    }
}

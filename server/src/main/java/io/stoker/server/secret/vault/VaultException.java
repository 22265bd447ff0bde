package io.stoker.server.secret.vault;

/** Vault could not give a secret: sealed, denied, missing path or key, unreachable. The message says which. */
public final class VaultException extends Exception {
    private final int status;

    public VaultException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** Vault's HTTP status, or 0 when it gave none (unreachable, missing key in a found secret). */
    public int status() {
        return status;
    }
}

package io.stoker.container;

/**
 * A registry login read from a secret holding {@code user:password}. Its {@link #toString} never shows the password.
 */
public record RegistryCredentials(String user, String password) {

    /** The login a secret's value holds, or null when it is not {@code user:password}. */
    public static RegistryCredentials parse(String secret) {
        if (secret == null) return null;
        int colon = secret.strip().indexOf(':');
        if (colon <= 0 || colon == secret.strip().length() - 1) return null;
        String s = secret.strip();
        return new RegistryCredentials(s.substring(0, colon), s.substring(colon + 1));
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}

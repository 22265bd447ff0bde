package io.stoker.server.secret;

/**
 * Where a secret lives: global ({@code project == null}) or one project. The scope and name together are the
 * associated data a stored value is sealed with, so a value copied to another scope or name does not open.
 */
public record SecretScope(String project) {
    public static final SecretScope GLOBAL = new SecretScope(null);

    public static SecretScope of(String project) {
        return project == null ? GLOBAL : new SecretScope(project);
    }

    public boolean isGlobal() {
        return project == null;
    }

    /** {@code global} or {@code project:<name>}: the unique key stored with the secret. */
    public String key() {
        return project == null ? "global" : "project:" + project;
    }

    /** {@code global} or {@code project}, as the API shows it. */
    public String label() {
        return project == null ? "global" : "project";
    }

    /** The AES-GCM associated data of secret {@code name} in this scope. */
    String context(String name) {
        return "secret:" + key() + ":" + name;
    }
}

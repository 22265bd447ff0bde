package io.stoker.server.secret;

import io.stoker.server.Problem;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A secret to store, checked: the name is an environment-variable name, the value is bounded, grants only on
 * global secrets. Bad input is a 400 {@link Problem} whose message and details name the field.
 *
 * @param grants global secrets only: the projects that may read it; null means every project
 */
public record SecretInput(String name, SecretScope scope, SecretSource source, List<String> grants) {
    /** Secrets become environment variables, so their names are variable names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final int MAX_NAME = 100;
    /** 64 KiB of UTF-8: certificates and keys fit, a database dump does not. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final Pattern VAULT_PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public SecretInput {
        checkName(name);
        if (scope == null) scope = SecretScope.GLOBAL;
        if (source == null) throw invalid("value", "give 'value' or 'vault'");
        switch (source) {
            case SecretSource.Value v -> {
                if (v.value() == null) throw invalid("value", "'value' must be a string");
                if (v.value().isEmpty()) throw invalid("value", "'value' must not be empty");
                int bytes = v.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes > MAX_VALUE_BYTES) {
                    throw invalid("value", "'value' is " + bytes + " bytes; at most "
                            + MAX_VALUE_BYTES + " are allowed");
                }
            }
            case SecretSource.VaultRef r -> {
                if (r.path() == null || r.path().length() > 500 || !VAULT_PATH.matcher(r.path()).matches()
                        || java.util.Arrays.stream(r.path().split("/")).anyMatch(p -> p.equals(".") || p.equals(".."))) {
                    throw invalid("vault.path", "'vault.path' must be a Vault path like ci/npm"
                            + " (letters, digits, . _ - separated by /, no . or .. parts)");
                }
                if (r.key() == null || r.key().isEmpty() || r.key().length() > 200) {
                    throw invalid("vault.key", "'vault.key' must name a key of the Vault secret"
                            + " (1 to 200 characters)");
                }
            }
        }
        if (grants != null) {
            if (!scope.isGlobal()) {
                throw invalid("projects", "'projects' grants a global secret to projects;"
                        + " a project secret belongs to its project only");
            }
            grants = List.copyOf(new java.util.LinkedHashSet<>(grants));
        }
    }

    /** Checks a secret name; a 400 naming field {@code name} when it is not one. */
    public static void checkName(String name) {
        if (name == null || name.isEmpty()) throw invalid("name", "'name' is required");
        if (name.length() > MAX_NAME) {
            throw invalid("name", "'name' is " + name.length() + " characters; at most " + MAX_NAME);
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "'name' must be an environment variable name"
                    + " ([A-Za-z_][A-Za-z0-9_]*), not '" + name + "'");
        }
    }

    private static Problem invalid(String field, String message) {
        return Problem.badRequest(message, "field: " + field);
    }
}

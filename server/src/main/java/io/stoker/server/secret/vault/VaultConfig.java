package io.stoker.server.secret.vault;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach HashiCorp Vault: its address, a token or an AppRole, an optional Enterprise namespace and the KV v2
 * mount ({@code secret} by default). From {@code STOKER_VAULT_ADDR}, {@code STOKER_VAULT_TOKEN} or
 * {@code STOKER_VAULT_ROLE_ID} + {@code STOKER_VAULT_SECRET_ID}, {@code STOKER_VAULT_NAMESPACE},
 * {@code STOKER_VAULT_MOUNT}. {@link #toString()} hides the token and the secret id.
 */
public record VaultConfig(URI address, String token, String roleId, String secretId, String namespace, String mount) {
    public static final String ADDR = "STOKER_VAULT_ADDR";
    public static final String TOKEN = "STOKER_VAULT_TOKEN";
    public static final String ROLE_ID = "STOKER_VAULT_ROLE_ID";
    public static final String SECRET_ID = "STOKER_VAULT_SECRET_ID";
    public static final String NAMESPACE = "STOKER_VAULT_NAMESPACE";
    public static final String MOUNT = "STOKER_VAULT_MOUNT";

    public VaultConfig {
        if (address == null || address.getHost() == null
                || !("http".equals(address.getScheme()) || "https".equals(address.getScheme()))) {
            throw new IllegalArgumentException(ADDR + " must be an http(s) URL like https://vault.example.com:8200,"
                    + " was '" + address + "'");
        }
        token = blankToNull(token);
        roleId = blankToNull(roleId);
        secretId = blankToNull(secretId);
        namespace = blankToNull(namespace);
        mount = blankToNull(mount) == null ? "secret" : mount.replaceAll("^/+|/+$", "");
        if (token == null && (roleId == null || secretId == null)) {
            throw new IllegalArgumentException(ADDR + " is set, so Vault needs " + TOKEN + ", or " + ROLE_ID
                    + " and " + SECRET_ID + " for AppRole");
        }
        if (token != null && roleId != null) {
            throw new IllegalArgumentException("set " + TOKEN + " or " + ROLE_ID + "/" + SECRET_ID + ", not both");
        }
    }

    /** The configuration in {@code env}, or empty when {@code STOKER_VAULT_ADDR} is not set. */
    public static Optional<VaultConfig> fromEnv(Map<String, String> env) {
        String addr = blankToNull(env.get(ADDR));
        if (addr == null) return Optional.empty();
        URI uri;
        try {
            uri = URI.create(addr.trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ADDR + " is not a URL: " + e.getMessage());
        }
        return Optional.of(new VaultConfig(uri, env.get(TOKEN), env.get(ROLE_ID), env.get(SECRET_ID),
                env.get(NAMESPACE), env.get(MOUNT)));
    }

    /** Token (false) or AppRole (true). */
    public boolean appRole() {
        return token == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "VaultConfig[address=" + address + ", auth=" + (appRole() ? "approle" : "token")
                + ", namespace=" + namespace + ", mount=" + mount + "]";
    }
}

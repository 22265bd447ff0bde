package io.stoker.server.secret;

import io.stoker.server.secret.vault.VaultClient;
import io.stoker.server.secret.vault.VaultConfig;
import io.stoker.server.secret.vault.VaultException;

import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns secret names into values for one project: its own secret of that name first (it shadows a global one),
 * else a global secret that grants the project (one without a grant list grants every project). Stored values are
 * opened with the master key; Vault references are read from Vault now, so a rotated Vault secret takes effect on
 * the next run. A name the project may not read is simply absent, like one never stored.
 */
public final class SecretResolver {
    private final SecretStore store;
    private final VaultClient vault;

    /** @param vault the Vault provider, or null when none is configured */
    public SecretResolver(SecretStore store, VaultClient vault) {
        this.store = store;
        this.vault = vault;
    }

    /** The values of those {@code names} that project {@code project} may read. */
    public Map<String, String> resolve(String project, Collection<String> names) throws SecretResolutionException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) resolve(project, name).ifPresent(v -> out.put(name, v));
        return out;
    }

    /**
     * The values of every name {@code job} declares, for a run of it in {@code project}; refused, naming each one the
     * project cannot read and how to give it, when any is missing: the run would otherwise go on without it and fail
     * later in a way that does not say why (a registry's 401), as {@code stoker run} refuses it too.
     */
    public Map<String, String> resolveDeclared(String project, String job, Collection<String> declared)
            throws SecretResolutionException {
        return resolveDeclared(project, job, declared, "");
    }

    /**
     * {@link #resolveDeclared(String, String, Collection)} for secrets a job needs for {@code purpose} (e.g.
     * {@code " to sign its status webhooks"}), which its refusal names.
     */
    public Map<String, String> resolveDeclared(String project, String job, Collection<String> declared, String purpose)
            throws SecretResolutionException {
        Map<String, String> out = resolve(project, declared);
        TreeSet<String> missing = new TreeSet<>(declared);
        missing.removeAll(out.keySet());
        if (missing.isEmpty()) return out;
        boolean one = missing.size() == 1;
        throw new SecretResolutionException("job '" + job + "' needs the secret" + (one ? " " : "s ")
                + String.join(", ", missing) + purpose + ", which project '" + project + "' cannot read: add "
                + (one ? "it" : "each") + " with 'stoker secret set " + (one ? missing.first() : "NAME")
                + " --project " + project + "' (the value on stdin), or grant the project a global secret of that name");
    }

    /**
     * The values of every secret {@code project} may read: its own and the global ones granted to it. For masking
     * what a run prints that declares none of them (a deployment prints files a build may have written them into).
     */
    public Map<String, String> readableBy(String project) throws SecretResolutionException {
        Set<String> names = new TreeSet<>();
        try {
            store.list(SecretScope.of(project)).forEach(s -> names.add(s.name()));
            for (SecretInfo global : store.list(SecretScope.GLOBAL)) {
                if (global.readableBy(project)) names.add(global.name());
            }
        } catch (SQLException e) {
            throw new SecretResolutionException("the secrets of project '" + project + "' cannot be read from the "
                    + "database: " + e.getMessage());
        }
        return resolve(project, names);
    }

    /** The value of {@code name} for {@code project}, or empty when it may read none of that name. */
    public Optional<String> resolve(String project, String name) throws SecretResolutionException {
        if (name == null || !SecretInput.NAME.matcher(name).matches()) return Optional.empty();
        Optional<SecretStore.Readable> found;
        try {
            found = store.readable(project, name);
        } catch (SecretUnreadableException e) {
            throw new SecretResolutionException(e.getMessage());
        } catch (SQLException e) {
            throw new SecretResolutionException("secret '" + name + "' cannot be read from the database: "
                    + e.getMessage());
        }
        if (found.isEmpty()) return Optional.empty();
        return switch (found.get().source()) {
            case SecretSource.Value v -> Optional.of(v.value());
            case SecretSource.VaultRef ref -> Optional.of(fromVault(name, ref));
        };
    }

    private String fromVault(String name, SecretSource.VaultRef ref) throws SecretResolutionException {
        if (vault == null) {
            throw new SecretResolutionException("secret '" + name + "' is kept in Vault (" + ref.path() + "#"
                    + ref.key() + "), but no Vault is configured: set " + VaultConfig.ADDR + " and "
                    + VaultConfig.TOKEN + " (or " + VaultConfig.ROLE_ID + " + " + VaultConfig.SECRET_ID + ")");
        }
        try {
            return vault.read(ref.path(), ref.key());
        } catch (VaultException e) {
            throw new SecretResolutionException("secret '" + name + "': " + e.getMessage());
        }
    }
}

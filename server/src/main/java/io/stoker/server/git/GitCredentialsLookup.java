package io.stoker.server.git;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Finds the git credentials a project names in its {@code credentials} field, so the project stores a name, never
 * a secret. First from the encrypted secret store (the project's secret of that name, else a global one granted to
 * it; value {@code username:token}); then, deprecated, from the server's environment
 * ({@code STOKER_GIT_CREDENTIALS_<NAME>=username:token}) or a properties file in the data directory
 * ({@code NAME=username:token}). Each is read at each use, so adding credentials needs no restart.
 */
public final class GitCredentialsLookup {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    /** How a refusal names the file: anyone may read it, the data directory's path is the operator's to know. */
    private static final String FILE_SHOWN = "git-credentials.properties in the server's data directory";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitCredentialsLookup.class);

    private final Path file;
    private final Map<String, String> env;
    private final StoredCredentials store;

    /** The secret store as seen by one project: the value of secret {@code name} it may read, or null. */
    @FunctionalInterface
    public interface StoredCredentials {
        String find(String project, String name) throws Exception;
    }

    public GitCredentialsLookup(Path file, Map<String, String> env) {
        this(file, env, (project, name) -> null);
    }

    public GitCredentialsLookup(Path file, Map<String, String> env, StoredCredentials store) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.store = store;
    }

    /** The environment variable that holds credentials {@code name}. */
    public static String variable(String name) {
        return "STOKER_GIT_CREDENTIALS_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** {@link #require(String, String)} without a project: only the deprecated environment and file. */
    public GitCredentials require(String name) {
        return require(null, name);
    }

    /**
     * Null for no name; the credentials {@code name} as project {@code project} may read them; or an
     * {@link UnusableCredentialsException} that says how to define them.
     */
    public GitCredentials require(String project, String name) {
        if (name == null) return null;
        String value = fromStore(project, name);
        if (value == null) value = env.get(variable(name));
        if (value == null) value = fromFile(name);
        if (value == null) {
            throw new UnusableCredentialsException("no git credentials named '" + name + "': store a secret " + name
                    + " holding username:token (stoker secret set " + name + ": global, or with --project once the"
                    + " project exists), or (deprecated) set " + variable(name) + "=username:token in the server's"
                    + " environment, or " + name + "=username:token in " + FILE_SHOWN);
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new UnusableCredentialsException("git credentials '" + name + "' must be written username:token");
        }
        return new GitCredentials(value.substring(0, colon), value.substring(colon + 1));
    }

    /**
     * Whether {@code name} names server-wide credentials for {@code project}: no secret the project may read, but the
     * deprecated environment or file has it. Those are bound to no project and no host, so whoever names them on a
     * project decides where they are sent.
     */
    public boolean serverWide(String project, String name) {
        if (name == null || fromStore(project, name) != null) return false;
        return env.containsKey(variable(name)) || fromFile(name) != null;
    }

    private String fromStore(String project, String name) {
        if (project == null) return null;
        try {
            return store.find(project, name);
        } catch (Exception e) {
            throw new UnusableCredentialsException("git credentials '" + name + "' cannot be read: " + e.getMessage());
        }
    }

    private String fromFile(String name) {
        if (!Files.isRegularFile(file)) return null;
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            // the reason (with the path) is the operator's, in the log; the answer goes to whoever named the credentials
            LOG.warn("cannot read {}: {}", file, e.toString());
            throw new UnusableCredentialsException("cannot read " + FILE_SHOWN + "; the server's log says why");
        }
        return p.getProperty(name);
    }
}

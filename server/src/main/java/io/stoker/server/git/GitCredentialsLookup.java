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
 * a secret. They come from the server's environment ({@code STOKER_GIT_CREDENTIALS_<NAME>=username:token}) or
 * from a properties file in the data directory ({@code NAME=username:token}, read at each use, so adding one
 * needs no restart). The encrypted secret store of a later issue will take over this role.
 */
public final class GitCredentialsLookup {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private final Path file;
    private final Map<String, String> env;

    public GitCredentialsLookup(Path file, Map<String, String> env) {
        this.file = file;
        this.env = Map.copyOf(env);
    }

    /** The environment variable that holds credentials {@code name}. */
    public static String variable(String name) {
        return "STOKER_GIT_CREDENTIALS_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Null for no name; the named credentials; or a {@link GitMirrorException} that says how to define them. */
    public GitCredentials require(String name) {
        if (name == null) return null;
        String value = env.get(variable(name));
        if (value == null) value = fromFile(name);
        if (value == null) {
            throw new GitMirrorException("no git credentials named '" + name + "': set " + variable(name)
                    + "=username:token in the server's environment, or " + name + "=username:token in " + file);
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new GitMirrorException("git credentials '" + name + "' must be written username:token");
        }
        return new GitCredentials(value.substring(0, colon), value.substring(colon + 1));
    }

    private String fromFile(String name) {
        if (!Files.isRegularFile(file)) return null;
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new GitMirrorException("cannot read " + file + ": " + e.getMessage());
        }
        return p.getProperty(name);
    }
}

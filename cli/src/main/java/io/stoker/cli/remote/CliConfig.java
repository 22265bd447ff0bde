package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's own settings file, written by {@code stoker login}: the server last logged in to and, per server URL,
 * the user and the named API token. It holds credentials, so it is written with mode 0600 in a 0700 directory,
 * through a temp file so a crash never leaves half a file. JSON:
 * {@code {"server": URL, "servers": {URL: {"user", "tokenName", "token"}}}}.
 *
 * <p>Location: {@code $STOKER_CLI_CONFIG}, else {@code $XDG_CONFIG_HOME/stoker/config.json}, else
 * {@code $HOME/.config/stoker/config.json} (the JVM's user.home without a HOME). ({@code STOKER_CONFIG} is taken: it names the server's properties file.)
 */
public final class CliConfig {
    public static final String ENV = "STOKER_CLI_CONFIG";

    private final Path file;
    private final ObjectNode root;

    /** A saved login. */
    public record Login(String server, String user, String tokenName, String token) {
    }

    private CliConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Where the file lives for this environment. */
    public static Path location(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home(env).resolve(".config");
        return base.resolve("stoker").resolve("config.json");
    }

    /** {@code $HOME} as the shell's {@code ~} means it; the JVM's user.home (read from the password file) otherwise. */
    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** The file's contents, or an empty config when it does not exist yet. */
    public static CliConfig load(Path file) {
        if (!Files.exists(file)) return new CliConfig(file, StokerClient.mapper().createObjectNode());
        try {
            JsonNode n = StokerClient.mapper().readTree(file.toFile());
            if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            return new CliConfig(file, (ObjectNode) n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message spans lines and names its own settings: the place is what helps
            var at = e.getLocation();
            throw CliException.invalid("cannot read the CLI config " + file + ": it is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + " (fix or delete it, then run 'stoker login')");
        } catch (IOException e) {
            throw CliException.invalid("cannot read the CLI config " + file + ": " + io.stoker.cli.FileProblem.reason(e)
                    + " (fix or delete it, then run 'stoker login')");
        }
    }

    public Path file() {
        return file;
    }

    /** The server of the last login, if any. */
    public Optional<String> server() {
        JsonNode s = root.get("server");
        return s != null && s.isTextual() ? Optional.of(s.asText()) : Optional.empty();
    }

    /** The saved login for a server URL. */
    public Optional<Login> login(String server) {
        JsonNode n = root.path("servers").path(key(server));
        if (!n.isObject() || !n.path("token").isTextual()) return Optional.empty();
        return Optional.of(new Login(key(server), n.path("user").asText(), n.path("tokenName").asText(), n.path("token").asText()));
    }

    public void put(Login login) {
        ObjectNode servers = root.has("servers") && root.get("servers").isObject() ? (ObjectNode) root.get("servers") : root.putObject("servers");
        ObjectNode n = servers.putObject(key(login.server()));
        n.put("user", login.user());
        n.put("tokenName", login.tokenName());
        n.put("token", login.token());
        root.put("server", key(login.server()));
    }

    public void remove(String server) {
        if (root.get("servers") instanceof ObjectNode servers) servers.remove(key(server));
        if (server().map(s -> s.equals(key(server))).orElse(false)) root.remove("server");
    }

    /** Writes the file with mode 0600 (its directory 0700 when this makes it). */
    public void save() {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, StokerClient.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.INVALID, "cannot write the CLI config " + file + ": " + io.stoker.cli.FileProblem.reason(e));
        }
    }

    /** URLs are keyed without a trailing slash, so http://h:1/ and http://h:1 are one server. */
    static String key(String server) {
        return server.replaceAll("/+$", "");
    }
}

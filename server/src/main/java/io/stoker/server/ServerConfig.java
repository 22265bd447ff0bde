package io.stoker.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The server's settings, with every default in {@link #defaults()}. Sources, later ones winning: defaults, a
 * properties file ({@code port}, {@code bind}, {@code dataDir}, {@code slots}, {@code maxBodyBytes},
 * {@code compiler}, {@code webhookSecret}, {@code sshTrustFirstUse}), environment variables ({@code STOKER_PORT}, {@code STOKER_BIND},
 * {@code STOKER_DATA_DIR}, {@code STOKER_SLOTS}, {@code STOKER_MAX_BODY_BYTES}, {@code STOKER_COMPILER},
 * {@code STOKER_WEBHOOK_SECRET}, {@code STOKER_SSH_TRUST_FIRST_USE}, {@code STOKER_ADMIN_PASSWORD}), then
 * command-line options.
 *
 * @param port         TCP port; 0 picks a free one (tests)
 * @param bind         address to listen on; 127.0.0.1 by default: every user with the developer role can run
 *                     shell commands on this machine, so exposing it is a deliberate choice (use TLS then)
 * @param dataDir      H2 database, logs, artifacts, workspaces and git mirrors
 * @param slots        executor slots: at most this many runs at once; each run also runs at most this many tasks
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param isolatedCompiler compile Jobfiles in sandboxed worker JVMs (true) or in this JVM (trusted Jobfiles, tests)
 * @param webhookSecret the push-webhook secret of projects that set none of their own; null: such projects accept
 *                      no webhook
 * @param sshTrustFirstUse record an ssh git host's key on the first fetch from it (trust-on-first-use); false (the
 *                      default): an unknown host fails until its key is added to {@code <dataDir>/ssh/known_hosts}
 * @param adminPassword the password the first start gives the {@code admin} user ({@code STOKER_ADMIN_PASSWORD});
 *                      null: a random one, printed once in the start banner. Ignored once any user exists
 */
public record ServerConfig(int port, String bind, Path dataDir, int slots, long maxBodyBytes, boolean isolatedCompiler,
                           String webhookSecret, boolean sshTrustFirstUse, String adminPassword) {

    private static final Set<String> KEYS = Set.of("port", "bind", "dataDir", "slots", "maxBodyBytes", "compiler",
            "webhookSecret", "sshTrustFirstUse", "adminPassword");

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        if (bind == null || bind.isBlank()) throw new IllegalArgumentException("bind must name an address");
        dataDir = dataDir.toAbsolutePath().normalize();
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret;
        adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
        if (adminPassword != null && adminPassword.length() < io.stoker.server.auth.Users.MIN_PASSWORD) {
            throw new IllegalArgumentException("the admin password must be at least "
                    + io.stoker.server.auth.Users.MIN_PASSWORD + " characters long");
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", slots=" + slots
                + ", maxBodyBytes=" + maxBodyBytes + ", isolatedCompiler=" + isolatedCompiler
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", sshTrustFirstUse=" + sshTrustFirstUse
                + ", adminPassword=" + (adminPassword == null ? "none" : "***") + "]";
    }

    /** Port 8080 on 127.0.0.1, data in ./stoker-data, one slot per CPU, 1 MiB bodies, isolated compiles. */
    public static ServerConfig defaults() {
        return new ServerConfig(8080, "127.0.0.1", Path.of("stoker-data"),
                Runtime.getRuntime().availableProcessors(), 1 << 20, true, null, false, null);
    }

    /** Defaults, then the file (if given), then the environment. */
    public static ServerConfig load(Path file, Map<String, String> env) throws IOException {
        ServerConfig c = defaults();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String key : p.stringPropertyNames()) {
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException(file + ": unknown setting '" + key + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
                c = c.with(key, p.getProperty(key).trim(), file + ": " + key);
            }
        }
        c = fromEnv(c, env, "STOKER_PORT", "port");
        c = fromEnv(c, env, "STOKER_BIND", "bind");
        c = fromEnv(c, env, "STOKER_DATA_DIR", "dataDir");
        c = fromEnv(c, env, "STOKER_SLOTS", "slots");
        c = fromEnv(c, env, "STOKER_MAX_BODY_BYTES", "maxBodyBytes");
        c = fromEnv(c, env, "STOKER_COMPILER", "compiler");
        c = fromEnv(c, env, "STOKER_WEBHOOK_SECRET", "webhookSecret");
        c = fromEnv(c, env, "STOKER_SSH_TRUST_FIRST_USE", "sshTrustFirstUse");
        c = fromEnv(c, env, "STOKER_ADMIN_PASSWORD", "adminPassword");
        return c;
    }

    private static ServerConfig fromEnv(ServerConfig c, Map<String, String> env, String name, String key) {
        String v = env.get(name);
        return v == null || v.isBlank() ? c : c.with(key, v.trim(), name);
    }

    /** This config with one setting changed from text; {@code where} names the source in error messages. */
    public ServerConfig with(String key, String value, String where) {
        try {
            return switch (key) {
                case "port" -> new ServerConfig(Integer.parseInt(value), bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
                case "bind" -> new ServerConfig(port, value, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
                case "dataDir" -> new ServerConfig(port, bind, Path.of(value), slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
                case "slots" -> new ServerConfig(port, bind, dataDir, Integer.parseInt(value), maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
                case "maxBodyBytes" -> new ServerConfig(port, bind, dataDir, slots, Long.parseLong(value), isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
                case "compiler" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, switch (value) {
                    case "isolated" -> true;
                    case "in-process" -> false;
                    default -> throw new IllegalArgumentException("must be 'isolated' or 'in-process'");
                }, webhookSecret, sshTrustFirstUse, adminPassword);
                case "webhookSecret" -> withWebhookSecret(value);
                case "sshTrustFirstUse" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler,
                        webhookSecret, switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("must be 'true' or 'false'");
                }, adminPassword);
                case "adminPassword" -> withAdminPassword(value);
                default -> throw new IllegalArgumentException("unknown setting");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
    }

    public ServerConfig withSlots(int slots) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
    }

    public ServerConfig withBind(String bind) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, adminPassword);
    }

    public ServerConfig withIsolatedCompiler(boolean isolated) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolated, webhookSecret, sshTrustFirstUse, adminPassword);
    }

    public ServerConfig withWebhookSecret(String secret) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, secret, sshTrustFirstUse, adminPassword);
    }

    /** The first start's admin password (null: a random one, printed once). Ignored once users exist. */
    public ServerConfig withAdminPassword(String password) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, password);
    }
}

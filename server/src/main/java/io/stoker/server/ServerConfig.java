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
 * {@code compiler}, {@code webhookSecret}, {@code sshTrustFirstUse}, {@code tlsCert}, {@code tlsKey}), environment variables ({@code STOKER_PORT}, {@code STOKER_BIND},
 * {@code STOKER_DATA_DIR}, {@code STOKER_SLOTS}, {@code STOKER_MAX_BODY_BYTES}, {@code STOKER_COMPILER},
 * {@code STOKER_WEBHOOK_SECRET}, {@code STOKER_SSH_TRUST_FIRST_USE}, {@code STOKER_TLS_CERT}, {@code STOKER_TLS_KEY}), then command-line options.
 *
 * @param port         TCP port; 0 picks a free one (tests)
 * @param bind         address to listen on; 127.0.0.1 by default because the API has no authentication yet and
 *                     anyone who can reach it can run shell commands on this machine
 * @param dataDir      H2 database, logs, artifacts, workspaces and git mirrors
 * @param slots        executor slots: at most this many runs at once; each run also runs at most this many tasks
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param isolatedCompiler compile Jobfiles in sandboxed worker JVMs (true) or in this JVM (trusted Jobfiles, tests)
 * @param webhookSecret the push-webhook secret of projects that set none of their own; null: the server generates
 *                      one into {@code <dataDir>/webhook.secret} (admins read and rotate it through the API)
 * @param sshTrustFirstUse record an ssh git host's key on the first fetch from it (trust-on-first-use); false (the
 *                      default): an unknown host fails until its key is added to {@code <dataDir>/ssh/known_hosts}
 * @param tlsCert      PEM certificate chain (leaf first); with {@code tlsKey} the server serves HTTPS only; null: HTTP
 * @param tlsKey       PEM private key of {@code tlsCert} (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
 */
public record ServerConfig(int port, String bind, Path dataDir, int slots, long maxBodyBytes, boolean isolatedCompiler,
                           String webhookSecret, boolean sshTrustFirstUse, Path tlsCert, Path tlsKey) {

    private static final Set<String> KEYS = Set.of("port", "bind", "dataDir", "slots", "maxBodyBytes", "compiler",
            "webhookSecret", "sshTrustFirstUse", "tlsCert", "tlsKey");

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        if (bind == null || bind.isBlank()) throw new IllegalArgumentException("bind must name an address");
        dataDir = dataDir.toAbsolutePath().normalize();
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret;
        tlsCert = tlsCert == null ? null : tlsCert.toAbsolutePath().normalize();
        tlsKey = tlsKey == null ? null : tlsKey.toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", slots=" + slots
                + ", maxBodyBytes=" + maxBodyBytes + ", isolatedCompiler=" + isolatedCompiler
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", sshTrustFirstUse=" + sshTrustFirstUse + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + "]";
    }

    /** Port 8080 on 127.0.0.1, data in ./stoker-data, one slot per CPU, 1 MiB bodies, isolated compiles. */
    public static ServerConfig defaults() {
        return new ServerConfig(8080, "127.0.0.1", Path.of("stoker-data"),
                Runtime.getRuntime().availableProcessors(), 1 << 20, true, null, false, null, null);
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
        c = fromEnv(c, env, "STOKER_TLS_CERT", "tlsCert");
        c = fromEnv(c, env, "STOKER_TLS_KEY", "tlsKey");
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
                case "port" -> new ServerConfig(Integer.parseInt(value), bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "bind" -> new ServerConfig(port, value, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "dataDir" -> new ServerConfig(port, bind, Path.of(value), slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "slots" -> new ServerConfig(port, bind, dataDir, Integer.parseInt(value), maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "maxBodyBytes" -> new ServerConfig(port, bind, dataDir, slots, Long.parseLong(value), isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "compiler" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, switch (value) {
                    case "isolated" -> true;
                    case "in-process" -> false;
                    default -> throw new IllegalArgumentException("must be 'isolated' or 'in-process'");
                }, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
                case "webhookSecret" -> withWebhookSecret(value);
                case "sshTrustFirstUse" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler,
                        webhookSecret, switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("must be 'true' or 'false'");
                }, tlsCert, tlsKey);
                case "tlsCert" -> withTls(Path.of(value), tlsKey);
                case "tlsKey" -> withTls(tlsCert, Path.of(value));
                default -> throw new IllegalArgumentException("unknown setting");
            };
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a path");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    public ServerConfig withSlots(int slots) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    public ServerConfig withBind(String bind) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    public ServerConfig withIsolatedCompiler(boolean isolated) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolated, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    public ServerConfig withWebhookSecret(String secret) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, secret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    /** HTTPS with these PEM files (both or neither; {@link io.stoker.server.tls.PemIdentity} checks them at start). */
    public ServerConfig withTls(Path tlsCert, Path tlsKey) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, tlsCert, tlsKey);
    }

    /** True when a certificate or key is configured: the server then serves HTTPS only (or refuses to start). */
    public boolean tls() {
        return tlsCert != null || tlsKey != null;
    }
}

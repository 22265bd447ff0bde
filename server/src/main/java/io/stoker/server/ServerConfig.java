package io.stoker.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.stoker.agent.ssh.SshAgent;

/**
 * The server's settings, with every default in {@link #defaults()}. Sources, later ones winning: defaults, a
 * properties file ({@code port}, {@code bind}, {@code dataDir}, {@code slots}, {@code maxBodyBytes},
 * {@code compiler}, {@code webhookSecret}, {@code sshTrustFirstUse}, {@code agentHeartbeat}, {@code agentLostTimeout}),
 * environment variables ({@code STOKER_PORT}, {@code STOKER_BIND},
 * {@code STOKER_DATA_DIR}, {@code STOKER_SLOTS}, {@code STOKER_MAX_BODY_BYTES}, {@code STOKER_COMPILER},
 * {@code STOKER_WEBHOOK_SECRET}, {@code STOKER_SSH_TRUST_FIRST_USE}, {@code STOKER_AGENT_HEARTBEAT},
 * {@code STOKER_AGENT_LOST_TIMEOUT}), then command-line options.
 *
 * @param port         TCP port; 0 picks a free one (tests)
 * @param bind         address to listen on; 127.0.0.1 by default because the API has no authentication yet and
 *                     anyone who can reach it can run shell commands on this machine
 * @param dataDir      H2 database, logs, artifacts, workspaces and git mirrors
 * @param slots        executor slots: at most this many runs at once; each run also runs at most this many tasks
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param isolatedCompiler compile Jobfiles in sandboxed worker JVMs (true) or in this JVM (trusted Jobfiles, tests)
 * @param webhookSecret the push-webhook secret of projects that set none of their own; null: such projects accept
 *                      no webhook
 * @param sshTrustFirstUse record an ssh git host's key on the first fetch from it (trust-on-first-use); false (the
 *                      default): an unknown host fails until its key is added to {@code <dataDir>/ssh/known_hosts}
 * @param agentHeartbeat how often a connected agent is probed ({@code 500ms}, {@code 10s}, {@code 2m}); default 10s
 * @param agentLostTimeout how long an agent may stay unreachable before its running tasks fail as "agent lost";
 *                      default 45s
 */
public record ServerConfig(int port, String bind, Path dataDir, int slots, long maxBodyBytes, boolean isolatedCompiler,
                           String webhookSecret, boolean sshTrustFirstUse, Duration agentHeartbeat,
                           Duration agentLostTimeout) {

    private static final Set<String> KEYS = Set.of("port", "bind", "dataDir", "slots", "maxBodyBytes", "compiler",
            "webhookSecret", "sshTrustFirstUse", "agentHeartbeat", "agentLostTimeout");

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        if (bind == null || bind.isBlank()) throw new IllegalArgumentException("bind must name an address");
        dataDir = dataDir.toAbsolutePath().normalize();
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret;
        if (agentHeartbeat == null) agentHeartbeat = SshAgent.Settings.DEFAULTS.heartbeat();
        if (agentLostTimeout == null) agentLostTimeout = SshAgent.Settings.DEFAULTS.lostTimeout();
        // each is checked alone: a file and the environment may set them one at a time
        if (agentHeartbeat.toMillis() < 100) throw new IllegalArgumentException("agentHeartbeat must be at least 100ms");
        if (agentLostTimeout.toMillis() < 100) throw new IllegalArgumentException("agentLostTimeout must be at least 100ms");
    }

    /** The configuration before agents had settings: agent heartbeat and lost timeout at their defaults. */
    public ServerConfig(int port, String bind, Path dataDir, int slots, long maxBodyBytes, boolean isolatedCompiler,
                        String webhookSecret, boolean sshTrustFirstUse) {
        this(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, null, null);
    }

    /** The settings every agent connection uses. */
    public SshAgent.Settings agentSettings() {
        return new SshAgent.Settings(agentHeartbeat, agentLostTimeout, SshAgent.Settings.DEFAULTS.connectTimeout());
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", slots=" + slots
                + ", maxBodyBytes=" + maxBodyBytes + ", isolatedCompiler=" + isolatedCompiler
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", sshTrustFirstUse=" + sshTrustFirstUse + ", agentHeartbeat=" + agentHeartbeat
                + ", agentLostTimeout=" + agentLostTimeout + "]";
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
        c = fromEnv(c, env, "STOKER_AGENT_HEARTBEAT", "agentHeartbeat");
        c = fromEnv(c, env, "STOKER_AGENT_LOST_TIMEOUT", "agentLostTimeout");
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
                case "port" -> new ServerConfig(Integer.parseInt(value), bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "bind" -> new ServerConfig(port, value, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "dataDir" -> new ServerConfig(port, bind, Path.of(value), slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "slots" -> new ServerConfig(port, bind, dataDir, Integer.parseInt(value), maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "maxBodyBytes" -> new ServerConfig(port, bind, dataDir, slots, Long.parseLong(value), isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "compiler" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, switch (value) {
                    case "isolated" -> true;
                    case "in-process" -> false;
                    default -> throw new IllegalArgumentException("must be 'isolated' or 'in-process'");
                }, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
                case "webhookSecret" -> withWebhookSecret(value);
                case "sshTrustFirstUse" -> new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler,
                        webhookSecret, switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("must be 'true' or 'false'");
                }, agentHeartbeat, agentLostTimeout);
                case "agentHeartbeat" -> withAgentTimes(duration(value), agentLostTimeout);
                case "agentLostTimeout" -> withAgentTimes(agentHeartbeat, duration(value));
                default -> throw new IllegalArgumentException("unknown setting");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    static Duration duration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("must be a duration like 500ms, 10s, 2m or PT10S, not '" + text + "'");
        }
    }

    /** Agent heartbeat and lost timeout (specs use short ones). */
    public ServerConfig withAgentTimes(Duration heartbeat, Duration lostTimeout) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse,
                heartbeat, lostTimeout);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }

    public ServerConfig withSlots(int slots) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }

    public ServerConfig withBind(String bind) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }

    public ServerConfig withIsolatedCompiler(boolean isolated) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolated, webhookSecret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }

    public ServerConfig withWebhookSecret(String secret) {
        return new ServerConfig(port, bind, dataDir, slots, maxBodyBytes, isolatedCompiler, secret, sshTrustFirstUse, agentHeartbeat, agentLostTimeout);
    }
}

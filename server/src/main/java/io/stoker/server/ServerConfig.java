package io.stoker.server;

import io.stoker.agent.ssh.SshAgent;
import io.stoker.dsl.groovy.GroovyLimits;
import io.stoker.store.postgres.PostgresUrl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The server's settings, with every default in {@link #defaults()}. Sources, later ones winning: defaults, a
 * properties file ({@code port}, {@code bind}, {@code dataDir}, {@code slots}, {@code maxBodyBytes},
 * {@code compiler}, {@code webhookSecret}, {@code sshTrustFirstUse}, {@code tlsCert}, {@code tlsKey},
 * {@code adminPassword}, {@code agentHeartbeat}, {@code agentLostTimeout}, {@code stalledRunAfter},
 * {@code idleTimeout}, {@code bodyTimeout}, {@code maxConnectionsPerAddress}, {@code maxTaskLogBytes}, {@code db}), environment variables
 * ({@code STOKER_PORT}, {@code STOKER_BIND}, {@code STOKER_DATA_DIR}, {@code STOKER_SLOTS},
 * {@code STOKER_MAX_BODY_BYTES}, {@code STOKER_COMPILER}, {@code STOKER_WEBHOOK_SECRET},
 * {@code STOKER_SSH_TRUST_FIRST_USE}, {@code STOKER_TLS_CERT}, {@code STOKER_TLS_KEY},
 * {@code STOKER_ADMIN_PASSWORD}, {@code STOKER_AGENT_HEARTBEAT}, {@code STOKER_AGENT_LOST_TIMEOUT},
 * {@code STOKER_STALLED_RUN_AFTER}, {@code STOKER_IDLE_TIMEOUT}, {@code STOKER_BODY_TIMEOUT},
 * {@code STOKER_MAX_CONNECTIONS_PER_ADDRESS}, {@code STOKER_DB}, {@code STOKER_JOBFILE_CPU}), then
 * command-line options.
 *
 * @param port         TCP port; 0 picks a free one (tests)
 * @param bind         address to listen on; 127.0.0.1 by default: every user with the developer role can run
 *                     shell commands on this machine, so exposing it is a deliberate choice (use TLS then)
 * @param dataDir      H2 database (unless {@code db} names another), logs, artifacts, workspaces and git mirrors
 * @param slots        executor slots: at most this many runs at once; each run also runs at most this many tasks
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param isolatedCompiler compile Jobfiles in sandboxed worker JVMs (true) or in this JVM (trusted Jobfiles, tests)
 * @param webhookSecret the push-webhook secret of projects that set none of their own; null: the server generates
 *                      one into {@code <dataDir>/webhook.secret} (admins read and rotate it through the API)
 * @param sshTrustFirstUse record an ssh git host's key on the first fetch from it (trust-on-first-use); false (the
 *                      default): an unknown host fails until its key is added to {@code <dataDir>/ssh/known_hosts}
 * @param tlsCert      PEM certificate chain (leaf first); with {@code tlsKey} the server serves HTTPS only; null: HTTP
 * @param tlsKey       PEM private key of {@code tlsCert} (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
 * @param adminPassword the password the first start gives the {@code admin} user ({@code STOKER_ADMIN_PASSWORD});
 *                      null: a random one, printed once in the start banner. Ignored once any user exists
 * @param agentHeartbeat how often a connected agent is probed ({@code 500ms}, {@code 10s}, {@code 2m}); default 10s
 * @param agentLostTimeout how long an agent may stay unreachable before its running tasks fail as "agent lost";
 *                      default 45s
 * @param stalledRunAfter a run marked running whose tasks have not started this long after is reported in the
 *                      server log and in {@code /healthz} (a starved server); default 30s
 * @param idleTimeout  a connection with no request in progress is closed after this long (between requests, or
 *                      before its first); a request in progress (a followed log, the event stream) is never idle;
 *                      default 60s
 * @param bodyTimeout  a request whose body has not fully arrived this long after its headers is answered 408 and
 *                      its connection closed; default 30s
 * @param maxConnectionsPerAddress open connections one remote address may hold; more are answered 429 and closed;
 *                      default 256
 * @param maxTaskLogBytes a task log's cap (its first and last lines are kept, see {@code FileLogStore}); default 64 MiB
 * @param metricsPublic serve {@code GET /metrics} without a token ({@code --metrics-public},
 *                      {@code STOKER_METRICS_PUBLIC}); default false: any authenticated user may scrape
 * @param db           the store: null (the default) for the embedded H2 database under {@code dataDir}, or a
 *                     PostgreSQL URL {@code postgresql://user[:password]@host[:port]/database} ({@code --db},
 *                     {@code db}, {@code STOKER_DB}); {@code h2} names the default
 * @param startupRuns  {@code PROJECT/JOB}s to run once the server has started ({@code --run}, repeatable), besides
 *                     the jobs that say {@code runOnStartup true}
 * @param jobfileCpu   the CPU time a Groovy Jobfile's evaluation may use, in process or in a worker JVM
 *                     ({@code STOKER_JOBFILE_CPU}); 100ms to the default 5s: lower it to refuse heavy Jobfiles sooner
 * @param compiles     isolated Jobfile compiles (one worker JVM each) at once ({@code compiles},
 *                     {@code STOKER_COMPILES}); 0 for the default, the CPUs up to 2. Four more per one may wait their
 *                     turn; beyond, a compile is a 503 with {@code Retry-After}
 */
public record ServerConfig(int port, String bind, Path dataDir, int slots, long maxBodyBytes, boolean isolatedCompiler,
                           String webhookSecret, boolean sshTrustFirstUse, Path tlsCert, Path tlsKey,
                           String adminPassword, Duration agentHeartbeat, Duration agentLostTimeout,
                           Duration stalledRunAfter, Duration idleTimeout, Duration bodyTimeout,
                           int maxConnectionsPerAddress, long maxTaskLogBytes,
                           boolean metricsPublic, String db, java.util.List<String> startupRuns,
                           Duration jobfileCpu, int compiles) {

    /** The defaults of the settings added later than the constructor's first callers (one place for every default). */
    public static final Duration DEFAULT_STALLED_RUN_AFTER = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

    private static final Set<String> KEYS = Set.of("port", "bind", "dataDir", "slots", "maxBodyBytes", "compiler",
            "webhookSecret", "sshTrustFirstUse", "tlsCert", "tlsKey", "adminPassword", "agentHeartbeat",
            "agentLostTimeout", "stalledRunAfter", "idleTimeout", "bodyTimeout", "maxConnectionsPerAddress", "maxTaskLogBytes",
            "metricsPublic", "db", "jobfileCpu", "compiles");

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        if (bind == null || bind.isBlank()) throw new IllegalArgumentException("bind must name an address");
        dataDir = dataDir.toAbsolutePath().normalize();
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret;
        tlsCert = tlsCert == null ? null : tlsCert.toAbsolutePath().normalize();
        tlsKey = tlsKey == null ? null : tlsKey.toAbsolutePath().normalize();
        adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
        if (adminPassword != null) {
            io.stoker.server.auth.Users.passwordProblem("the admin password", adminPassword).ifPresent(why -> {
                throw new IllegalArgumentException(why);
            });
        }
        if (agentHeartbeat == null) agentHeartbeat = SshAgent.Settings.DEFAULTS.heartbeat();
        if (agentLostTimeout == null) agentLostTimeout = SshAgent.Settings.DEFAULTS.lostTimeout();
        // each is checked alone: a file and the environment may set them one at a time
        if (agentHeartbeat.toMillis() < 100) throw new IllegalArgumentException("agentHeartbeat must be at least 100ms");
        if (maxTaskLogBytes <= 0) maxTaskLogBytes = io.stoker.engine.log.FileLogStore.DEFAULT_MAX_BYTES;
        if (maxTaskLogBytes < 1024) throw new IllegalArgumentException("maxTaskLogBytes must be at least 1024");
        if (agentLostTimeout.toMillis() < 100) throw new IllegalArgumentException("agentLostTimeout must be at least 100ms");
        if (stalledRunAfter == null) stalledRunAfter = DEFAULT_STALLED_RUN_AFTER;
        if (idleTimeout == null) idleTimeout = DEFAULT_IDLE_TIMEOUT;
        if (bodyTimeout == null) bodyTimeout = DEFAULT_BODY_TIMEOUT;
        if (stalledRunAfter.toMillis() < 100) throw new IllegalArgumentException("stalledRunAfter must be at least 100ms");
        if (idleTimeout.toMillis() < 100) throw new IllegalArgumentException("idleTimeout must be at least 100ms");
        if (bodyTimeout.toMillis() < 100) throw new IllegalArgumentException("bodyTimeout must be at least 100ms");
        db = db == null || db.isBlank() || db.equals("h2") ? null : db;
        if (db != null) PostgresUrl.parse(db); // a wrong URL is a start error naming the setting, not a failed connect
        startupRuns = startupRuns == null ? java.util.List.of() : java.util.List.copyOf(startupRuns);
        for (String run : startupRuns) {
            if (!run.matches("[^/\\s]+/[^/\\s]+")) {
                throw new IllegalArgumentException("a startup run must be PROJECT/JOB, not '" + run + "'");
            }
        }
        if (jobfileCpu == null) jobfileCpu = GroovyLimits.DEFAULTS.timeout();
        if (jobfileCpu.compareTo(GroovyLimits.MIN_TIMEOUT) < 0 || jobfileCpu.compareTo(GroovyLimits.DEFAULTS.timeout()) > 0) {
            throw new IllegalArgumentException("jobfileCpu must be between " + GroovyLimits.MIN_TIMEOUT.toMillis()
                    + "ms and " + GroovyLimits.DEFAULTS.timeout().toSeconds() + "s, was " + jobfileCpu.toMillis() + "ms");
        }
        if (compiles == 0) compiles = io.stoker.dsl.isolate.CompileSlots.DEFAULT_CONCURRENT;
        if (compiles < 1) throw new IllegalArgumentException("compiles must be at least 1, was " + compiles);
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, was " + maxConnectionsPerAddress);
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", slots=" + slots
                + ", maxBodyBytes=" + maxBodyBytes + ", isolatedCompiler=" + isolatedCompiler
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", sshTrustFirstUse=" + sshTrustFirstUse + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey
                + ", adminPassword=" + (adminPassword == null ? "none" : "***")
                + ", agentHeartbeat=" + agentHeartbeat + ", agentLostTimeout=" + agentLostTimeout
                + ", stalledRunAfter=" + stalledRunAfter + ", idleTimeout=" + idleTimeout + ", bodyTimeout=" + bodyTimeout
                + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + ", metricsPublic=" + metricsPublic + ", db=" + (db == null ? "h2" : PostgresUrl.parse(db))
                + ", startupRuns=" + startupRuns + ", jobfileCpu=" + jobfileCpu + ", compiles=" + compiles + "]";
    }

    /**
     * Port 8080 on 127.0.0.1, data in ./stoker-data, one slot per CPU, 1 MiB bodies, isolated compiles; the
     * null durations and the connection cap take the {@code DEFAULT_*} values above.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(8080, "127.0.0.1", Path.of("stoker-data"),
                Runtime.getRuntime().availableProcessors(), 1 << 20, true, null, false, null, null, null, null, null,
                null, null, null, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 0, false, null, null, null, 0);
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
        c = fromEnv(c, env, "STOKER_ADMIN_PASSWORD", "adminPassword");
        c = fromEnv(c, env, "STOKER_AGENT_HEARTBEAT", "agentHeartbeat");
        c = fromEnv(c, env, "STOKER_AGENT_LOST_TIMEOUT", "agentLostTimeout");
        c = fromEnv(c, env, "STOKER_STALLED_RUN_AFTER", "stalledRunAfter");
        c = fromEnv(c, env, "STOKER_IDLE_TIMEOUT", "idleTimeout");
        c = fromEnv(c, env, "STOKER_BODY_TIMEOUT", "bodyTimeout");
        c = fromEnv(c, env, "STOKER_MAX_CONNECTIONS_PER_ADDRESS", "maxConnectionsPerAddress");
        c = fromEnv(c, env, "STOKER_MAX_TASK_LOG_BYTES", "maxTaskLogBytes");
        c = fromEnv(c, env, "STOKER_METRICS_PUBLIC", "metricsPublic");
        c = fromEnv(c, env, "STOKER_DB", "db");
        c = fromEnv(c, env, "STOKER_JOBFILE_CPU", "jobfileCpu");
        c = fromEnv(c, env, "STOKER_COMPILES", "compiles");
        return c;
    }

    private static ServerConfig fromEnv(ServerConfig c, Map<String, String> env, String name, String key) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) return c;
        // an admin password of spaces was taken for none at all, and the first start made a random one unsaid
        if (v.isBlank()) return key.equals("adminPassword") ? c.with(key, v, name) : c;
        return c.with(key, v.trim(), name);
    }

    /** This config with one setting changed from text; {@code where} names the source in error messages. */
    public ServerConfig with(String key, String value, String where) {
        try {
            return switch (key) {
                case "port" -> copy(f -> f.port = Integer.parseInt(value));
                case "bind" -> withBind(value);
                case "dataDir" -> withDataDir(Path.of(value));
                case "slots" -> withSlots(Integer.parseInt(value));
                case "maxBodyBytes" -> copy(f -> f.maxBodyBytes = Long.parseLong(value));
                case "maxTaskLogBytes" -> copy(f -> f.maxTaskLogBytes = atLeastKiB(Long.parseLong(value)));
                case "compiler" -> withIsolatedCompiler(switch (value) {
                    case "isolated" -> true;
                    case "in-process" -> false;
                    default -> throw new IllegalArgumentException("must be 'isolated' or 'in-process'");
                });
                case "webhookSecret" -> withWebhookSecret(value);
                case "sshTrustFirstUse" -> copy(f -> f.sshTrustFirstUse = bool(value));
                case "metricsPublic" -> withMetricsPublic(bool(value));
                case "tlsCert" -> withTls(Path.of(value), tlsKey);
                case "tlsKey" -> withTls(tlsCert, Path.of(value));
                case "adminPassword" -> withAdminPassword(value);
                case "agentHeartbeat" -> withAgentTimes(duration(value), agentLostTimeout);
                case "agentLostTimeout" -> withAgentTimes(agentHeartbeat, duration(value));
                case "stalledRunAfter" -> copy(f -> f.stalledRunAfter = duration(value));
                case "idleTimeout" -> copy(f -> f.idleTimeout = duration(value));
                case "bodyTimeout" -> copy(f -> f.bodyTimeout = duration(value));
                case "maxConnectionsPerAddress" -> copy(f -> f.maxConnectionsPerAddress = Integer.parseInt(value));
                case "db" -> withDb(value);
                case "jobfileCpu" -> withJobfileCpu(duration(value));
                case "compiles" -> withCompiles(Integer.parseInt(value));
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

    /** A set cap: 0 and negative values are refused too (in the record they stand for "unset", the default). */
    private static long atLeastKiB(long maxTaskLogBytes) {
        if (maxTaskLogBytes < 1024) {
            throw new IllegalArgumentException("maxTaskLogBytes must be at least 1024, was " + maxTaskLogBytes);
        }
        return maxTaskLogBytes;
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be 'true' or 'false'");
        };
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

    /** The settings every agent connection uses. */
    public SshAgent.Settings agentSettings() {
        return new SshAgent.Settings(agentHeartbeat, agentLostTimeout, SshAgent.Settings.DEFAULTS.connectTimeout());
    }

    /** True when a certificate or key is configured: the server then serves HTTPS only (or refuses to start). */
    public boolean tls() {
        return tlsCert != null || tlsKey != null;
    }

    public ServerConfig withPort(int port) {
        return copy(f -> f.port = port);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return copy(f -> f.dataDir = dataDir);
    }

    /** Runs {@code PROJECT/JOB} once the server has started (see {@link #startupRuns()}). */
    public ServerConfig withStartupRuns(java.util.List<String> runs) {
        return copy(f -> f.startupRuns = runs);
    }

    public ServerConfig withSlots(int slots) {
        return copy(f -> f.slots = slots);
    }

    public ServerConfig withBind(String bind) {
        return copy(f -> f.bind = bind);
    }

    public ServerConfig withIsolatedCompiler(boolean isolated) {
        return copy(f -> f.isolatedCompiler = isolated);
    }

    public ServerConfig withWebhookSecret(String secret) {
        return copy(f -> f.webhookSecret = secret);
    }

    /** HTTPS with these PEM files (both or neither; {@link io.stoker.server.tls.PemIdentity} checks them at start). */
    public ServerConfig withTls(Path tlsCert, Path tlsKey) {
        return copy(f -> {
            f.tlsCert = tlsCert;
            f.tlsKey = tlsKey;
        });
    }

    /** The first start's admin password (null: a random one, printed once). Ignored once users exist. */
    public ServerConfig withAdminPassword(String password) {
        return copy(f -> f.adminPassword = password);
    }

    /** Agent heartbeat and lost timeout (specs use short ones). */
    public ServerConfig withAgentTimes(Duration heartbeat, Duration lostTimeout) {
        return copy(f -> {
            f.agentHeartbeat = heartbeat;
            f.agentLostTimeout = lostTimeout;
        });
    }

    /** Connection limits (specs use short timeouts and small caps). */
    public ServerConfig withConnectionLimits(Duration idleTimeout, Duration bodyTimeout, int maxConnectionsPerAddress) {
        return copy(f -> {
            f.idleTimeout = idleTimeout;
            f.bodyTimeout = bodyTimeout;
            f.maxConnectionsPerAddress = maxConnectionsPerAddress;
        });
    }

    /** How long a running run may go without a started task before it is reported as stalled. */
    public ServerConfig withStalledRunAfter(Duration stalledRunAfter) {
        return copy(f -> f.stalledRunAfter = stalledRunAfter);
    }

    /** Whether {@code GET /metrics} is served without a token. */
    public ServerConfig withMetricsPublic(boolean metricsPublic) {
        return copy(f -> f.metricsPublic = metricsPublic);
    }

    /** The store: a PostgreSQL URL, or null (or {@code h2}) for the embedded H2 database under the data directory. */
    public ServerConfig withDb(String db) {
        return copy(f -> f.db = db);
    }

    /** The CPU time a Groovy Jobfile's evaluation may use (100ms to 5s). */
    public ServerConfig withJobfileCpu(Duration jobfileCpu) {
        return copy(f -> f.jobfileCpu = jobfileCpu);
    }

    /** Isolated Jobfile compiles at once (0: the default, the CPUs up to 2). */
    public ServerConfig withCompiles(int compiles) {
        return copy(f -> f.compiles = compiles);
    }

    /** A copy with some fields changed; the canonical constructor checks the result. */
    private ServerConfig copy(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new ServerConfig(f.port, f.bind, f.dataDir, f.slots, f.maxBodyBytes, f.isolatedCompiler,
                f.webhookSecret, f.sshTrustFirstUse, f.tlsCert, f.tlsKey, f.adminPassword, f.agentHeartbeat,
                f.agentLostTimeout, f.stalledRunAfter, f.idleTimeout, f.bodyTimeout, f.maxConnectionsPerAddress,
                f.maxTaskLogBytes, f.metricsPublic, f.db, f.startupRuns, f.jobfileCpu, f.compiles);
    }

    /** The fields of a config being changed. */
    private static final class Fields {
        int port;
        String bind;
        Path dataDir;
        int slots;
        long maxBodyBytes;
        boolean isolatedCompiler;
        String webhookSecret;
        boolean sshTrustFirstUse;
        Path tlsCert;
        Path tlsKey;
        String adminPassword;
        Duration agentHeartbeat;
        Duration agentLostTimeout;
        Duration stalledRunAfter;
        Duration idleTimeout;
        Duration bodyTimeout;
        int maxConnectionsPerAddress;
        long maxTaskLogBytes;
        boolean metricsPublic;
        String db;
        java.util.List<String> startupRuns;
        Duration jobfileCpu;
        int compiles;

        Fields(ServerConfig c) {
            port = c.port;
            bind = c.bind;
            dataDir = c.dataDir;
            slots = c.slots;
            maxBodyBytes = c.maxBodyBytes;
            isolatedCompiler = c.isolatedCompiler;
            webhookSecret = c.webhookSecret;
            sshTrustFirstUse = c.sshTrustFirstUse;
            tlsCert = c.tlsCert;
            tlsKey = c.tlsKey;
            adminPassword = c.adminPassword;
            agentHeartbeat = c.agentHeartbeat;
            agentLostTimeout = c.agentLostTimeout;
            stalledRunAfter = c.stalledRunAfter;
            idleTimeout = c.idleTimeout;
            bodyTimeout = c.bodyTimeout;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress;
            maxTaskLogBytes = c.maxTaskLogBytes;
            metricsPublic = c.metricsPublic;
            db = c.db;
            startupRuns = c.startupRuns;
            jobfileCpu = c.jobfileCpu;
            compiles = c.compiles;
        }
    }
}

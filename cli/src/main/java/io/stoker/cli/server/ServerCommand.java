package io.stoker.cli.server;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.cli.logging.ConsoleLogging;
import io.stoker.server.ServerConfig;
import io.stoker.server.StokerServer;
import io.stoker.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code stoker server}: starts the server in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {
                "Start the Stoker server and print the URL it listens on.",
                "REST API v1 under /api/v1, an embedded H2 database (or PostgreSQL with --db), logs, "
                        + "artifacts and git mirrors under the data directory. Stop it with Ctrl-C.",
                "",
                "Settings, later ones winning: defaults; a properties file (--config or",
                "STOKER_CONFIG) with port, bind, dataDir, slots, maxBodyBytes, compiler",
                "(isolated | in-process), webhookSecret (default secret of push",
                "webhooks), sshTrustFirstUse (record an ssh git host's key on first",
                "contact; default false), tlsCert and tlsKey (PEM files: serve HTTPS),",
                "adminPassword, agentHeartbeat (default 10s), agentLostTimeout",
                "(default 45s: an agent unreachable that long fails its tasks as 'agent",
                "lost'), stalledRunAfter (default 30s: a running run with no task",
                "started that long is reported in the log and /healthz), idleTimeout",
                "(default 60s: a connection with no request in progress is closed),",
                "bodyTimeout (default 30s: a body that has not arrived is answered 408),",
                "maxConnectionsPerAddress (default 256; more are answered 429),",
                "maxTaskLogBytes (as --max-task-log-bytes), metricsPublic (true:",
                "GET /metrics needs no token; default false), db",
                "(postgresql://user@host:5432/database; default: H2 in the data directory) and",
                "jobfileCpu (default 5s, at least 100ms: the CPU time a Groovy Jobfile's",
                "evaluation may use); the",
                "environment (STOKER_PORT, STOKER_BIND, STOKER_DATA_DIR, STOKER_SLOTS,",
                "STOKER_MAX_BODY_BYTES, STOKER_COMPILER, STOKER_WEBHOOK_SECRET,",
                "STOKER_SSH_TRUST_FIRST_USE, STOKER_TLS_CERT, STOKER_TLS_KEY,",
                "STOKER_ADMIN_PASSWORD, STOKER_AGENT_HEARTBEAT, STOKER_AGENT_LOST_TIMEOUT,",
                "STOKER_STALLED_RUN_AFTER, STOKER_IDLE_TIMEOUT, STOKER_BODY_TIMEOUT,",
                "STOKER_MAX_CONNECTIONS_PER_ADDRESS, STOKER_MAX_TASK_LOG_BYTES,",
                "STOKER_METRICS_PUBLIC, STOKER_DB, STOKER_JOBFILE_CPU); then these",
                "options.",
                "",
                "The first start creates the user 'admin' with STOKER_ADMIN_PASSWORD (at",
                "least 12 characters not counting whitespace; a blank one is refused) or a",
                "random password printed once below the URL;",
                "then log in with 'stoker login'. Passwords are stored as Argon2id hashes",
                "of OWASP's minimum cost; STOKER_PASSWORD_HASH=m=47104,t=1,p=1 (KiB,",
                "passes, lanes) sets the cost of new ones (a weaker one only with a warning).",
                "",
                "Git credentials that projects name: a secret NAME=username:token",
                "('stoker secret set NAME'; the older STOKER_GIT_CREDENTIALS_<NAME> and",
                "DATA/git-credentials.properties still work but are deprecated).",
                "Git over ssh uses the key pair in DATA/ssh (register id_ecdsa.pub with",
                "the git host) and DATA/ssh/known_hosts. A fetch gives up once the git",
                "host has sent nothing for STOKER_GIT_TIMEOUT (default 2m).",
                "",
                "The server's own log goes to stderr: Stoker's events (ready, agents",
                "offline and online, runs started by triggers, retried deliveries) at",
                "INFO, libraries' at WARN; STOKER_LOG_LEVEL (ERROR, WARN, INFO, DEBUG,",
                "TRACE or OFF; another word is refused) sets one level for all.",
                "",
                "Secrets are sealed with DATA/master.key, or with STOKER_MASTER_KEY (32",
                "bytes, base64) when set: back it up with the database. A Vault holds them",
                "instead with STOKER_VAULT_ADDR and a token or AppRole (see the README).",
                "Several servers on one PostgreSQL database form a cluster: each leases its",
                "runs for STOKER_CLUSTER_LEASE (default 30s) and is shown to the others as",
                "STOKER_CLUSTER_ADDRESS (default: the URL it listens on).",
                "",
                "Behind a reverse proxy, STOKER_TRUSTED_PROXIES lists its addresses or",
                "CIDR blocks (10.0.0.0/8, ::1): the failed-login limit per address and the",
                "audit log then see the client its X-Forwarded-For names.",
                "",
                "Tasks run on this machine as the server's user and can read the data",
                "directory (its keys and database). STOKER_TASK_SANDBOX=bwrap hides it from",
                "them but for their own workspace (needs bubblewrap; the server does not",
                "start without it); auto uses it where it works; off is the default.",
                "",
                "Old runs are kept unless STOKER_KEEP_RUNS=N (the newest N finished runs of",
                "each job) or STOKER_KEEP_RUNS_DAYS=D (runs finished in the last D days)",
                "say otherwise; a discarded run's logs and artifacts go with it."})
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 8080; 0 picks a free one)")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "address to listen on (default 127.0.0.1; developers can run commands on this machine, so expose it deliberately)")
    String bind;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "database, logs, artifacts and git mirrors (default: stoker-data in the current directory)")
    Path dataDir;

    @Option(names = "--db", paramLabel = "URL",
            description = "store in PostgreSQL: postgresql://user[:password]@host[:port]/database[?sslmode=…] "
                    + "(default: the embedded H2 database in the data directory); migrated on start")
    String db;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file with settings")
    Path config;

    @Option(names = "--slots", paramLabel = "N", description = "executor slots: runs at once (default: the number of CPUs)")
    Integer slots;

    @Option(names = "--max-task-log-bytes", paramLabel = "N",
            description = "a task log's cap: over it the first lines and the last ones (up to a quarter of N, at most "
                    + "8 MiB) are kept (default: 67108864, 64 MiB)")
    Long maxTaskLogBytes;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (leaf first); with --tls-key the server speaks HTTPS only")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted)")
    Path tlsKey;

    @Option(names = "--run", paramLabel = "PROJECT/JOB",
            description = "start a run of this job once the server has started (repeatable); jobs that say "
                    + "'runOnStartup true' start anyway")
    java.util.List<String> runs = new java.util.ArrayList<>();

    @Option(names = "--metrics-public",
            description = "serve the Prometheus metrics at GET /metrics without a token (default: any logged-in user's token)")
    boolean metricsPublic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var badLevel = ConsoleLogging.refusal(System.getenv("STOKER_LOG_LEVEL"));
        if (badLevel.isPresent()) throw CliException.invalid(badLevel.get());
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            ConsoleLogging.forServer(context, System.getenv("STOKER_LOG_LEVEL"));
        }
        ServerConfig c;
        try {
            Path file = config != null ? config
                    : System.getenv("STOKER_CONFIG") != null ? Path.of(System.getenv("STOKER_CONFIG")) : null;
            if (file != null && Files.isDirectory(file)) throw CliException.invalid("the config file " + file + " is a directory, not a file");
            if (file != null && !file.toFile().isFile()) throw CliException.invalid("no such config file: " + file);
            c = ServerConfig.load(file, System.getenv());
        } catch (IllegalArgumentException e) {
            throw CliException.invalid(e.getMessage());
        }
        try {
            // each refusal names its option (--port: …): a mistake in the command line, told with the --help hint
            if (port != null) c = c.with("port", String.valueOf(port), "--port");
            if (bind != null) c = c.with("bind", bind, "--bind");
            if (dataDir != null) c = c.withDataDir(dataDir);
            if (slots != null) c = c.with("slots", String.valueOf(slots), "--slots");
            if (maxTaskLogBytes != null) c = c.with("maxTaskLogBytes", String.valueOf(maxTaskLogBytes), "--max-task-log-bytes");
            if (metricsPublic) c = c.withMetricsPublic(true);
            if (db != null) c = c.with("db", db, "--db");
            if (!runs.isEmpty()) c = c.withStartupRuns(runs);
            if (tlsCert != null || tlsKey != null) {
                c = c.withTls(tlsCert != null ? tlsCert : c.tlsCert(), tlsKey != null ? tlsKey : c.tlsKey());
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        StokerServer server;
        try {
            server = StokerServer.start(c).closeOnShutdown();
        } catch (Exception e) {
            throw new CliException(ExitCode.INVALID, "cannot start the server: " + startFailure(e, c));
        }
        out.println(server.banner());
        if (!server.recovered().isEmpty()) {
            int n = server.recovered().size();
            out.println(io.stoker.model.Plural.of(n, "run") + " interrupted by the last stop " + (n == 1 ? "was" : "were")
                    + " marked failed");
        }
        // the server's own "ready" log line is below the CLI's log level: the operator reads it here
        List<String> startup = server.ready().startupRuns();
        out.println("stoker server ready on " + server.url() + (startup.isEmpty() ? ""
                : " (" + io.stoker.model.Plural.of(startup.size(), "startup run") + " queued: " + String.join(", ", startup) + ")"));
        out.flush();
        server.releaseStartupMemory().awaitClosed();
        return ExitCode.OK;
    }

    /** Why a start failed, in the operator's words for the failures a first try meets (a taken port, a data dir in use). */
    static String startFailure(Throwable e, ServerConfig c) {
        Throwable root = e;
        String database = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof Database.CannotOpenException cannotOpen && database == null) database = cannotOpen.getMessage();
            if (t instanceof java.net.BindException bind) {
                return bindFailure(String.valueOf(bind.getMessage()), c);
            }
            if (t instanceof java.net.UnknownHostException) {
                return "the address to bind '" + c.bind() + "' does not resolve; give an address of this machine"
                        + " (127.0.0.1, or 0.0.0.0 for all) with --bind";
            }
            if (t instanceof java.nio.file.FileSystemException file && file.getFile() != null) {
                return "the data directory " + c.dataDir() + " cannot be used: " + file.getFile() + ": "
                        + fileProblem(file) + "; give the server's user write access there or choose another --data-dir";
            }
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020
                    || String.valueOf(t.getMessage()).startsWith("The file is locked")) {
                return "the data directory " + c.dataDir() + " is in use by another running Stoker server (its"
                        + " database is locked); stop that server or choose another --data-dir";
            }
        }
        // which database could not be opened, and why; the driver's cause alone ("Connection refused") names neither
        return database != null ? database : root.getMessage();
    }

    /** A refused bind: the port is taken, the address is not this machine's, or the port needs privileges. */
    private static String bindFailure(String message, ServerConfig c) {
        if (message.contains("assign requested address")) {
            return "the address to bind " + c.bind() + " is not one of this machine's; give one it has (127.0.0.1,"
                    + " or 0.0.0.0 for all) with --bind";
        }
        if (message.contains("ermission denied")) {
            return "port " + c.port() + " needs privileges this user lacks (ports below 1024); choose another with --port";
        }
        return "port " + c.port() + " on " + c.bind() + " is taken (another server or program listens there);"
                + " choose another with --port";
    }

    private static String fileProblem(java.nio.file.FileSystemException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "a file is in the way (not a directory)";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        return e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT) : "cannot be written";
    }
}

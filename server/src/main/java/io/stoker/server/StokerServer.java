package io.stoker.server;

import io.stoker.dsl.CompileCache;
import io.stoker.dsl.Compiler;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.dsl.isolate.IsolatedJobfileCompiler;
import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.run.RunEngine;
import io.stoker.server.agent.AgentRepository;
import io.stoker.server.agent.AgentRouter;
import io.stoker.server.agent.AgentService;
import io.stoker.server.api.AgentRoutes;
import io.stoker.server.api.ApiRouter;
import io.stoker.server.secret.MasterKey;
import io.stoker.server.secret.SecretBox;
import io.stoker.server.db.Database;
import io.stoker.server.event.EventHub;
import io.stoker.server.project.GitProjects;
import io.stoker.server.project.MirroredGitProjects;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.project.ProjectRepository;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.H2RunStore;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunService;
import io.stoker.server.trigger.JobTriggers;
import io.stoker.server.trigger.ServerJobTrigger;
import io.stoker.server.trigger.TriggerClock;
import io.stoker.server.trigger.TriggerState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The Stoker server: opens the data directory (H2 database, logs, artifacts, workspaces, git mirrors), recovers
 * runs a crash left behind, resumes the queue and serves the REST API. {@link #start} blocks until it listens.
 *
 * <p>Data directory layout: {@code db/} (H2), {@code runs/<key>/logs|artifacts} (engine files), {@code workspaces/},
 * {@code git/} (bare mirrors), {@code tmp/}.
 */
public final class StokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StokerServer.class);

    private final ServerConfig config;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Database db;
    private final RunEngine engine;
    private final RunDispatcher dispatcher;
    private final AutoCloseable compiler;
    private final Vertx vertx;
    private final HttpServer http;
    private final List<String> recovered;
    private final Router router;
    private final JobTriggers triggers;
    private final AgentService agents;

    private StokerServer(ServerConfig config, Database db, RunEngine engine, RunDispatcher dispatcher,
                         AutoCloseable compiler, Vertx vertx, HttpServer http, List<String> recovered, Router router,
                         JobTriggers triggers, AgentService agents) {
        this.agents = agents;
        this.router = router;
        this.triggers = triggers;
        this.config = config;
        this.db = db;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.compiler = compiler;
        this.vertx = vertx;
        this.http = http;
        this.recovered = recovered;
    }

    /** Starts a server and returns once it listens; fails when the data directory is in use or the port taken. */
    public static StokerServer start(ServerConfig config) throws Exception {
        return start(config, Clock.systemDefaultZone());
    }

    /**
     * Starts a server whose cron and poll triggers follow {@code triggerClock} (its zone is the zone of cron
     * schedules), so specs can move time instead of waiting for it.
     */
    public static StokerServer start(ServerConfig config, Clock triggerClock) throws Exception {
        Clock clock = Clock.systemUTC();
        Path data = Files.createDirectories(config.dataDir());
        MasterKey masterKey = MasterKey.load(data, System.getenv());
        Path runsRoot = Files.createDirectories(data.resolve("runs"));
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        Database db = Database.open(data);
        RunRepository runs = new RunRepository(db);
        List<String> failed = runs.recover(clock.instant(), key -> {
            try {
                return runs.model(key).map(io.stoker.model.Job::retryOnRestart).orElse(false);
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
        if (!failed.isEmpty()) LOG.warn("{} run(s) were running when the server stopped; marked failed: {}", failed.size(), failed);

        FileLogStore logs = new FileLogStore(runsRoot);
        FileArtifactStore artifacts = new FileArtifactStore(runsRoot);
        IsolatedJobfileCompiler isolated = config.isolatedCompiler() ? new IsolatedJobfileCompiler() : null;
        Compiler compiler = new CompileCache(isolated != null ? isolated : new JobfileCompiler());
        GitMirrors mirrors = new GitMirrors(data.resolve("git"), java.time.Duration.ofMinutes(2), config.sshTrustFirstUse());
        // made at start so its public half can be registered as a deploy key before the first ssh fetch
        mirrors.sshPublicKey();
        GitCredentialsLookup credentials = new GitCredentialsLookup(data.resolve("git-credentials.properties"),
                System.getenv());
        GitProjects git = new MirroredGitProjects(mirrors, credentials);
        ProjectService projects = new ProjectService(new ProjectRepository(db), git, compiler, clock);
        EventHub events = new EventHub();
        ServerJobTrigger jobTrigger = new ServerJobTrigger(projects, runs, events);
        // until the H2 audit log is wired here: agent actions go to the stoker.audit logger
        org.slf4j.Logger auditLogger = LoggerFactory.getLogger("stoker.audit");
        io.stoker.server.audit.AuditLog audit = (actor, action, target, detail) ->
                auditLogger.info("{} by {} on {} {}", action, actor, target == null ? "-" : target, detail);
        AgentService agents = new AgentService(new AgentRepository(db), new SecretBox(masterKey), audit,
                config.agentSettings(), clock);
        agents.startAll();
        AgentRouter agentRouter = new AgentRouter(new LocalExecutor(tmp.resolve("scratch")), agents.pool(),
                (run, task, text) -> {
                    // the engine keeps the task's log open while an attempt runs: this appends to that same log
                    try {
                        logs.open(run, task).line(io.stoker.engine.log.LogStream.SYSTEM, clock.millis(), text);
                    } catch (IOException e) {
                        LOG.warn("run {} task {}: cannot log '{}': {}", run, task, text, e.toString());
                    }
                });
        RunEngine engine = new RunEngine(agentRouter, jobTrigger, logs, artifacts, new H2RunStore(runs), clock);
        RunDispatcher dispatcher = new RunDispatcher(runs, engine, artifacts, git, events, data.resolve("workspaces"),
                config.slots(), clock);
        RunService runService = new RunService(runs, projects, dispatcher, clock);
        jobTrigger.bind(runService, dispatcher);
        TriggerState triggerState = new TriggerState(db);
        // no catch-up: firings missed while the server was down are dropped; the stored tick only stops a
        // restart (or a clock set back) from firing the same minute twice
        Instant since = triggerState.lastTick(JobTriggers.clockName())
                .filter(t -> t.isAfter(triggerClock.instant())).orElse(triggerClock.instant());
        JobTriggers triggers = new JobTriggers(projects, runService, runs, mirrors, credentials, triggerState,
                new TriggerClock(triggerClock, since), config.webhookSecret());
        projects.onChange(triggers::reload);
        events.subscribe(triggers::onEvent);
        events.subscribe(agents::onEvent);
        triggers.reloadAll();

        Vertx vertx = Vertx.vertx();
        try {
            Router router = ApiRouter.create(vertx, config.maxBodyBytes(), projects, runService, dispatcher, logs, artifacts, events,
                    tmp, version(), triggers, new AgentRoutes(agents));
            HttpServer http = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(false))
                    .requestHandler(router).listen(config.port(), config.bind())
                    .toCompletionStage().toCompletableFuture().get();
            dispatcher.poke(); // queued runs resume
            triggers.start(vertx);
            return new StokerServer(config, db, engine, dispatcher, isolated, vertx, http, failed, router, triggers, agents);
        } catch (Exception e) {
            triggers.close();
            vertx.close();
            dispatcher.close();
            engine.close();
            agents.close();
            if (isolated != null) isolated.close();
            db.close();
            throw e;
        }
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return http.actualPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.bind().equals("0.0.0.0") ? "localhost" : config.bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Ticks the trigger clock now and waits until what is due has been handled: the runs cron and poll triggers
     * started. The server also ticks by itself each minute; specs with a moved clock call this instead of waiting.
     */
    public List<JobTriggers.Started> tickTriggers() throws Exception {
        return triggers.tick();
    }

    /** Keys of the runs that start-up marked failed with "server restarted". */
    public List<String> recovered() {
        return recovered;
    }

    /**
     * Every route served, as {@code "GET /api/v1/runs/{key}"} (path parameters in OpenAPI's braces), so a spec
     * can hold the OpenAPI document to it.
     */
    public List<String> routes() {
        List<String> out = new java.util.ArrayList<>();
        collect(router, "", out);
        return out;
    }

    private static void collect(Router r, String prefix, List<String> out) {
        for (Route route : r.getRoutes()) {
            if (route.getSubRouter() != null) {
                String p = route.getPath() == null ? "" : route.getPath().replaceFirst("/$", "");
                collect(route.getSubRouter(), prefix + p, out);
            } else if (route.getPath() != null && route.methods() != null) {
                for (var m : route.methods()) {
                    out.add(m.name() + " " + prefix + route.getPath().replaceAll(":([A-Za-z]+)", "{$1}"));
                }
            }
        }
    }

    /**
     * The line a started server prints: {@code stoker server VERSION listening on URL (data: DIR, slots: N)}.
     * Scripts and specs find the URL in it, so keep {@code listening on URL} as it is.
     */
    public String banner() {
        return "stoker server " + version() + " listening on " + url() + " (data: " + config.dataDir()
                + ", slots: " + config.slots() + ")";
    }

    /**
     * Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C). Call it before printing the banner, so a
     * stop that follows the banner at once still closes the database cleanly.
     */
    public StokerServer closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                close();
            } catch (Exception ignored) {
                // the process is ending; every commit is on disk already
            }
        }, "stoker-server-stop"));
        return this;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** The version Maven wrote into the jar. */
    public static String version() {
        try (InputStream in = StokerServer.class.getResourceAsStream("/stoker-server-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Stops listening, cancels runs still going (they end as cancelled), closes the database. */
    @Override
    public void close() throws Exception {
        try {
            http.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            triggers.close();
            dispatcher.close();
            engine.close();
            agents.close();
            if (compiler != null) compiler.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
            db.close();
            closed.countDown();
        }
    }
}

package io.stoker.server;

import io.stoker.server.console.ServerSettings;

import io.stoker.dsl.CompileCache;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.dsl.isolate.ClassDataArchive;
import io.stoker.dsl.isolate.ProbedIsolatedCompiler;
import io.stoker.dsl.isolate.WorkerSettings;
import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.cache.FileCacheStore;
import io.stoker.server.cache.CacheLimit;
import io.stoker.container.ContainerExecutor;
import io.stoker.server.container.ContainerWiring;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.server.host.HostTasks;
import io.stoker.server.retention.DeletedProjectRuns;
import io.stoker.server.retention.RetentionPolicy;
import io.stoker.server.retention.RetentionRepository;
import io.stoker.server.retention.RunRetention;
import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.version.DirectoryVersionStore;
import io.stoker.server.agent.AgentRepository;
import io.stoker.server.agent.AgentRouter;
import io.stoker.server.agent.AgentService;
import io.stoker.server.agent.AgentTaskStore;
import io.stoker.server.agent.AgentTokens;
import io.stoker.server.api.ClientAddress;
import io.stoker.server.api.AgentConnectRoute;
import io.stoker.server.api.AgentTokenRoutes;
import io.stoker.agent.protocol.FrameCodec;
import io.stoker.agent.pull.PullAgent;
import io.stoker.server.api.AgentRoutes;
import io.stoker.server.api.ApiRouter;
import io.stoker.server.api.DeploymentRoutes;
import io.stoker.server.api.TargetRoutes;
import io.stoker.server.deploy.DeploymentRepository;
import io.stoker.server.deploy.Deployments;
import io.stoker.server.deploy.TargetStatuses;
import io.stoker.engine.deploy.DeployedNow;
import io.stoker.server.api.ConsoleRoutes;
import io.stoker.server.api.SecretRoutes;
import io.stoker.server.secret.MasterKey;
import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretResolver;
import io.stoker.server.secret.SecretStore;
import io.stoker.server.secret.vault.VaultClient;
import io.stoker.server.secret.vault.VaultConfig;
import io.stoker.server.api.InvalidRequests;
import io.stoker.server.forge.PushHooks;
import io.stoker.server.http.TrustedProxies;
import io.stoker.server.forge.generic.GenericHooks;
import io.stoker.server.forge.SeenDeliveries;
import io.stoker.server.forge.WebhookSecret;
import io.stoker.server.api.ApprovalRoutes;
import io.stoker.server.approval.ApprovalService;
import io.stoker.server.approval.OpenGates;
import io.stoker.server.audit.H2AuditLog;
import io.stoker.server.console.PublicProjects;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.PasswordHasher;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.db.Database;
import io.stoker.server.endnews.EndTeller;
import io.stoker.server.endnews.EndsTold;
import io.stoker.server.endnews.QueuedTold;
import io.stoker.server.endnews.StartsTold;
import io.stoker.server.endnews.UntoldNews;
import io.stoker.server.event.EventHub;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunSecretMasks;
import io.stoker.server.logstream.CombinedLog;
import io.stoker.server.logstream.HttpLogShipper;
import io.stoker.server.logstream.LogStreamRepository;
import io.stoker.server.logstream.LogStreamSettings;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.logstream.kafka.KafkaLogShipper;
import io.stoker.server.outbox.OutboxSender;
import io.stoker.server.outbox.OutboxSettings;
import io.stoker.server.outbox.StatusWebhooks;
import io.stoker.server.forge.CommitStatuses;
import io.stoker.server.forge.TokenRetry;
import io.stoker.server.notify.JobfileWebhooks;
import io.stoker.server.notify.MailSettings;
import io.stoker.server.notify.MailTransport;
import io.stoker.server.notify.Notifications;
import io.stoker.server.notify.NtfyTransport;
import io.stoker.server.notify.RunReports;
import io.stoker.server.metrics.MetricsRoute;
import io.stoker.server.metrics.DeliveryMetrics;
import io.stoker.server.metrics.RunMetrics;
import io.stoker.server.metrics.ServerGauges;
import io.stoker.server.metrics.StokerMetrics;
import io.stoker.server.project.GitProjects;
import io.stoker.server.shuttle.ShuttleRoutes;
import io.stoker.server.shuttle.ShuttleService;
import io.stoker.server.shuttle.ShuttleSettings;
import io.stoker.server.project.MirroredGitProjects;
import io.stoker.server.git.CheckoutPool;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.project.LocalRepositories;
import io.stoker.server.project.ProjectRepository;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.AliveMark;
import io.stoker.server.run.H2RunStore;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunRecovery;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunService;
import io.stoker.server.run.StalledRuns;
import io.stoker.server.api.ConnectionGuard;
import io.stoker.server.api.ClusterRoutes;
import io.stoker.server.cluster.ClusterMember;
import io.stoker.server.cluster.ClusterSettings;
import io.stoker.server.cluster.EventRelay;
import io.stoker.server.cluster.ServerId;
import io.stoker.server.cluster.ClusterView;
import io.stoker.server.cluster.RunHolders;
import io.stoker.server.cluster.ServerRegistry;
import io.stoker.server.run.RunClaims;
import io.stoker.server.tls.PemIdentity;
import io.stoker.server.trigger.ScheduleKey;
import io.stoker.server.trigger.Schedules;
import io.stoker.server.trigger.StartedRun;
import io.stoker.server.trigger.UpstreamTriggers;
import io.stoker.server.trigger.ServerJobTrigger;
import io.stoker.server.trigger.NextFirings;
import io.stoker.server.trigger.TriggerClock;
import io.stoker.server.trigger.TriggerState;
import io.stoker.server.trigger.StartupRuns;
import io.stoker.server.event.ServerReady;
import io.stoker.server.version.VersionService;
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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The Stoker server: opens the data directory (H2 database or PostgreSQL, logs, artifacts, workspaces, git mirrors), recovers
 * runs a crash left behind, resumes the queue and serves the REST API. {@link #start} blocks until it listens.
 *
 * <p>Data directory layout: {@code db/} (H2, unless {@link ServerConfig#db()} names PostgreSQL), {@code runs/<key>/logs|artifacts} (engine files),
 * {@code versions/} (published versions, see {@link DirectoryVersionStore}), {@code deployments/} (targets deployed
 * to this machine, see {@link Deployments}), {@code workspaces/},
 * {@code git/} (bare mirrors), {@code tmp/}, {@code webhook.secret} (the generated default webhook secret, 0600).
 * With {@link ServerConfig#tls()} it serves HTTPS only.
 */
public final class StokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StokerServer.class);
    /** The environment variable that sets the cost of new password hashes. */
    public static final String PASSWORD_HASH_ENV = "STOKER_PASSWORD_HASH";
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED_PASSWORD_COST =
            new java.util.concurrent.atomic.AtomicBoolean();

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
    private final Schedules triggers;
    private final UpstreamTriggers upstream;
    private final AuthService auth;
    private final H2AuditLog audit;
    private final String generatedAdminPassword;
    private final AgentService agents;
    private final OutboxSender outboxSender;
    private final StatusWebhooks statusWebhooks;
    private final CommitStatuses commitStatuses;
    private final Notifications notifications;
    private final LogStreams logStreams;
    private final StalledRuns stalled;
    private final StokerMetrics metrics;
    private ServerReady readyEvent;
    private final Deployments deployments;
    /** This server as a member of a cluster on PostgreSQL; null on H2. */
    private ClusterMember cluster;
    private EventRelay relay;
    private CheckoutPool checkouts;
    /** Told to let go of the deliveries at work when the server stops, before the database closes. */
    private PushHooks pushHooks;
    private RunRetention retention;
    private String serverId;
    /** Where Vert.x kept the class-path files it served; removed once it is closed. */
    private VertxFileCache fileCache;
    /** "podman 4.3.1", or "none": what tasks with an image run on. */
    private final String containerEngine;

    private StokerServer(ServerConfig config, Database db, RunEngine engine, RunDispatcher dispatcher,
                         AutoCloseable compiler, Vertx vertx, HttpServer http, List<String> recovered, Router router,
                         Schedules triggers, UpstreamTriggers upstream, AuthService auth, H2AuditLog audit, String generatedAdminPassword,
                         AgentService agents, StalledRuns stalled, OutboxSender outboxSender,
                         StatusWebhooks statusWebhooks, CommitStatuses commitStatuses, LogStreams logStreams,
                         Notifications notifications, StokerMetrics metrics, String containerEngine,
                         Deployments deployments) {
        this.deployments = deployments;
        this.containerEngine = containerEngine;
        this.logStreams = logStreams;
        this.metrics = metrics;
        this.notifications = notifications;
        this.stalled = stalled;
        this.outboxSender = outboxSender;
        this.statusWebhooks = statusWebhooks;
        this.commitStatuses = commitStatuses;
        this.auth = auth;
        this.audit = audit;
        this.generatedAdminPassword = generatedAdminPassword;
        this.agents = agents;
        this.router = router;
        this.triggers = triggers;
        this.upstream = upstream;
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
        return start(config, triggerClock, Clock.systemUTC(), System.getenv());
    }

    /**
     * Starts a server whose access tokens, refresh tokens and login limits follow {@code authClock}, so specs can
     * expire a token by moving time.
     */
    public static StokerServer start(ServerConfig config, Clock triggerClock, Clock authClock) throws Exception {
        return start(config, triggerClock, authClock, System.getenv());
    }

    /**
     * Starts a server that reads {@code STOKER_MASTER_KEY}, {@code STOKER_VAULT_*} and the deprecated
     * {@code STOKER_GIT_CREDENTIALS_*} from {@code env} instead of the process environment (specs).
     */
    public static StokerServer start(ServerConfig config, Clock triggerClock, java.util.Map<String, String> env)
            throws Exception {
        return start(config, triggerClock, Clock.systemUTC(), env);
    }

    /** Starts a server with every clock and the environment given (specs); the others delegate here. */
    public static StokerServer start(ServerConfig config, Clock triggerClock, Clock givenAuthClock,
                                     java.util.Map<String, String> env) throws Exception {
        // to the microsecond, as the databases keep times: an answer made from memory (a 202's startedAt) then shows
        // the same time as a later read of the stored row
        Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1_000));
        // users' and tokens' times too: a token's createdAt in the answer to its creation equals the listed one
        Clock authClock = Clock.tick(givenAuthClock, java.time.Duration.ofNanos(1_000));
        // the sandbox probe compiles a Jobfile in a cold worker JVM (~2 s): it starts now, and the compiler made once
        // it ends (see isolatedCompiler) is the only part of the server that waits for it
        if (config.isolatedCompiler()) io.stoker.dsl.isolate.Sandbox.probeAhead();
        // checked before anything is opened: a wrong certificate or key file is a start error, not a failed handshake
        PemIdentity tls = PemIdentity.load(config.tlsCert(), config.tlsKey());
        TrustedProxies proxies = TrustedProxies.parse(env.get(TrustedProxies.ENV));
        PasswordHasher.Cost passwordCost = passwordCost(env.get(PASSWORD_HASH_ENV));
        RetentionPolicy retentionPolicy = RetentionPolicy.fromEnv(env);
        // a new data directory is the server's alone (0700); an existing one keeps the mode its operator gave it
        Path data = io.stoker.engine.files.PrivateDirectory.create(config.dataDir());
        // before the database opens: a bad key or Vault setting is a start error that leaves nothing locked
        MasterKey masterKey = MasterKey.load(data, env);
        VaultClient vault = VaultConfig.fromEnv(env).map(v -> new VaultClient(v, clock)).orElse(null);
        LOG.info("secrets: master key from {}, vault {}", masterKey.source(), vault == null ? "not configured" : vault.config());
        Path runsRoot = Files.createDirectories(data.resolve("runs"));
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        Database db = Database.open(data, config.db());
        // on PostgreSQL this server is one of any number sharing the database: runs are claimed with a lease
        boolean clustered = db.dialect() == io.stoker.server.db.Dialect.POSTGRESQL;
        String serverId = ServerId.generate();
        ClusterSettings clusterSettings = ClusterSettings.fromEnv(env);
        H2AuditLog audit = new H2AuditLog(db, authClock);
        // one box for everything sealed at rest: secrets, agent keys, projects' webhook secrets
        SecretBox box = new SecretBox(masterKey);
        SecretStore secretStore = new SecretStore(db, box, clock);
        SecretResolver secrets = new SecretResolver(secretStore, vault);
        ServerRegistry registry = new ServerRegistry(db);
        if (clustered && !registry.heardSince(
                clock.instant().minus(clusterSettings.lease())).isEmpty()) {
            // joining live servers: a key of its own would fail every run it claims that needs a secret, and leave
            // every task it routes to an SSH agent waiting for an agent it cannot connect to
            try {
                secretStore.requireSameMasterKey(masterKey.source());
                AgentService.requireSameMasterKey(new AgentRepository(db), box, masterKey.source());
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }
        RunRepository runs = new RunRepository(db, clustered ? serverId : null);
        EventRelay[] relay = {null}; // made once the dispatcher it hands cancels to is
        AuthService[] authRef = {null}; // made once Vert.x is: news of users heard before then are read at its start
        Schedules[] schedulesRef = {null}; // made later: news of projects heard before then are read at its start
        // the combined logs of runs whose log is streamed out are spooled as their task logs are written
        CombinedLog combinedLogs = new CombinedLog(runsRoot);
        // in a cluster a follower here may follow a log another server writes in the shared data directory
        FileLogStore logs = new FileLogStore(runsRoot, config.maxTaskLogBytes(), combinedLogs,
                clustered ? runs::taskOpen : null);
        // in a cluster the runs left running belong to servers that may still live: a lost one's lease runs out first
        // alone, its last sign of life before a crash dates the runs the crash interrupted
        AliveMark alive = clustered ? null : AliveMark.in(data, clock);
        // the combined logs of runs whose log is streamed, tapped before recovery: its closing lines go there too
        if (!clustered) {
            for (var pending : new LogStreamRepository(db, box, clock, null).pending()) combinedLogs.tap(pending.runKey());
        }

        FileArtifactStore artifacts = new FileArtifactStore(runsRoot);
        ProbedIsolatedCompiler isolated = config.isolatedCompiler() ? isolatedCompiler(data, config.jobfileCpu(), config.compiles()) : null;
        CompileCache compiler = new CompileCache(isolated != null ? isolated
                : new JobfileCompiler(io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.withTimeout(config.jobfileCpu())));
        // mirrors' configs may hold a git URL's credentials: made before the first fetch, so 0700 from the start
        io.stoker.engine.files.PrivateDirectory.create(data.resolve("git"));
        GitMirrors mirrors = new GitMirrors(data.resolve("git"),
                OutboxSettings.get(env, "STOKER_GIT_TIMEOUT", GitMirrors.DEFAULT_TIMEOUT), config.sshTrustFirstUse());
        // made at start so its public half can be registered as a deploy key before the first ssh fetch
        mirrors.sshPublicKey();
        GitCredentialsLookup credentials = new GitCredentialsLookup(data.resolve("git-credentials.properties"),
                env, (project, name) -> secrets.resolve(project, name).orElse(null));
        // two kept checkouts per git project: a run's workspace is made from one by writing only what changed
        CheckoutPool checkouts = new CheckoutPool(mirrors,
                data.resolve("checkouts"), 2);
        GitProjects git = new MirroredGitProjects(mirrors, credentials, checkouts);
        ProjectRepository projectRows = new ProjectRepository(db, box);
        // a project's own webhook secret was stored in clear before version 92 of the schema: sealed now, once
        int hookSecretsSealed = projectRows.sealClearWebhookSecrets();
        if (hookSecretsSealed > 0) {
            LOG.info("sealed {} an earlier version stored in clear", io.stoker.model.Plural.of(hookSecretsSealed, "project webhook secret"));
        }
        // and a git URL's credentials were stored as given before 2026-11-28: sealed in projects, dropped from runs
        int gitUrlsSealed = projectRows.sealClearGitUrls();
        int runUrlsBared = runs.dropGitUrlCredentials();
        if (gitUrlsSealed + runUrlsBared > 0) {
            LOG.info("sealed the credentials in {} and dropped them from {} that an earlier version stored as given",
                    io.stoker.model.Plural.of(gitUrlsSealed, "project git URL"), io.stoker.model.Plural.of(runUrlsBared, "run"));
        }
        ProjectService projects = new ProjectService(projectRows, git, compiler, clock, new LocalRepositories(data));
        EventHub events = new EventHub();
        StokerMetrics metrics = new StokerMetrics();
        events.subscribe(new RunMetrics(metrics.registry())::onEvent);
        ServerJobTrigger jobTrigger = new ServerJobTrigger(projects, runs, events);
        AgentTaskStore agentTasks = new AgentTaskStore(db);
        AgentService agents = new AgentService(new AgentRepository(db), box, audit,
                config.agentSettings().withOwner(agentOwner(clustered, serverId, data)), clock, events, clustered ? name -> {
                    if (relay[0] != null) relay[0].agentSaved(name); // null only while the server starts
                } : name -> { }, agentTasks);
        agents.startAll();
        // once the agents are known: what the killed process's runs left running on them is stopped first, so a run
        // queued again (retryOnRestart) never runs beside its killed attempt; nothing starts runs before the dispatcher
        List<RunRepository.Interrupted> failed;
        try {
            failed = clustered ? List.of() : RunRecovery.recover(runs,
                    new io.stoker.server.agent.RestartLeftovers(agents.pool(), agentOwner(false, serverId, data),
                            LEFTOVER_STOP), logs, clock, alive.last(), data.resolve("workspaces"));
        } catch (java.sql.SQLException | RuntimeException e) {
            agents.close();
            db.close();
            throw e;
        }
        // what the interrupted runs left on SSH agents (this process does not know which agents they used)
        agents.pool().forgetEverywhere(failed.stream().map(RunRepository.Interrupted::key).toList());
        // the servers of a cluster share the data directory: each keeps its scratch files apart from the others'
        LocalExecutor local = HostTasks.executor(tmp.resolve(clustered ? "scratch-" + serverId : "scratch"), data, env);
        // the tasks, scripts and output files of attempts an earlier process did not end (it crashed or was killed)
        int leftover = local.sweepLeftovers();
        if (leftover > 0) LOG.warn("stopped {} of tasks that the last stop interrupted", io.stoker.model.Plural.of(leftover, "process", "processes"));
        ContainerExecutor containers = ContainerWiring.executor(local, data, env, clustered ? serverId : null);
        AgentRouter agentRouter = new AgentRouter(containers, agents.pool(),
                (run, task, text) -> {
                    // the engine keeps the task's log open while an attempt runs: this appends to that same log
                    try {
                        logs.open(run, task).line(io.stoker.engine.log.LogStream.SYSTEM, clock.millis(), text);
                    } catch (IOException e) {
                        LOG.warn("run {} task {}: cannot log '{}': {}", run, task, text, e.toString());
                    }
                }, agentTasks);
        OpenGates gates = new OpenGates();
        // opening it removes what a publish killed half way left behind
        DirectoryVersionStore versionStore = new DirectoryVersionStore(data.resolve("versions"));
        DeploymentRepository deploymentHistory = new DeploymentRepository(db);
        DeployedNow deployedNow = new DeployedNow(deploymentHistory);
        // in a cluster, what tasks print waits while this server cannot tell whether their runs are still its own
        io.stoker.server.cluster.LeaseFence fence = clustered
                ? new io.stoker.server.cluster.LeaseFence(logs, clusterSettings.lease()) : null;
        // a restore that misses on its branch falls back to the branch the project builds (GitHub's default branch)
        FileCacheStore caches = FileCacheStore.server(data.resolve("caches"), CacheLimit.fromEnv(env), project -> {
            try {
                return projectRows.find(project).map(io.stoker.server.project.Project::branch);
            } catch (java.sql.SQLException e) {
                LOG.warn("cannot read project {} for its default branch's caches: {}", project, e.toString());
                return java.util.Optional.empty();
            }
        }, clock);
        RunEngine engine = new RunEngine(agentRouter, jobTrigger, gates, clustered ? fence : logs, artifacts,
                new H2RunStore(runs),
                versionStore, deployedNow, ContainerWiring.images(containers, data, env), caches, clock);
        RunDispatcher dispatcher = new RunDispatcher(runs, engine, git, events, data.resolve("workspaces"),
                config.slots(), clock, secrets, data.resolve("staged"), clustered
                ? RunClaims.cluster(runs, serverId, clusterSettings.lease(), key -> relay[0].cancel(key))
                : RunClaims.single(runs), projects::hostAccess, clustered
                ? new io.stoker.server.cluster.PullAgentPlacement(agents.pool(), registry, serverId, clusterSettings, clock)
                : io.stoker.server.run.RunPlacement.ANYWHERE);
        EventRelay relay0 = clustered ? EventRelay.open(io.stoker.store.postgres.PostgresUrl.parse(config.db()),
                serverId, events, new EventRelay.Requests() {
                    @Override
                    public void cancel(String run) {
                        dispatcher.cancelHere(run);
                    }

                    @Override
                    public void decide(String run, String task, io.stoker.engine.approval.Decision decision) {
                        gates.decide(run, task, decision);
                    }

                    @Override
                    public void queueMoved() {
                        dispatcher.poke();
                    }

                    @Override
                    public void agentSaved(String agent) {
                        agents.reloadLater(agent);
                    }

                    @Override
                    public void userSaved(String user) {
                        AuthService a = authRef[0];
                        if (a != null) a.users().reloadLater(user); // null while starting: it reads them all then
                    }

                    @Override
                    public void loggedOut(String token, long expires) {
                        AuthService a = authRef[0];
                        if (a != null) a.loggedOutElsewhere(token, expires);
                    }

                    @Override
                    public void loginFailed(String user, String address) {
                        AuthService a = authRef[0];
                        if (a != null) a.loginFailedElsewhere(user, address);
                    }

                    @Override
                    public void loginSucceeded(String user, String address) {
                        AuthService a = authRef[0];
                        if (a != null) a.loginSucceededElsewhere(user, address);
                    }

                    @Override
                    public void projectSaved(String project) {
                        Schedules s = schedulesRef[0];
                        if (s != null) s.reloadLater(project); // null while starting: it registers them all then
                    }

                    @Override
                    public void listeningAgain() {
                        agents.reloadAllLater();
                        AuthService a = authRef[0];
                        if (a != null) {
                            a.users().reloadLater(null);
                            a.reloadEndedSessionsLater();
                        }
                        Schedules s = schedulesRef[0];
                        if (s != null) s.reloadLater(null);
                        dispatcher.poke();
                    }
                }) : null;
        relay[0] = relay0;
        // an agent another server saved between startAll and LISTEN was not heard of: read them all once more
        if (relay0 != null) agents.reloadAllLater();
        ClusterMember member = clustered ? new ClusterMember(serverId, version(), registry, runs, logs,
                events, dispatcher::afterHeartbeat, fence, clusterSettings, clock,
                () -> new io.stoker.server.cluster.ConnectedAgents(agents.pool().connectedPull())) : null;
        Outbox outbox = new Outbox(db, box, clock, serverId);
        if (!clustered) {
            // alone on its H2 file (one process opens it): a claim found there is a killed predecessor's, and what it
            // was sending goes out on the sender's first tick, not when the claim runs out
            int released = outbox.releaseClaimsNotOf(java.util.Set.of(serverId), clock.instant());
            if (released > 0) {
                LOG.info("outbox: {} that the last process was sending when it stopped {} due again now",
                        io.stoker.model.Plural.of(released, "delivery", "deliveries"), released == 1 ? "is" : "are");
            }
        }
        LogStreamSettings logStreamSettings = LogStreamSettings.fromEnv(env);
        HttpLogShipper httpLogs = new HttpLogShipper(logStreamSettings.outbox().timeout(), logStreamSettings.maxRequest());
        KafkaLogShipper kafkaLogs = new KafkaLogShipper(logStreamSettings.outbox().timeout());
        LogStreams logStreams = new LogStreams(new LogStreamRepository(db, box, clock, clustered ? serverId : null),
                combinedLogs, key -> {
            try {
                return runs.find(key).map(RunRow::isFinal).orElse(true);
            } catch (java.sql.SQLException e) {
                return false; // asked again later
            }
        }, logStreamSettings, clock, List.of(httpLogs, kafkaLogs));
        // events out: pending deliveries of an earlier process go out on the sender's first tick
        OutboxSettings outboxSettings = OutboxSettings.fromEnv(env);
        MailSettings mail = MailSettings.fromEnv(env);
        OutboxSender outboxSender = new OutboxSender(outbox, outboxSettings, clock, Map.of(
                Notifications.EMAIL, new MailTransport(mail, () -> smtpPassword(mail, secrets)),
                Notifications.NTFY, new NtfyTransport(outboxSettings.timeout(), clock)));
        String[] ownUrl = {""}; // known once listening (port 0)
        // links to run pages name the server as its users reach it (a proxy's address), else as it listens
        String publicUrl = env.getOrDefault("STOKER_PUBLIC_URL", "").trim().replaceAll("/+$", "");
        java.util.function.Supplier<String> runPages = () -> publicUrl.isEmpty() ? ownUrl[0] : publicUrl;
        EndsTold ends = new EndsTold(db); // which tellers have told a run's end, so each tells it once
        StartsTold starts = new StartsTold(db); // and its start
        QueuedTold queuedTold = new QueuedTold(db); // and that it is queued (its commit status's pending)
        StatusWebhooks statusWebhooks = new StatusWebhooks(outbox, outboxSender, runs, runPages, starts, ends);
        events.subscribe(statusWebhooks::onEvent);
        // a Jobfile's notify { webhook status/logs } join each run's receivers before its first event; the status
        // webhooks' 'queued' goes out once they are all known, before the run may start anywhere
        RunService runService = new RunService(runs, projects, dispatcher, clock,
                new JobfileWebhooks(outbox, logStreams, secrets::resolve)::subscribe, statusWebhooks::receiversKnown);
        ServerGauges.register(metrics.registry(), () -> runs.queuedKeys().size(), config.slots(), agents.pool(), logs,
                compiler);
        StalledRuns stalled = new StalledRuns(runs, config.stalledRunAfter(), clock);
        Deployments deployments = new Deployments(versionStore, deploymentHistory, projects, runService, events,
                data.resolve("staged"), data.resolve("deployments"), clock, clustered);
        failed.forEach(deployments::interrupted); // a deployment the crash cut short is closed, not left running
        jobTrigger.bind(runService, dispatcher);
        TriggerState triggerState = new TriggerState(db);
        // no catch-up: firings missed while the server was down are dropped; the stored tick only stops a
        // restart (or a clock set back) from firing the same minute twice
        Instant since = triggerState.lastTick(Schedules.CLOCK_NAME)
                .filter(t -> t.isAfter(triggerClock.instant())).orElse(triggerClock.instant());
        WebhookSecret webhookSecret = WebhookSecret.load(data, config.webhookSecret());
        Schedules triggers = new Schedules(projects, runService, mirrors, credentials, triggerState,
                new TriggerClock<ScheduleKey>(triggerClock, since));
        UpstreamTriggers upstream = new UpstreamTriggers(projects, runService, runs, ends);
        PushHooks hooks = new PushHooks(projects, runService, mirrors, credentials, webhookSecret::current,
                new SeenDeliveries(db, clock, SeenDeliveries.DEFAULT_RETENTION),
                OutboxSettings.get(env, "STOKER_WEBHOOK_ANSWER_WITHIN", PushHooks.DEFAULT_ANSWER_WITHIN),
                triggerState::markSeen); // a commit a push built is seen by the job's poll too
        projects.onChange(triggers::reload);
        // the other servers of a cluster register the project's schedules again too (they are kept in memory)
        if (relay0 != null) projects.onChange(relay0::projectSaved);
        schedulesRef[0] = triggers;
        projects.onDelete(secretStore::dropGrantsOf);
        projects.onDelete(deploymentHistory::forget);
        projects.onDelete(versionStore::forget); // a new project of the name starts with no versions
        projects.onDelete(caches::drop); // nor caches
        projects.onDelete(deployments::projectDeleted);
        projects.onDelete(new PublicProjects(db)::forget); // a new project of the name is not public unasked
        events.subscribe(upstream::onEvent);
        events.subscribe(agents::onEvent);
        CommitStatuses commitStatuses = new CommitStatuses(outbox, outboxSender, runs, projects,
                secrets::resolve, runPages, TokenRetry.fromEnv(env), queuedTold, starts, ends);
        events.subscribe(commitStatuses::onEvent);
        projects.onJobfileProblem(commitStatuses::jobfileProblem); // a pushed commit whose Jobfile does not compile
        Notifications notifications = new Notifications(outbox, outboxSender, runs,
                new RunReports(logs, runPages, clock), (project, names) -> secrets.resolve(project, names).values(),
                mail.configured(), starts, ends, new io.stoker.server.notify.GatesTold(db));
        events.subscribe(notifications::onEvent);
        UntoldNews untold = new UntoldNews(queuedTold, starts, ends, java.util.Map.of(
                EndTeller.STATUS_WEBHOOKS, statusWebhooks::onEvent, EndTeller.NOTIFICATIONS, notifications::onEvent,
                EndTeller.COMMIT_STATUSES, commitStatuses::onEvent, EndTeller.AFTER_TRIGGERS, upstream::onEvent), clock);
        // after the run's end is stored and told: a discarded run's key answers 404 from then on
        RetentionRepository finishedRuns = new RetentionRepository(db);
        RunRetention retention = new RunRetention(finishedRuns, retentionPolicy, runsRoot, clock);
        // a deleted project's runs go with it, discarded as retention discards them; one with runs not ended stays
        DeletedProjectRuns deletedRuns = new DeletedProjectRuns(finishedRuns, retention);
        projects.guardDelete(deletedRuns::refuseWhileGoing);
        projects.onDelete(deletedRuns::forget);
        events.subscribe(retention::onEvent);
        // every server's ends: in a cluster the run whose log this server sends may end on another server
        events.subscribeCluster(logStreams::onEvent);
        if (clustered) {
            // the server running a run writes its combined log (read by the subscribing server from the shared data
            // directory, and by Build-Shuttle's log endpoint), whichever server took the request
            dispatcher.onClaimed(row -> {
                try {
                    if ("shuttle".equals(row.trigger()) || logStreams.streamed(row.key())) combinedLogs.tap(row.key());
                } catch (java.sql.SQLException e) {
                    LOG.warn("run {}: cannot tell whether its log is streamed: {}", row.key(), e.toString());
                }
            });
        }
        outboxSender.countAttempts(new DeliveryMetrics(metrics.registry()));
        io.micrometer.core.instrument.FunctionCounter.builder("stoker.log.stream", httpLogs, HttpLogShipper::bytesAcknowledged)
                .baseUnit("bytes").tag("kind", "http").description("bytes of run logs their receivers acknowledged")
                .register(metrics.registry());
        io.micrometer.core.instrument.FunctionCounter.builder("stoker.log.stream", kafkaLogs, KafkaLogShipper::bytesAcknowledged)
                .baseUnit("bytes").tag("kind", "kafka").description("bytes of run logs their receivers acknowledged")
                .register(metrics.registry());
        triggers.reloadAll();
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();

        VertxFileCache fileCache = VertxFileCache.in(tmp, serverId, clustered);
        Vertx vertx = Vertx.vertx(fileCache.options());
        try {
            if (alive != null) alive.keepUp(vertx);
            StartupRuns.check(projects, config.startupRuns()); // a --run naming no job is a start error
            AuthService auth = AuthService.open(vertx, db, data, audit, authClock, relay0 == null ? AuthService.Peers.NONE
                    : new AuthService.Peers() {
                        @Override
                        public void userSaved(String username) {
                            relay0.userSaved(username);
                        }

                        @Override
                        public void loggedOut(String tokenId, long expiresEpochSecond) {
                            relay0.loggedOut(tokenId, expiresEpochSecond);
                        }

                        @Override
                        public void loginFailed(String username, String address) {
                            relay0.loginFailed(username, address);
                        }

                        @Override
                        public void loginSucceeded(String username, String address) {
                            relay0.loginSucceeded(username, address);
                        }
                    }, passwordCost);
            authRef[0] = auth;
            // a user another server saved between reading them all and now was not heard of: read them once more
            if (relay0 != null) auth.users().reloadLater(null);
            ProjectMembers members = new ProjectMembers(db);
            ConnectionGuard guard = new ConnectionGuard(vertx, config.idleTimeout(), config.bodyTimeout(),
                    config.maxConnectionsPerAddress());
            AgentConnectRoute agentConnect = new AgentConnectRoute(new AgentTokens(db, audit, clock), agents.pool(),
                    new PullAgent.Settings(config.agentSettings().heartbeat(), config.agentSettings().lostTimeout()),
                    guard::hold);
            ClusterView clusterView = member != null ? member : singleServer(serverId, ownUrl, clock, dispatcher, agents.pool());
            Router router = ApiRouter.create(vertx, config.maxBodyBytes(), projects, runService, dispatcher, logs, artifacts, events,
                    tmp, version(), ContainerWiring.describe(containers), hooks, new GenericHooks(projects, runService, secrets), webhookSecret,
                    new SecretRoutes(secretStore, audit, members),
                    new AgentRoutes(agents, new AgentTokenRoutes(new AgentTokens(db, audit, clock)), agentConnect), new ConsoleRoutes(db, projects, runService, runs, agents, logs, config.slots(),
                    clock, ServerSettings.of(config, ContainerWiring.describe(containers)), audit,
                    key -> engine.find(key).map(io.stoker.engine.run.RunHandle::awaitingRuns).orElse(java.util.Set.of())), auth, members, audit, () -> health(db.health(), stalled, ready.get()), outbox, logStreams,
                    new ApprovalRoutes(new ApprovalService(runService, gates, audit,
                            relay0 == null ? null : relay0::decide)),
                    new VersionService(versionStore, projects, deployedNow, runs::numbers), new DeploymentRoutes(deployments, runs::numbers),
                    new TargetRoutes(new TargetStatuses(deploymentHistory, named -> projects.deployTargets(named).stream()
                            .map(io.stoker.model.DeployTarget::name).toList()), runs::numbers),
                    new ShuttleRoutes(new ShuttleService(db, projects, git, runService, dispatcher, outbox, logStreams,
                            combinedLogs, ShuttleSettings.fromEnv(env), data.resolve("staged"),
                            ContainerWiring.imageFilesystem(containers), secretStore, clock)),
                    new ClusterRoutes(clusterView, serverId), member != null ? RunHolders.cluster(runs, member)
                            : RunHolders.lone(runs, clusterView, serverId),
                    new RunSecretMasks(runs, (project, names) -> secrets.resolve(project, names).values()),
                    new NextFirings(triggerClock), new io.stoker.server.api.CacheRoutes(caches, projects, audit));
            router.route().order(-1).handler(guard); // before every other route: refusals and the body deadline
            router.route().order(-1).handler(new ClientAddress(proxies));
            MetricsRoute.mount(router, metrics, auth, config.metricsPublic()); // after the guard (same order)
            // no h2c: Vert.x would wait for a connection's first bytes to tell HTTP/2 from 1.1, and the guard would
            // only then see it, so a connection that never sends a byte could not be counted or closed as idle
            HttpServerOptions options = new HttpServerOptions().setCompressionSupported(false)
                    .setHttp2ClearTextEnabled(false)
                    // pull agents' frames travel as one WebSocket message each (a workspace listing may be large)
                    .setMaxWebSocketFrameSize(FrameCodec.MAX_FRAME + 16)
                    .setMaxWebSocketMessageSize(FrameCodec.MAX_FRAME + 16);
            // HTTPS only when configured: the port then speaks nothing but TLS
            if (tls != null) options.setSsl(true).setKeyCertOptions(tls.options());
            HttpServer http = vertx.createHttpServer(options)
                    .invalidRequestHandler(new InvalidRequests())
                    .connectionHandler(guard::connected)
                    .requestHandler(router).listen(config.port(), config.bind())
                    .toCompletionStage().toCompletableFuture().get();
            ownUrl[0] = url(config, http.actualPort());
            // only once the port is ours: a first start that fails (the port taken) must not leave an admin behind
            // whose generated password was never shown. Shown once: only a password nobody chose needs telling.
            String generated = auth.users().createFirstAdmin(config.adminPassword())
                    .filter(pw -> config.adminPassword() == null).orElse(null);
            outboxSender.start();
            logStreams.start();
            guard.start();
            // takes over what lost servers left (runs, log streams they were sending), then heartbeats
            if (member != null) member.start(() -> ownUrl[0], lost -> {
                        deployments.interrupted(lost);
                        agents.pool().forgetEverywhere(List.of(lost.key()));
                    }, heard -> {
                        logStreams.takeOver(heard);
                        untold.tellLost(heard); // what lost servers' tellers had not told of their runs' starts and ends
                        // what lost servers' senders were sending goes out now, not when their claims run out
                        int released = outbox.releaseClaimsOf(registry.lost(heard), clock.instant());
                        if (released > 0) {
                            LOG.info("cluster: {} deliveries that lost servers were sending are due again now", released);
                            outboxSender.poke();
                        }
                    },
                    gone -> {
                        sweepScratch(tmp.resolve("scratch-" + gone));
                        ContainerWiring.reapGone(containers, data, gone);
                    }, holders -> agents.pool().stopLeftovers(byOwner(holders, data), LEFTOVER_STOP));
            // what a crash kept the tellers from telling: the starts first, of the runs it cut short too, so that their
            // ends, announced next, come after them; the ends of runs that had ended before it
            if (member == null) untold.tellAll(failed.stream().map(RunRepository.Interrupted::key).toList());
            RunRecovery.announce(failed, runs, events, clock); // their statuses and notifications say how they ended
            dispatcher.poke(); // queued runs resume
            triggers.start(vertx);
            stalled.start();
            List<String> startupRuns = StartupRuns.start(projects, runService, config.startupRuns());
            ready.set(true);
            LOG.debug("stoker server ready on {} ({})", ownUrl[0], io.stoker.model.Plural.of(startupRuns.size(), "startup run")); // the CLI prints it
            // not before: the worker JVM's warm-up would compete with the start for the CPU (~1 s sooner on 2 cores)
            if (isolated != null) isolated.warmUp();
            ServerReady readyEvent = new ServerReady(ownUrl[0], startupRuns, clock.instant());
            events.publish(readyEvent);
            StokerServer server = new StokerServer(config, db, engine, dispatcher, isolated, vertx, http,
                    failed.stream().map(RunRepository.Interrupted::key).toList(), router,
                    triggers, upstream, auth, audit, generated, agents, stalled, outboxSender, statusWebhooks,
                    commitStatuses, logStreams, notifications, metrics, ContainerWiring.describe(containers),
                    deployments);
            server.readyEvent = readyEvent;
            server.cluster = member;
            server.relay = relay0;
            server.serverId = serverId;
            server.fileCache = fileCache;
            server.checkouts = checkouts;
            server.pushHooks = hooks;
            server.retention = retention.start();
            return server;
        } catch (Exception e) {
            stalled.close();
            outboxSender.close();
            statusWebhooks.close();
            commitStatuses.close();
            notifications.close();
            logStreams.close();
            triggers.close();
            upstream.close();
            vertx.close().onComplete(closed -> fileCache.remove());
            dispatcher.close();
            engine.close();
            deployments.close();
            if (member != null) member.close();
            if (relay0 != null) relay0.close();
            agents.close();
            if (isolated != null) isolated.close();
            metrics.close();
            checkouts.close();
            retention.close();
            db.close();
            throw e;
        }
    }

    /** {@code GET /cluster} of a server alone on its H2 database: itself, holding the runs it has going. */
    private static ClusterView singleServer(String id, String[] url, Clock clock,
                                                                      RunDispatcher dispatcher,
                                                                      io.stoker.server.agent.AgentPool pool) {
        Instant started = clock.instant();
        return () -> {
            int going;
            try {
                going = dispatcher.goingCount().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                going = 0;
            }
            return List.of(new io.stoker.server.cluster.ClusterServer(id, version(), url[0], started, clock.instant(),
                    true, going, new io.stoker.server.cluster.ConnectedAgents(pool.connectedPull())));
        };
    }

    /**
     * Who this server is to an SSH agent's program: each server of a cluster its own (they share agents, and must
     * not replace each other's connections or see each other's tasks); a lone server the same across restarts (so
     * it finds, and has killed, the tasks it left behind), told apart from another server's by its data directory.
     */
    /** Stops what a dead server of this machine's tasks left running and removes its scratch directory. */
    private static void sweepScratch(Path scratch) {
        try {
            int stopped = LocalExecutor.sweepLeftovers(scratch);
            Files.deleteIfExists(scratch);
            if (stopped > 0) LOG.warn("stopped {} of tasks of a server that is gone ({})", io.stoker.model.Plural.of(stopped, "process", "processes"), scratch);
        } catch (IOException e) {
            LOG.warn("cannot clear {}: {}", scratch, e.toString());
        }
    }

    /**
     * How long a takeover, or a lone server's start, waits for what a lost server's (its own last process's) runs left
     * running on SSH agents to be gone.
     */
    private static final java.time.Duration LEFTOVER_STOP = java.time.Duration.ofSeconds(30);

    /** The runs of lost servers ({@code holders}: run key → its server's id) by their servers' names to the agents. */
    private static Map<String, List<String>> byOwner(Map<String, String> holders, Path data) {
        Map<String, List<String>> byOwner = new java.util.LinkedHashMap<>();
        holders.forEach((key, server) -> {
            if (server == null) return;
            byOwner.computeIfAbsent(agentOwner(true, server, data), o -> new java.util.ArrayList<>()).add(key);
        });
        return byOwner;
    }

    private static String agentOwner(boolean clustered, String serverId, Path data) {
        if (clustered) return "cluster-server " + serverId;
        String where = data.toAbsolutePath().normalize().toString();
        return "server " + java.util.UUID.nameUUIDFromBytes(where.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** This server's id in {@code GET /cluster} (a cluster's members tell each other apart by it). */
    public String serverId() {
        return serverId;
    }

    /** The SMTP password: from the environment, else the global secret it names, else none. */
    private static String smtpPassword(MailSettings mail, SecretResolver secrets) {
        if (mail.password() != null || mail.passwordSecret() == null) return mail.password();
        try {
            return secrets.resolve(null, mail.passwordSecret()).orElse(null);
        } catch (Exception e) {
            LOG.warn("the SMTP password secret '{}' cannot be read: {}", mail.passwordSecret(), e.getMessage());
            return null;
        }
    }

    /**
     * {@code /healthz}: 503 "degraded" with the store's problem in words while it cannot be written; else "ok", or
     * "degraded" with the runs {@link StalledRuns} reports; {@code ready} is true once the server finished starting
     * (startup runs queued). Asks the database only while its problem lasts (at most once a second).
     */
    private static io.stoker.server.api.Health health(io.stoker.server.db.StoreHealth store, StalledRuns stalled,
                                                      boolean ready) {
        var problem = store.problem();
        var runs = stalled.current();
        if (problem.isEmpty() && runs.isEmpty()) {
            return new io.stoker.server.api.Health(200, java.util.Map.of("status", "ok", "ready", ready));
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("status", "degraded");
        body.put("ready", ready);
        problem.ifPresent(p -> body.put("store", p));
        if (!runs.isEmpty()) {
            body.put("stalledRuns", runs.stream().map(r -> java.util.Map.of("key", r.key(), "project", r.project(),
                    "job", r.job(), "status", r.status().label(), "since", r.since().toString())).toList());
        }
        return new io.stoker.server.api.Health(problem.isPresent() ? 503 : 200, body);
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return http.actualPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}, or {@code https://…} when it serves TLS. */
    public String url() {
        return url(config, port());
    }

    private static String url(ServerConfig config, int port) {
        String host = config.bind().equals("0.0.0.0") ? "localhost" : config.bind();
        return (config.tls() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Ticks the trigger clock now and waits until what is due has been handled: the runs cron and poll triggers
     * started. The server also ticks by itself each minute; specs with a moved clock call this instead of waiting.
     */
    public List<StartedRun> tickTriggers() throws Exception {
        return triggers.tick();
    }

    /** What the server announced once it had started, with the keys of the startup runs it queued. */
    public ServerReady ready() {
        return readyEvent;
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
                // a trailing wildcard (…/files/*) is the rest of the path: OpenAPI names it {path}
                String path = route.getPath() + (route.isExactPath() ? "" : "{path}");
                for (var m : route.methods()) {
                    out.add(m.name() + " " + prefix + path.replaceAll(":([A-Za-z_]+)", "{$1}"));
                }
            }
        }
    }

    /**
     * What a started server prints: {@code stoker server VERSION listening on URL (data: DIR, slots: N, containers:
     * podman 4.3.1)} (with {@code db: URL}, password hidden, on PostgreSQL), and on the
     * first start without {@code STOKER_ADMIN_PASSWORD} two more lines with the admin's generated password.
     * Scripts and specs find the URL in the first line, so keep {@code listening on URL} as it is.
     */
    public String banner() {
        String line = "stoker server " + version() + " listening on " + url() + " (data: " + config.dataDir()
                + (config.db() == null ? "" : ", db: " + io.stoker.store.postgres.PostgresUrl.parse(config.db()))
                + ", slots: " + config.slots() + ", containers: " + containerEngine + ")";
        if (generatedAdminPassword == null) return line;
        return line + System.lineSeparator()
                + "first start: created user 'admin' with password " + generatedAdminPassword + System.lineSeparator()
                + "  (shown only now; log in with 'stoker login -u admin' and change it with 'stoker user passwd admin')";
    }

    /** Users, sessions and tokens. */
    public AuthService auth() {
        return auth;
    }

    /** The audit log routes and services record security-relevant actions in. */
    public H2AuditLog audit() {
        return audit;
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

    /**
     * Collects what start-up left behind (one full collection, a few tens of milliseconds) so that the heap shrinks
     * to what the idle server uses before the first periodic collection would: ~150 MiB resident instead of 160–215
     * MiB in the first 20 s. For the process's entry points only; a server embedded in a larger JVM leaves that
     * JVM's heap alone.
     */
    public StokerServer releaseStartupMemory() {
        System.gc();
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

    /**
     * Stops listening, stops the runs still going without ending them (the next start, or a cluster peer, ends them as
     * interrupted, dated now), closes the database.
     */
    @Override
    public void close() throws Exception {
        LOG.info("stoker server on {} stopping", url());
        try {
            http.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            if (pushHooks != null) pushHooks.close(); // no delivery comes in now: those at work are let go
            stalled.close();
            triggers.close();
            upstream.close();
            dispatcher.close();
            engine.close();
            deployments.close(); // after the runs ended: no deployment starts a service any more
            if (cluster != null) cluster.close(); // after the runs ended as cancelled: nothing left to take over
            if (relay != null) relay.close();
            // after the runs ended: their last states are queued; what is not sent yet waits for the next start
            statusWebhooks.close();
            commitStatuses.close();
            notifications.close();
            outboxSender.close();
            logStreams.close(); // pending streams resume from their acknowledged offsets at the next start
            agents.close();
            if (compiler != null) compiler.close();
            metrics.close();
            checkouts.close(); // after the runs ended: no workspace is moved in or out any more
            if (retention != null) retention.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
            if (fileCache != null) fileCache.remove();
            db.close();
            LOG.info("stoker server stopped");
            closed.countDown();
        }
    }

    /**
     * The Argon2id cost of new password hashes ({@value #PASSWORD_HASH_ENV}, OWASP's minimum by default). A lower one
     * is the test suite's, whose servers each hash and verify an admin's password: it saves CPU, and says so.
     */
    private static PasswordHasher.Cost passwordCost(String text) {
        if (text == null || text.isBlank()) return PasswordHasher.Cost.DEFAULT;
        PasswordHasher.Cost cost;
        try {
            cost = PasswordHasher.Cost.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PASSWORD_HASH_ENV + ": " + e.getMessage());
        }
        if (cost.belowOwaspMinimum() && !WARNED_PASSWORD_COST.getAndSet(true)) { // once a JVM: a suite starts hundreds
            LOG.warn("{}={}: new password hashes are cheaper to guess than OWASP's minimum (m=19456,t=2,p=1);"
                    + " fit for tests only", PASSWORD_HASH_ENV, cost);
        }
        return cost;
    }

    /**
     * At most {@code compiles} worker JVMs compiling at once (more wait, a few; beyond, a 503); one warm worker JVM,
     * reaped when idle; cold ones start from a class-data archive kept in the data dir. Made once
     * the sandbox probe, which compiles a Jobfile in a cold worker JVM (~2 s), has chosen the wrapper: the server
     * listens meanwhile, and only a compile waits for it. Its warm worker starts once the server is ready (see start).
     */
    private static ProbedIsolatedCompiler isolatedCompiler(Path data, java.time.Duration jobfileCpu, int compiles) {
        return ProbedIsolatedCompiler.start(sandbox -> {
            WorkerSettings defaults = jobfileCpu.equals(io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.timeout())
                    ? WorkerSettings.defaultsWith(sandbox) : WorkerSettings.defaultsWith(sandbox).withEvaluationBudget(jobfileCpu);
            return defaults.withClassData(ClassDataArchive.in(data.resolve("cds"), defaults));
        }, compiles);
    }
}

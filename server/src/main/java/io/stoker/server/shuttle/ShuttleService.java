package io.stoker.server.shuttle;

import io.stoker.engine.run.RunState;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import io.stoker.server.Refused;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.auth.Role;
import io.stoker.server.logstream.CombinedLog;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.StatusWebhooks;
import io.stoker.server.project.GitProjects;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.ProjectSpec;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.engine.files.FileTrees;
import io.stoker.container.ImageFilesystem;
import io.stoker.server.secret.SecretStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Builds for Build-Shuttle callers. An app is the Stoker project of the same name (freestyle, created on its first
 * build with that build's Jobfile); a build is one run of it, its id kept in {@code shuttle_builds} (unique per
 * app). The source is fetched while the POST waits, into a staging directory the dispatcher moves into the run's
 * workspace. A {@code docker://} destination adds a push task ({@link DestinationPush}) whose login is kept as a
 * project secret ({@link DestinationLogins}). Blocking: call from a worker thread.
 */
public final class ShuttleService {
    /** The trigger of a Build-Shuttle build's run. */
    public static final String TRIGGER = "shuttle";

    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final java.util.regex.Pattern APP = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<RunState> BUILDING = Set.of(RunState.QUEUED, RunState.RUNNING);

    private final ProjectService projects;
    private final RunService runs;
    private final RunDispatcher dispatcher;
    private final Outbox outbox;
    private final LogStreams logStreams;
    private final CombinedLog combined;
    private final ShuttleBuilds builds;
    private final ProjectMembers members;
    private final SourceFetcher fetcher;
    private final DestinationLogins logins;
    private final ShuttleSettings settings;
    private final Path staged;

    /**
     * @param staged  where sources wait for their run ({@code <staged>/<run key>}, see {@link RunDispatcher})
     * @param images  exports docker:// sources; null on a server without a container engine
     * @param secrets keeps a docker:// destination's login for its push step
     */
    public ShuttleService(io.stoker.server.db.Database db, ProjectService projects, GitProjects git, RunService runs,
                          RunDispatcher dispatcher, Outbox outbox, LogStreams logStreams, CombinedLog combined,
                          ShuttleSettings settings, Path staged, ImageFilesystem images, SecretStore secrets, Clock clock) {
        this.projects = projects;
        this.runs = runs;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.logStreams = logStreams;
        this.combined = combined;
        this.builds = new ShuttleBuilds(db);
        this.members = new ProjectMembers(db);
        this.fetcher = new SourceFetcher(git, images, settings.maxSourceBytes());
        this.logins = new DestinationLogins(secrets, builds, runs, clock);
        this.settings = settings;
        this.staged = staged;
    }

    public ShuttleSettings settings() {
        return settings;
    }

    /** A build's state as the status endpoint tells it. */
    public record Status(boolean building, String status, Object metadata) {
    }

    /**
     * As under {@code /projects}: an app's project is changed (built, stopped) only by an admin or one of its members;
     * whoever builds an app first becomes a member of the project made for it. Refused with 403 otherwise.
     */
    private void mayChange(String app, Principal who) throws SQLException {
        if (who.role() == Role.ADMIN || !members.projectExists(app) || members.isMember(app, who.username())) return;
        throw new Refused.Forbidden("you are not a member of project '" + app + "'",
                List.of("members and admins may build an app; ask one to add you"));
    }

    /** Fetches the source, compiles its Jobfile (or a default one) and queues the run; 409 for a known build id. */
    void start(ShuttleRequest req, Principal who) throws SQLException, IOException {
        mayChange(req.app(), who);
        // a git source on the server's disk is read with its rights: an admin's to name, as a project's gitUrl is
        projects.localRepositories().check(req.sourceUrl(), who.role() == Role.ADMIN, "source.url");
        if (builds.runKey(req.app(), req.build()).isPresent()) {
            throw new Refused.Conflict("exists", "build '" + req.build() + "' of app '" + req.app() + "' exists already");
        }
        if (!APP.matcher(req.app()).matches()) {
            throw new Refused.Malformed("the app id must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        for (String name : req.arguments().keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new Refused.Malformed("'arguments." + name + "' is not an environment variable name (letters, digits, '_')");
            }
        }
        Path incoming = staged.resolve(".incoming-" + UUID.randomUUID());
        Files.createDirectories(incoming);
        try {
            fetcher.fetch(req.app(), req.sourceUrl(), incoming);
            BuildPlan plan = BuildPlan.of(incoming);
            Jobfile jobfile = projects.compile(plan.file(), plan.text());
            Job job = withEnv(jobfile.job("build").orElse(jobfile.jobs().getFirst()), req.arguments());
            if (ensureProject(req.app(), plan)) members.add(req.app(), who.username(), Instant.now());
            logins.sweep(req.app());
            String login = req.destination() == null || req.destination().login() == null ? null
                    : logins.keep(req.app(), req.destination().login());
            if (req.destination() != null) {
                String sourceImage = DockerUrl.is(req.sourceUrl()) ? DockerUrl.parse("source.url", req.sourceUrl()).reference() : null;
                job = DestinationPush.append(job, incoming, req.destination(), sourceImage, login);
            }
            runs.start(req.app(), job, Map.of(), req.metadata(), TRIGGER, who.username(), key -> {
                if (!builds.insert(req.app(), req.build(), key, login)) {
                    throw new Refused.Conflict("exists", "build '" + req.build() + "' of app '" + req.app() + "' exists already");
                }
                try {
                    Files.move(incoming, staged.resolve(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, key -> {
                combined.tap(key); // the logs endpoint reads the combined log
                outbox.subscribe(key, StatusWebhooks.KIND, req.statusHooks());
                logStreams.subscribe(key, req.logHooks());
            });
        } finally {
            FileTrees.deleteQuietly(incoming); // gone already when the run took it
        }
    }

    /** The server's extra build arguments, then the Jobfile's env, then the caller's arguments (which win). */
    private Job withEnv(Job job, Map<String, String> arguments) {
        Map<String, String> env = new LinkedHashMap<>(settings.extraBuildArgs());
        env.putAll(job.env());
        env.putAll(arguments);
        return new Job(job.name(), job.description(), job.parameters(), env, job.secrets(), job.timeoutMillis(),
                job.agent(), job.concurrency(), job.retryOnRestart(), job.triggers(), job.tasks(), job.notifications(), job.publish(),
                job.pos());
    }

    /** Makes the app's project when there is none; true when this call made it. */
    private boolean ensureProject(String app, BuildPlan plan) throws SQLException {
        try {
            projects.get(app);
            return false;
        } catch (Refused.NotFound absent) {
            try {
                projects.create(new ProjectSpec(app, null, null, plan.text(), plan.file(), null, null));
                return true;
            } catch (Refused.Conflict raced) {
                return false; // another build of the same app created it meanwhile
            }
        }
    }

    /** Stops a queued or running build; 422 when it is over. */
    CompletableFuture<Void> stop(String app, String build, Principal who) throws SQLException {
        mayChange(app, who);
        RunRow run = run(app, build);
        return dispatcher.cancel(run.key()).thenAccept(c -> {
            if (c == RunDispatcher.Cancel.NOT_ACTIVE) {
                throw new Refused.Invalid("build '" + build + "' of app '" + app + "' is not running",
                        List.of("status: " + run.status().label()));
            }
        });
    }

    Status status(String app, String build) throws SQLException {
        RunRow run = run(app, build);
        return new Status(BUILDING.contains(run.status()), run.status().label(), run.metadata());
    }

    /**
     * The file of the build's log as far as it is written, each line prefixed with its task; empty before its first
     * line. Sent from the file: a log of hundreds of MB is never read into memory.
     */
    java.util.Optional<Path> log(String app, String build) throws SQLException {
        Path file = combined.file(run(app, build).key());
        return Files.isRegularFile(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }

    private RunRow run(String app, String build) throws SQLException {
        String key = builds.runKey(app, build)
                .orElseThrow(() -> new Refused.NotFound("no build '" + build + "' of app '" + app + "'"));
        return runs.get(key);
    }
}

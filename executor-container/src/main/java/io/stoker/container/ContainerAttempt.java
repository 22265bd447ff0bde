package io.stoker.container;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.ArtifactZip;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.engine.image.ImageDigest;
import io.stoker.model.Container;
import io.stoker.model.HostAccess;
import io.stoker.model.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt in a container. A setup thread makes sure the images are there (per the pull policy), starts the
 * task's long-lived container (workspace and the attempt's scratch directory mounted at their own paths, a
 * {@code sleep} as its process), starts the services in its network namespace (reachable by name through
 * {@code --add-host NAME:127.0.0.1}) and retries their {@code ready} commands; then one {@code exec} runs the
 * attempt's steps in order, exactly as the host executor would (same step driver, {@code /bin/sh} for plain
 * steps). The attempt's variables reach the container as {@code -e NAME}: values travel in the engine client's
 * environment, never on a command line. Every container of the attempt is removed with its volumes right after it
 * ends (off the task's path), when it is killed, or when it fails to start.
 */
final class ContainerAttempt implements RunningTask {
    // the JDK's logger: this class also runs in the agent program, whose jar has no SLF4J
    private static final System.Logger LOG = System.getLogger(ContainerAttempt.class.getName());
    /** Exit code of an attempt whose containers could not be prepared (the engine's own "could not run"). */
    static final int SETUP_FAILED = 125;
    private static final int KILLED = 137;
    /** The exit code of a command that was not found, the engine's too when the exec's program is not in the image. */
    private static final int NOT_FOUND = 127;
    private static final String SHELL = ContainerExecutor.IN_CONTAINER_SHELL;
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(2);
    private static final long READY_PAUSE_MILLIS = 500;

    private final EngineCli cli;
    /** The setup's own client (inspect, pull, run, ready checks): a kill stops it, not the removal that follows. */
    private final EngineCli setup;
    private final ContainerEngine engine;
    private final ContainerSettings settings;
    private final LocalExecutor.Prepared prepared;
    private final TaskLaunch launch;
    private final Container container;
    private final AttemptNames names;

    private final CompletableFuture<RunningTask> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final LateStreams.Notes notes = new LateStreams.Notes();
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputStream stdin;
    private volatile boolean killed;
    private volatile String failure;
    /** What the setup waits for while a service's ready check fails; said in the log when a kill stops the wait. */
    private volatile String notReady;
    private final List<ImageDigest> images = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ContainerAttempt(EngineCli cli, ContainerEngine engine, ContainerSettings settings, LocalExecutor.Prepared prepared) {
        this.cli = cli;
        this.setup = new EngineCli(engine);
        this.engine = engine;
        this.settings = settings;
        this.prepared = prepared;
        this.launch = prepared.launch();
        this.container = launch.container();
        this.names = AttemptNames.of(settings.owner(), launch);
        this.stdout = LateStreams.input(started, RunningTask::stdout);
        this.stderr = new SequenceInputStream(notes, LateStreams.input(started, RunningTask::stderr));
        this.stdin = LateStreams.stdin(started);
    }

    static ContainerAttempt start(EngineCli cli, ContainerEngine engine, ContainerSettings settings,
                                  LocalExecutor.Prepared prepared) {
        var attempt = new ContainerAttempt(cli, engine, settings, prepared);
        // a platform thread: it blocks on engine commands for as long as a pull takes
        Thread.ofPlatform().daemon().name("container-" + attempt.names.task()).start(attempt::prepareAndRun);
        return attempt;
    }

    private void prepareAndRun() {
        try {
            String digest = image(container.image(), container.pull());
            // the log and the run record say exactly what the task ran in
            if (!digest.isEmpty()) {
                notes.line("image " + container.image() + " has the image ID " + digest);
                images.add(new ImageDigest(container.image(), digest, ImageDigest.Use.RAN));
            }
            for (Service s : container.services()) {
                String service;
                try {
                    service = image(s.image(), container.pull());
                } catch (IOException e) { // which of the task's images it was
                    throw new IOException("service '" + s.name() + "': " + e.getMessage(), e);
                }
                if (!service.isEmpty()) images.add(new ImageDigest(s.image(), service, ImageDigest.Use.RAN));
            }
            startTaskContainer();
            for (Service s : container.services()) startService(s);
            for (Service s : container.services()) awaitReady(s);
            stopIfKilled();
            List<String> exec = new ArrayList<>(List.of("exec"));
            if (launch.pipedStdin()) exec.add("-i");
            exec.addAll(List.of("-w", launch.workspace().toString()));
            for (String name : prepared.env().keySet()) exec.addAll(List.of("-e", name));
            exec.add(names.task());
            exec.addAll(prepared.command());
            RunningTask steps = prepared.start(cli.command(exec), engine.env(), false);
            notes.close();
            started.complete(steps);
            if (killed) steps.kill(); // killed while the exec started: its container is being removed anyway
            steps.onExit().whenComplete((code, error) -> {
                if (code != null && code == NOT_FOUND && !killed) explainMissingShell();
                exit.complete(killed ? KILLED : code == null ? SETUP_FAILED : code);
                // the steps are over: removing the containers (~0.3 s with podman) need not hold the task's end
                Thread.ofPlatform().daemon().name("container-rm-" + names.task()).start(this::removeContainers);
            });
        } catch (Killed k) {
            endKilled();
        } catch (IOException | RuntimeException e) {
            if (killed) { // its pull or start was stopped by the kill: that is why it failed
                endKilled();
                return;
            }
            failure = e.getMessage(); // the engine's end line for the task says it
            end(SETUP_FAILED);
        }
    }

    /**
     * Ends an attempt a kill (a cancel, a timeout) stopped before its steps: one stopped while a service was not ready
     * says which, or the log of a task that timed out waiting for its database would not say what it waited for.
     */
    private void endKilled() {
        String waiting = notReady;
        if (waiting != null) notes.line("stopped while " + waiting);
        end(KILLED);
    }

    /** Ends an attempt whose steps never started. */
    private void end(int code) {
        notes.close();
        started.completeExceptionally(new IOException("the task's container did not start"));
        removeContainers();
        exit.complete(code);
    }

    /**
     * Makes sure the image is on the host per the pull policy and returns its image ID, {@code sha256:…} (empty when
     * the engine has none): one {@code image inspect} answers both when no pull is needed.
     */
    private String image(String image, Container.PullPolicy pull) throws IOException {
        stopIfKilled();
        EngineCli.Result inspected = inspect(image);
        if (pull == Container.PullPolicy.NEVER && !inspected.ok()) {
            throw new IOException("image '" + image + "' is not on this host and the pull policy is 'never'");
        }
        if (pull == Container.PullPolicy.ALWAYS || !inspected.ok()) {
            notes.line("pulling " + image);
            pull(image);
            inspected = inspect(image);
        }
        if (!inspected.ok()) return "";
        // the ID (its config's digest) names what ran on every host and in the registry; a manifest digest does not:
        // an image built here has one of its own that the registry never serves (the push compresses its layers)
        String id = inspected.output().strip();
        return id.isEmpty() || id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    /** Pulls with the task's registry login. */
    private void pull(String image) throws IOException {
        new ImagePull(setup, settings.insecureRegistries(), settings.pullTimeout())
                .pull(image, launch.registryLogin(), "registryCredentials 'SECRET'");
    }

    private EngineCli.Result inspect(String image) throws IOException {
        return setup.run(COMMAND_LIMIT, "image", "inspect", "--format", "{{.Id}}", image);
    }

    private void startTaskContainer() throws IOException {
        stopIfKilled();
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", names.task()));
        args.addAll(names.labels(launch.task()));
        for (Service s : container.services()) args.addAll(List.of("--add-host", s.name() + ":127.0.0.1"));
        // asked for in the Jobfile, and allowed for the project by its admin before the run started
        HostAccess host = container.hostAccess();
        if (host.privileged()) args.add("--privileged");
        if (host.hostNetwork()) args.addAll(List.of("--network", "host"));
        for (String m : host.mounts()) args.addAll(List.of("-v", mount(Path.of(m))));
        args.addAll(List.of("-v", mount(launch.workspace()), "-v", mount(prepared.dir()),
                "-w", launch.workspace().toString(), "--pull", "never", "--entrypoint", "sleep", container.image(),
                "2147483647"));
        EngineCli.Result r = setup.run(COMMAND_LIMIT, args, Map.of());
        if (!r.ok() && r.output().contains("\"sleep\": executable file not found")) {
            throw new IOException("cannot start the task's container from '" + container.image() + "': the image has no"
                    + " 'sleep', which keeps the container up while the steps run: use an image with a shell and sleep"
                    + " (busybox, alpine, debian…)");
        }
        if (!r.ok()) throw new IOException("cannot start the task's container from '" + container.image() + "': " + r.lastLine());
        notes.line("running in " + container.image() + " (" + engine.describe() + ")");
    }

    /**
     * The steps exited 127: when that is because the image has no {@code /bin/sh} to run them (the engine's own
     * "not found", which would otherwise read as a step's), the task's reason says so.
     */
    private void explainMissingShell() {
        if (prepared.command().isEmpty() || !SHELL.equals(prepared.command().getFirst())) return;
        try {
            EngineCli.Result probe = setup.run(COMMAND_LIMIT, "exec", names.task(), SHELL, "-c", ":");
            if (probe.exit() == NOT_FOUND && probe.output().contains(SHELL)) {
                failure = "image '" + container.image() + "' has no " + SHELL + ", which runs the task's steps: use an"
                        + " image with a shell, or write the task as one step starting with #! and its interpreter";
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot check the image for a shell: " + e.getMessage());
        }
    }

    private void startService(Service s) throws IOException {
        stopIfKilled();
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", names.service(s.name())));
        args.addAll(names.labels(launch.task()));
        args.addAll(List.of("--network", "container:" + names.task(), "--pull", "never"));
        // service env is plain Jobfile text, never a secret: it may sit on the command line
        s.env().forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(s.image());
        args.addAll(s.command());
        run(args, "cannot start service '" + s.name() + "' from '" + s.image() + "'");
    }

    private void awaitReady(Service s) throws IOException {
        if (s.ready() == null) return;
        long start = System.nanoTime();
        long deadline = start + settings.readyTimeout().toNanos();
        EngineCli.Result last;
        do {
            stopIfKilled();
            last = setup.run(COMMAND_LIMIT, "exec", names.service(s.name()), "sh", "-c", s.ready());
            if (last.ok()) {
                notReady = null;
                notes.line("service " + s.name() + " is ready after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                return;
            }
            if (notReady == null) { // once: the wait may take minutes, and the log should not look stuck meanwhile
                notes.line("waiting for service " + s.name() + " to be ready (its check '" + s.ready() + "' failed; "
                        + answer(last) + ")");
            }
            notReady = "service '" + s.name() + "' was not ready (its check '" + s.ready() + "' failed; " + answer(last) + ")";
            try {
                Thread.sleep(READY_PAUSE_MILLIS); // polling the service's own check: there is nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for service '" + s.name() + "'");
            }
        } while (System.nanoTime() < deadline);
        notReady = null;
        throw new IOException("service '" + s.name() + "' was not ready after " + settings.readyTimeout().toSeconds()
                + " s (its check '" + s.ready() + "' failed; " + answer(last) + ")");
    }

    /** What a failed ready check answered, for the log and the task's reason. */
    private static String answer(EngineCli.Result check) {
        return check.lastLine().isBlank() ? "it printed nothing and exited " + check.exit() : "it said: " + check.lastLine();
    }

    private void run(List<String> args, String what) throws IOException {
        EngineCli.Result r = setup.run(COMMAND_LIMIT, args, Map.of());
        if (!r.ok()) throw new IOException(what + ": " + r.lastLine());
    }

    private static String mount(Path path) throws IOException {
        String p = path.toAbsolutePath().toString();
        // -v splits on ':'; such a path cannot be mounted exactly
        if (p.contains(":") || p.contains(",")) throw new IOException("cannot mount '" + p + "' into a container: its path holds ':' or ','");
        return p + ":" + p;
    }

    private void stopIfKilled() {
        if (killed) throw new Killed();
    }

    private synchronized void removeContainers() {
        List<String> all = new ArrayList<>();
        for (Service s : container.services()) all.add(names.service(s.name()));
        all.add(names.task());
        try {
            Leftovers.remove(cli, engine, all);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the next start's sweep removes them");
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return SETUP_FAILED;
        }
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /**
     * Stops the engine clients, then removes the attempt's containers (which kills what runs in them). The exec
     * client goes first: one that outlived the removal would print the engine's "container has already been removed"
     * into the task's log, as if the task had failed on its own.
     */
    @Override
    public void kill() {
        killed = true;
        setup.stop();
        RunningTask steps = startedTask(); // none when its setup failed or was stopped
        if (steps != null) steps.kill();
        removeContainers();
    }

    @Override
    public String outputText() throws IOException {
        RunningTask steps = startedTask();
        return steps == null ? "" : steps.outputText();
    }

    @Override
    public CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException {
        return ArtifactZip.collect(launch.workspace(), globs, zip, stopped);
    }

    @Override
    public List<ImageDigest> images() {
        return List.copyOf(images);
    }

    @Override
    public String failureReason() {
        return failure;
    }

    @Override
    public void release() {
        RunningTask steps = startedTask();
        if (steps != null) steps.release();
        else prepared.discard();
    }

    private RunningTask startedTask() {
        return started.isDone() && !started.isCompletedExceptionally() ? started.join() : null;
    }

    /** Thrown inside the setup thread when the attempt was killed meanwhile. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super(null, null, false, false);
        }
    }
}

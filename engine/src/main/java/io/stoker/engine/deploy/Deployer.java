package io.stoker.engine.deploy;

import io.stoker.engine.run.RunState;
import io.stoker.engine.version.StoredVersion;
import io.stoker.engine.version.VersionManifest;
import io.stoker.engine.version.VersionStatus;
import io.stoker.engine.version.VersionStore;
import io.stoker.model.DeployTarget;
import io.stoker.model.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Deploys versions to targets and judges the runs that do it. {@link #deploy} copies the version's files into a new
 * run's workspace and queues the run of {@link DeployJobs}; when that run ends the server calls {@link #ended}: a
 * success marks the version good, a failure marks it bad (naming the target it failed on) and deploys the target's
 * last good version again (an automatic rollback, which itself never rolls back further); a cancel marks nothing and
 * deploys that version again too. Thread-safe; blocking (store, history, run queue).
 */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    /** Who automatic rollbacks are recorded as. */
    public static final String SYSTEM_USER = "stoker";
    static final int HISTORY_SCAN = 500;

    private final VersionStore versions;
    private final DeploymentHistory history;
    private final DeployRuns runs;
    private final RunNumber numbers;
    private final Path localRoot;
    private final Clock clock;

    /**
     * @param numbers   names a deployment's run in its verdict as people know runs (#3)
     * @param localRoot where targets without an agent live: {@code <localRoot>/<project>/<target>}
     */
    public Deployer(VersionStore versions, DeploymentHistory history, DeployRuns runs, RunNumber numbers,
                    Path localRoot, Clock clock) {
        this.versions = versions;
        this.history = history;
        this.runs = runs;
        this.numbers = numbers;
        this.localRoot = localRoot;
        this.clock = clock;
    }

    /** Where a target without an agent lives on this machine. */
    public Path localDir(String project, String target) {
        return localRoot.resolve(project).resolve(target);
    }

    /** Queues a deployment of {@code version} to {@code target}; refused when the version or its file is missing. */
    public Deployment deploy(String project, DeployTarget target, String version, String by, DeployReason reason)
            throws Exception {
        StoredVersion stored = versions.find(project, version).orElseThrow(() -> new DeployRefused(
                DeployRefused.Kind.NOT_FOUND, "no version '" + version + "' of project '" + project + "'"));
        String file = target.file() == null ? null : pick(stored.manifest(), target.file());
        Job job = DeployJobs.of(project, target, version, file, localDir(project, target.name()));
        var made = new java.util.concurrent.atomic.AtomicReference<Deployment>();
        String startedBy = reason == DeployReason.AUTO_ROLLBACK ? null : by;
        runs.start(project, job, startedBy, workspace -> copy(stored.manifest(), workspace), key -> {
            var d = new Deployment(0, project, target.name(), version, by, reason, key, DeploymentState.RUNNING, null,
                    clock.instant(), null);
            made.set(d.withId(history.add(d)));
        });
        return made.get();
    }

    /**
     * Redeploys the target's previous good version: the newest one recorded good there that is not the version
     * deployed now, still stored, not failed there since and not marked bad by a person. Refused when there is none.
     */
    public Deployment rollback(String project, DeployTarget target, String by) throws Exception {
        List<Deployment> past = history.list(project, target.name(), HISTORY_SCAN);
        String current = past.isEmpty() ? null : past.getFirst().version();
        String previous = lastGood(project, target.name(), past, current).orElseThrow(() -> new DeployRefused(DeployRefused.Kind.CONFLICT,
                "no earlier good version of '" + project + "' on target '" + target.name() + "' to roll back to"
                        + (current == null ? "" : " (deployed now: " + current + ")")));
        return deploy(project, target, previous, by, DeployReason.ROLLBACK);
    }

    /**
     * Judges the deployment {@code runKey} did, if it did one: marks it and its version, and after a failure deploys
     * the target's last good version. {@code target} looks up the target again for that (the Jobfile may have
     * changed); empty skips the rollback. Returns the verdict this recorded (empty when the run did no deployment or
     * its deployment was judged already), with the automatic rollback when one was started.
     */
    public Optional<Verdict> ended(String runKey, RunState state, TargetLookup target) throws Exception {
        Optional<Deployment> found = history.byRun(runKey);
        if (found.isEmpty()) return Optional.empty();
        Deployment d = found.get();
        if (d.state() != DeploymentState.RUNNING) return Optional.empty(); // judged already
        DeploymentState verdict = switch (state) {
            case SUCCEEDED -> DeploymentState.GOOD;
            case CANCELLED -> DeploymentState.CANCELLED;
            default -> DeploymentState.BAD;
        };
        String detail = switch (verdict) {
            case GOOD -> "version " + d.version() + " works on " + d.target();
            case CANCELLED -> cancelled(d);
            // the cause (a healthcheck that did not pass, a service that ended) is in the run's log
            default -> failed(d, state);
        };
        if (verdict == DeploymentState.GOOD) {
            // the version first: whoever sees this deployment good also sees its version good (a judge elsewhere
            // that ends it meanwhile reaches the same verdict from the same run)
            versions.markGoodOn(d.project(), d.version(), d.target());
            return end(d, verdict, detail, null);
        }
        // a cancel says nothing of the version, but the deployment may have stopped the previous service already:
        // the target's last good version comes back, as after a failure (an aborted rollout restores the old one)
        if (verdict == DeploymentState.BAD) versions.markFailedOn(d.project(), d.version(), d.target());
        // the rollback is recorded before the verdict: whoever sees this deployment bad also sees the rollback that
        // follows it (stoker deploy stops watching at a bad verdict with no rollback after it); a rollback that cannot
        // start must not leave the failed deployment running, so the verdict is recorded either way
        Deployment rollback = null;
        try {
            rollback = rollbackAfter(d, target).orElse(null);
        } catch (Exception e) {
            LOG.warn("deployment of {} {} to {} ended {}; its automatic rollback could not start: {}", d.project(),
                    d.version(), d.target(), verdict.label(), e.toString());
        }
        return end(d, verdict, detail, rollback);
    }

    /**
     * Why {@code d} is bad, naming its run as people know runs: {@code version 2.0 failed on staging (its run #4
     * failed; 'stoker logs shop/deploy-staging#4' says why)}.
     */
    private String failed(Deployment d, RunState state) {
        RunNamed run = named(d);
        return "version " + d.version() + " failed on " + d.target() + " (its run " + run.run() + " " + state.words()
                + "; 'stoker logs " + run.log() + "' says why)";
    }

    /**
     * Why {@code d} has no verdict: {@code version 3.0 was not judged on staging (its run #5 was cancelled; 'stoker
     * logs shop/deploy-staging#5' shows how far it got)}. A cancel says nothing of the version.
     */
    private String cancelled(Deployment d) {
        RunNamed run = named(d);
        return "version " + d.version() + " was not judged on " + d.target() + " (its run " + run.run()
                + " was cancelled; 'stoker logs " + run.log() + "' shows how far it got)";
    }

    /** How a verdict names {@code run} ({@code #4}) and its log ({@code shop/deploy-staging#4}). */
    private record RunNamed(String run, String log) {}

    /**
     * {@code d}'s run as people know runs. The run's key stands in when its number cannot be read: the verdict must be
     * recorded all the same.
     */
    private RunNamed named(Deployment d) {
        try {
            java.util.OptionalLong number = numbers.of(d.runKey());
            if (number.isPresent()) {
                String run = "#" + number.getAsLong();
                return new RunNamed(run, d.project() + "/" + DeployJobs.jobName(d.target()) + run);
            }
        } catch (Exception e) {
            LOG.warn("cannot read the number of deployment run {}: {}", d.runKey(), e.toString());
        }
        return new RunNamed(d.runKey(), d.runKey());
    }

    /** Records {@code d}'s verdict; empty when a judge elsewhere recorded one meanwhile. */
    private Optional<Verdict> end(Deployment d, DeploymentState verdict, String detail, Deployment rollback)
            throws Exception {
        java.time.Instant at = clock.instant();
        if (!history.end(d.id(), verdict, detail, at)) {
            LOG.warn("deployment {} of {} was judged elsewhere meanwhile", d.id(), d.project());
            return Optional.empty();
        }
        return Optional.of(new Verdict(d.endedAs(verdict, detail, at), rollback));
    }

    /** Deploys the target's last good version after {@code failed} failed, unless it was a rollback itself. */
    private Optional<Deployment> rollbackAfter(Deployment failed, TargetLookup target) throws Exception {
        if (failed.reason() == DeployReason.AUTO_ROLLBACK) {
            LOG.warn("the automatic rollback of {} on {} to {} failed too; the target is left as it is", failed.project(),
                    failed.target(), failed.version());
            return Optional.empty();
        }
        Optional<DeployTarget> now = target.find(failed.project(), failed.target());
        if (now.isEmpty()) return Optional.empty();
        List<Deployment> past = history.list(failed.project(), failed.target(), HISTORY_SCAN);
        if (!past.isEmpty() && past.getFirst().id() != failed.id()) {
            // a deployment asked for after this one decides what the target runs: rolling back would undo it
            LOG.info("deployment of {} {} to {} failed; no rollback: version {} was deployed there after it",
                    failed.project(), failed.version(), failed.target(), past.getFirst().version());
            return Optional.empty();
        }
        Optional<String> good = lastGood(failed.project(), failed.target(), past, failed.version());
        if (good.isEmpty()) {
            LOG.info("deployment of {} {} to {} failed and the target has no earlier good version", failed.project(),
                    failed.version(), failed.target());
            return Optional.empty();
        }
        return Optional.of(deploy(failed.project(), now.get(), good.get(), SYSTEM_USER, DeployReason.AUTO_ROLLBACK));
    }

    /**
     * Closes the deployment {@code runKey} did when the server stopped under it ({@code reason}: "server restarted"):
     * recorded {@link DeploymentState#INTERRUPTED} with the reason. A crash is not the version's fault, so its status
     * stays as it was and nothing is rolled back; what the deployment started on the target is left running (the
     * next deployment there stops it as usual). Returns the deployment as this closed it, when it did.
     */
    public Optional<Deployment> interrupted(String runKey, String reason) throws Exception {
        // a clean stop of the server stops the services it started on its own machine; a crash leaves them
        return closeUnjudged(runKey, d -> reason + " during the deployment: version " + d.version() + " was not "
                + "judged (its status is unchanged) and what it started on " + d.target() + " may or may not run; "
                + "deploy again or roll back");
    }

    /**
     * Closes the deployment {@code runKey} did when its run ended before its task began ({@code reason}: why it could
     * not start, e.g. a secret of the project that cannot be read): recorded {@link DeploymentState#INTERRUPTED}. The
     * version was never tried there, so its status stays as it was; nothing was stopped on the target, so nothing is
     * rolled back. Returns the deployment as this closed it, when it did.
     */
    public Optional<Deployment> notStarted(String runKey, String reason) throws Exception {
        return closeUnjudged(runKey, d -> "the deployment run "
                + (reason == null || reason.isBlank() ? "could not start" : reason) + ": version " + d.version()
                + " was not tried (its status is unchanged) and " + d.target() + " runs what it ran before; deploy "
                + "again once that is mended");
    }

    /** Ends the deployment of {@code runKey} interrupted, with no verdict on its version; it when this ended it. */
    private Optional<Deployment> closeUnjudged(String runKey, java.util.function.Function<Deployment, String> detail)
            throws Exception {
        Optional<Deployment> found = history.byRun(runKey);
        if (found.isEmpty()) return Optional.empty();
        Deployment d = found.get();
        String why = detail.apply(d);
        java.time.Instant at = clock.instant();
        return history.end(d.id(), DeploymentState.INTERRUPTED, why, at)
                ? Optional.of(d.endedAs(DeploymentState.INTERRUPTED, why, at)) : Optional.empty();
    }

    /**
     * Judges the deployments still recorded running whose run has ended: a verdict lost to a crash between the run's
     * end and its judging, or to a store that failed while judging. Returns the verdicts it recorded.
     *
     * @param runs a run's state now; empty when there is no such run
     */
    public List<Verdict> judgeEnded(RunStates runs, TargetLookup target) throws Exception {
        List<Verdict> judged = new java.util.ArrayList<>();
        for (Deployment d : history.running(HISTORY_SCAN)) {
            Optional<RunState> state = runs.of(d.runKey());
            if (state.isEmpty() || !state.get().isFinal()) continue;
            LOG.warn("deployment {} of {} {} to {}: its run {} ended {} without a verdict; judging it now", d.id(),
                    d.project(), d.version(), d.target(), d.runKey(), state.get().name().toLowerCase(java.util.Locale.ROOT));
            ended(d.runKey(), state.get(), target).ifPresent(judged::add);
        }
        return judged;
    }

    /** Port: a run's state now (the server's run store). */
    @FunctionalInterface
    public interface RunStates {
        Optional<RunState> of(String runKey) throws Exception;
    }

    /** Port: the number of a run by its key, as people know runs ({@code #3}); empty when there is no such run. */
    @FunctionalInterface
    public interface RunNumber {
        java.util.OptionalLong of(String runKey) throws Exception;
    }

    /** Finds a project's deploy target by name as the project's Jobfile declares it now. */
    @FunctionalInterface
    public interface TargetLookup {
        Optional<DeployTarget> find(String project, String target) throws Exception;
    }

    /**
     * The newest version recorded good on the target, other than {@code except}, that the store still has, whose
     * last verdict there was not bad, and that no person marked bad (a version found to corrupt data is not brought
     * back). A version marked bad because it failed on another target still comes back here, where it worked.
     */
    private Optional<String> lastGood(String project, String target, List<Deployment> newestFirst, String except)
            throws IOException {
        java.util.Map<String, DeploymentState> lastVerdict = new java.util.HashMap<>();
        for (Deployment d : newestFirst) {
            if (d.state() == DeploymentState.GOOD || d.state() == DeploymentState.BAD) {
                lastVerdict.putIfAbsent(d.version(), d.state());
            }
        }
        for (String version : newestFirst.stream().filter(d -> d.state() == DeploymentState.GOOD)
                .map(Deployment::version).filter(v -> !v.equals(except)).distinct().toList()) {
            if (lastVerdict.get(version) != DeploymentState.GOOD) continue; // it failed here since
            Optional<StoredVersion> stored = versions.find(project, version);
            if (stored.isEmpty() || stored.get().markedBadByHand()) continue;
            if (stored.get().status() == VersionStatus.BAD && stored.get().failedOn().contains(target)) continue;
            return Optional.of(version);
        }
        return Optional.empty();
    }

    /**
     * The version's one file the glob matches (by path or by name); refused when none does, and when several do:
     * {@code {file}} names one file, and picking the first of several would deploy what nobody chose.
     */
    static String pick(VersionManifest manifest, String glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<String> all = manifest.files().stream().map(VersionManifest.FileEntry::path).toList();
        List<String> matching = all.stream()
                .filter(p -> matcher.matches(Path.of(p)) || matcher.matches(Path.of(p).getFileName())).toList();
        if (matching.size() == 1) return matching.getFirst();
        if (matching.isEmpty()) {
            throw new DeployRefused(DeployRefused.Kind.INVALID, "version " + manifest.version() + " has no file matching '"
                    + glob + "' (it has: " + String.join(", ", all.stream().limit(10).toList()) + ")");
        }
        throw new DeployRefused(DeployRefused.Kind.INVALID, "the target's file '" + glob + "' matches " + matching.size()
                + " files of version " + manifest.version() + " (" + String.join(", ", matching.stream().limit(10).toList())
                + "): make the pattern match one");
    }

    /** Copies every file of the version into the run's workspace, keeping its path. */
    private void copy(VersionManifest manifest, Path workspace) throws IOException {
        for (VersionManifest.FileEntry f : manifest.files()) {
            Path from = versions.file(manifest.project(), manifest.version(), f.path()).orElseThrow(() ->
                    new IOException("version " + manifest.version() + " lost its file " + f.path()));
            Path to = workspace.resolve(f.path()).normalize();
            if (!to.startsWith(workspace)) throw new IOException("file " + f.path() + " leaves the workspace");
            Files.createDirectories(to.getParent());
            Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}

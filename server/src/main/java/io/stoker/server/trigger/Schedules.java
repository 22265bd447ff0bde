package io.stoker.server.trigger;

import io.stoker.dsl.cron.CronSchedule;
import io.stoker.dsl.cron.InvalidCronException;
import io.stoker.model.Job;
import io.stoker.server.Refused;
import io.stoker.server.forge.BranchFilter;
import io.stoker.server.forge.Payloads;
import io.stoker.server.forge.PushFilter;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.git.MirrorChanges;
import io.stoker.server.project.BuildSource;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunService;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts runs from the schedules the Jobfile declares, each registered on the {@link TriggerClock} under a
 * {@link ScheduleKey}. Every run it starts is queued (a busy job waits rather than refusing its trigger).
 *
 * <ul>
 *   <li>Cron: a run at the project's branch head (freestyle: the stored job).</li>
 *   <li>Poll: fetches, and starts a run for each branch head that moved since the heads stored for the job, on
 *       branches matching the job's {@code push} filters, or the project's branch when the job has no push
 *       trigger. A job's heads are seeded from the mirror when it is first registered, so existing branches are
 *       not all built at once.</li>
 * </ul>
 * Firings are handled on one thread of its own, so they never block an event loop.
 */
public final class Schedules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    /** The name under which the clock's last tick is stored. */
    public static final String CLOCK_NAME = "triggers";

    private final ProjectService projects;
    private final RunService runs;
    private final GitMirrors mirrors;
    private final Poller poller;
    private final MirrorChanges changes;
    private final GitCredentialsLookup credentials;
    private final TriggerState state;
    private final TriggerClock<ScheduleKey> clock;
    private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-schedules");
        t.setDaemon(true);
        return t;
    });
    /**
     * Polls fetch, and a git host that accepts the connection and never answers holds a fetch for minutes: on the
     * schedules' thread that made every cron firing after it late. Polls run here instead, one at a time per job.
     */
    private final ExecutorService polls;
    /** The poll keys whose poll is queued or running: a tick that finds its key here is skipped. */
    private final java.util.Set<ScheduleKey> polling = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Schedules(ProjectService projects, RunService runs, GitMirrors mirrors, GitCredentialsLookup credentials,
                     TriggerState state, TriggerClock<ScheduleKey> clock) {
        this(projects, runs, mirrors, credentials, state, clock, Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stoker-polls");
            t.setDaemon(true);
            return t;
        }));
    }

    /** As above, polling on {@code polls}. */
    Schedules(ProjectService projects, RunService runs, GitMirrors mirrors, GitCredentialsLookup credentials,
              TriggerState state, TriggerClock<ScheduleKey> clock, ExecutorService polls) {
        this.polls = polls;
        this.projects = projects;
        this.runs = runs;
        this.mirrors = mirrors;
        this.poller = new Poller(mirrors);
        this.changes = new MirrorChanges(mirrors);
        this.credentials = credentials;
        this.state = state;
        this.clock = clock;
    }

    /**
     * Registers the cron and poll schedules of every project's jobs, reading the projects and the jobs once each
     * (at the start, with hundreds of projects, a read per project of every project was minutes).
     */
    public void reloadAll() throws SQLException {
        Map<String, List<StoredJob>> jobs = new java.util.HashMap<>();
        for (StoredJob stored : projects.jobs()) {
            jobs.computeIfAbsent(stored.project(), k -> new ArrayList<>()).add(stored);
        }
        List<Project> all = projects.list();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Project p : all) names.add(p.name());
        // a project deleted meanwhile (news may have been lost in a cluster) loses its keys
        clock.keys().stream().filter(k -> !names.contains(k.project())).forEach(clock::unregister);
        for (Project p : all) {
            register(p.name(), p, jobs.getOrDefault(p.name(), List.of()));
        }
    }

    /**
     * Another server of the cluster created, changed or deleted {@code project} (null: news may have been lost, every
     * project): registers its schedules again on this class's thread, so a cron removed there stops firing here too.
     */
    public void reloadLater(String project) {
        try {
            work.execute(() -> {
                try {
                    if (project == null) {
                        reloadAll();
                    } else {
                        reload(project);
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.error("cannot register the triggers again after another server's change", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the server stops
        }
    }

    /**
     * Registers a project's schedules again after it changed; a deleted project's are removed. Reads that project
     * and its jobs only: it runs after every change of a project.
     */
    public void reload(String project) {
        try {
            var found = projects.find(project);
            if (found.isEmpty()) {
                unregister(project);
                state.forget(project);
                return;
            }
            register(project, found.get(), projects.jobsOf(project));
        } catch (SQLException | RuntimeException e) {
            LOG.error("cannot register the triggers of project '{}'", project, e);
        }
    }

    /** Replaces a project's keys on the clock by those of its jobs. */
    private void register(String project, Project p, List<StoredJob> jobs) {
        unregister(project);
        try {
            for (StoredJob stored : jobs) {
                Job job = stored.job();
                register(ScheduleKey.cron(project, job.name()), job.triggers().cron());
                if (p.isGit() && !job.triggers().poll().isEmpty()) {
                    register(ScheduleKey.poll(project, job.name()), job.triggers().poll());
                    if (state.heads(project, job.name()).isEmpty() && mirrors.exists(project)) {
                        state.saveHeads(project, job.name(), mirrors.refs(project).branches());
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("cannot register the triggers of project '{}'", project, e);
        }
    }

    private void unregister(String project) {
        clock.keys().stream().filter(k -> k.project().equals(project)).forEach(clock::unregister);
    }

    private void register(ScheduleKey key, List<String> specs) {
        String identity = key.project() + "/" + key.job();
        List<CronSchedule> schedules = new ArrayList<>();
        for (String spec : specs) {
            try {
                schedules.add(CronSchedule.parse(spec, identity));
            } catch (InvalidCronException e) {
                LOG.warn("{}: '{}' is not a valid schedule and never fires: {}", identity, spec, e.getMessage());
            }
        }
        clock.register(key, schedules);
    }

    /** Ticks on a Vert.x timer each minute; firings are handled on the schedules' thread. */
    public void start(Vertx vertx) {
        clock.start(vertx, this::dispatch);
    }

    /**
     * Hands a firing to its thread: a cron firing to the schedules' thread, a poll to the poll threads unless the
     * job's previous poll is still queued or running (it would fetch the same host again, behind itself).
     */
    void dispatch(TriggerClock.Firing<ScheduleKey> firing) {
        ScheduleKey key = firing.key();
        if (key.kind() != ScheduleKey.Kind.POLL) {
            work.execute(() -> handle(firing));
            return;
        }
        if (!polling.add(key)) {
            LOG.info("poll {}/{} at {}: the previous poll has not ended; this tick is skipped", key.project(), key.job(),
                    firing.scheduledAt().toInstant());
            return;
        }
        try {
            polls.execute(() -> {
                try {
                    handle(firing);
                } finally {
                    polling.remove(key);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            polling.remove(key); // closed meanwhile
        }
    }

    /**
     * Ticks now (per the injected clock) and handles what is due before returning: the runs started. For tests
     * and tools; the timer of {@link #start} does the same each minute.
     */
    public List<StartedRun> tick() throws Exception {
        List<TriggerClock.Firing<ScheduleKey>> due = clock.tick();
        return work.submit(() -> {
            List<StartedRun> out = new ArrayList<>();
            for (TriggerClock.Firing<ScheduleKey> f : due) out.addAll(handle(f));
            return out;
        }).get();
    }

    private List<StartedRun> handle(TriggerClock.Firing<ScheduleKey> firing) {
        try {
            state.saveTick(CLOCK_NAME, clock.lastTick());
            ScheduleKey key = firing.key();
            return switch (key.kind()) {
                case CRON -> cron(key, firing);
                case POLL -> poll(key);
            };
        } catch (Exception e) {
            LOG.warn("trigger {} did not start a run: {}", firing.key(), e.getMessage());
            return List.of();
        }
    }

    private List<StartedRun> cron(ScheduleKey key, TriggerClock.Firing<ScheduleKey> firing) throws SQLException {
        // a job slower than its schedule would grow the queue by a run a tick, for ever: a tick whose earlier tick's
        // run has not started yet is that run (as Jenkins folds a timer build into the one already in the queue)
        var waiting = runs.queuedBy(key.project(), key.job(), "cron");
        if (waiting.isPresent()) {
            LOG.info("cron {}/{} at {}: run #{} of an earlier tick is still queued; this tick starts no other",
                    key.project(), key.job(), firing.scheduledAt().toInstant(), waiting.getAsLong());
            return List.of();
        }
        BuildSource source = projects.source(key.project(), key.job(), null);
        Map<String, Object> metadata = Map.of("cron", Map.of("scheduledAt", firing.scheduledAt().toString()));
        // the firing key makes the tick fire once across the servers sharing the database
        String once = cronFiring(key, firing.scheduledAt());
        return StartedRun.queueOnce(once, runs, key.project(), source.job(), source.gitUrl(), source.commit(),
                source.branch(), Map.of(), metadata, "cron").stream().toList();
    }

    /**
     * The key a cron tick fires once under, across the servers sharing the database: the tick's instant, not its
     * local time with zone ({@code …+01:00[Europe/Berlin]}), which two servers in different zones wrote differently
     * for the same tick, so each queued a run.
     */
    static String cronFiring(ScheduleKey key, java.time.ZonedDateTime scheduledAt) {
        return "cron:" + key.project() + "/" + key.job() + "@" + scheduledAt.toInstant();
    }

    private List<StartedRun> poll(ScheduleKey key) throws SQLException {
        String project = key.project();
        Project p = projects.get(project);
        if (!p.isGit()) return List.of();
        Job current = projects.job(project, key.job()).job();
        Map<String, String> seen = state.heads(project, key.job());
        PollResult result = poller.poll(project, p.gitUrl(), credentials.require(p.name(), p.credentials()), seen);
        if (result.changes().stream().anyMatch(c -> c.branch().equals(p.branch()))) follow(p, seen);
        List<StartedRun> started = new ArrayList<>();
        for (BranchChange change : result.changes()) {
            boolean wanted = current.triggers().push().isEmpty()
                    ? change.branch().equals(p.branch())
                    : pushMatches(current, change.branch());
            if (!wanted) continue;
            // a push delivered meanwhile built the commit (or held it back): it is seen
            if (change.commit().equals(state.heads(project, key.job()).get(change.branch()))) continue;
            try {
                // one that does not compile is kept as the branch's Jobfile problem, as a push's is
                Job job = projects.compilePushed(project, Payloads.HEADS + change.branch(),
                        change.commit()).job(key.job()).orElse(null);
                if (job == null) continue; // the job does not exist at that commit
                if (!pathsAdmit(project, job, change)) {
                    LOG.info("poll of {}: {} at {} changed no file its push trigger's paths take", key,
                            change.branch(), change.commit());
                    continue;
                }
                // every server polls; the firing key lets one of them queue the run of a moved head
                String fired = "poll:" + project + "/" + key.job() + ":" + change.branch() + ":" + change.previous()
                        + ".." + change.commit();
                StartedRun.queueOnce(fired, runs, project, job, p.gitUrl(), change.commit(), change.branch(),
                        Map.of(), Map.of("poll", Map.of("branch", change.branch(),
                                "previous", String.valueOf(change.previous()))), "poll").ifPresent(started::add);
            } catch (Refused e) {
                LOG.warn("poll of {}: {} at {} not built: {} {}", key, change.branch(), change.commit(),
                        e.getMessage(), e.details());
            }
        }
        state.saveHeads(project, key.job(), result.heads());
        return started;
    }

    /**
     * The project's branch moved: its stored jobs follow the new head (registering its schedules again). A poll job
     * the new head brings (one added, or renamed) starts from the heads this poll started from, so its first poll
     * builds the commit that brought it rather than taking it as seen.
     */
    private void follow(Project p, Map<String, String> seen) {
        List<ScheduleKey> before = clock.keys().stream().filter(k -> k.project().equals(p.name())).toList();
        try {
            if (!projects.followHead(p.name(), p.branch()) || seen.isEmpty()) return;
            for (ScheduleKey k : clock.keys()) {
                if (k.project().equals(p.name()) && k.kind() == ScheduleKey.Kind.POLL && !before.contains(k)) {
                    state.saveHeads(p.name(), k.job(), seen);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the poll still builds what it found; the next change of the branch tries again
            LOG.warn("poll of project {}: the stored jobs did not follow the head of {}: {}", p.name(), p.branch(),
                    e.toString());
        }
    }

    /**
     * The paths filter of the job's push trigger, as a push of the change would apply it: the files that differ
     * between the head seen last and the new one (unknown for a new branch: it passes).
     */
    private boolean pathsAdmit(String project, Job job, BranchChange change) {
        if (!PushFilter.filtersPaths(job, change.branch())) return true;
        return PushFilter.admits(job, change.branch(), changes.between(project, change.previous(), change.commit()));
    }

    private static boolean pushMatches(Job job, String branch) {
        return job.triggers().push().stream().anyMatch(push -> BranchFilter.takes(push, branch));
    }

    @Override
    public void close() {
        clock.stop();
        work.shutdownNow();
        polls.shutdownNow();
    }
}

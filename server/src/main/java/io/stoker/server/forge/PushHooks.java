package io.stoker.server.forge;

import io.stoker.model.Job;
import io.stoker.model.Triggers;
import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.forge.DeliveryReply.JobFilter;
import io.stoker.server.forge.DeliveryReply.Outcome;
import io.stoker.server.forge.DeliveryReply.ProjectOutcome;
import io.stoker.server.forge.DeliveryReply.RunLink;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrorException;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.git.MirrorChanges;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Acts on push webhooks. The signature is checked against the server's secret and every project's own; a
 * delivery no secret verifies is a 401 and nothing in its body is read. A verified one is read with its host's
 * {@link HookFormat}, refused if its id, or a push's signed body, was seen
 * before (409), and answered with a {@link DeliveryReply} naming,
 * per project whose git URL is the payload's repository (and whose secret verified), the runs started or why none
 * did. For a push, such a project syncs its mirror, compiles the Jobfile <em>at the pushed commit</em> and starts
 * each job one of whose {@code push} triggers matches the branch and the changed files; a Jobfile that does not
 * compile is kept as the ref's {@link io.stoker.server.project.JobfileProblem} until one of the ref that does. Every run it starts is
 * queued (a busy job waits rather than refusing its trigger).
 *
 * <p>Git hosts give up on a delivery after about ten seconds (GitHub and GitLab: 10 s) and mark it failed, and a
 * first clone of a big repository takes longer. So the fetching and compiling run on their own threads and the
 * reply waits for them at most {@link #DEFAULT_ANSWER_WITHIN} ({@code STOKER_WEBHOOK_ANSWER_WITHIN}); past that,
 * the delivery is answered 202 with each project {@code processing}, the work goes on, and its outcome is logged.
 */
public final class PushHooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushHooks.class);
    /** The reply lists at most this many changed files when a path filter held jobs back. */
    private static final int SHOWN_FILES = 20;
    /** How long a reply waits for the fetching and compiling of a push: under the hosts' ten seconds. */
    public static final Duration DEFAULT_ANSWER_WITHIN = Duration.ofSeconds(8);
    /**
     * Pushes acted on at once; later ones wait for a thread (their reply says {@code processing} in time). The
     * pushes of one repository take one at a time ({@link RepositoryLanes}): a host that hangs holds one thread.
     */
    private static final int WORKERS = 4;

    private final ProjectService projects;
    private final RunService runs;
    private final GitMirrors mirrors;
    private final MirrorChanges changes;
    private final GitCredentialsLookup credentials;
    private final Supplier<String> defaultSecret;
    private final SeenDeliveries deliveries;
    private final Duration answerWithin;
    private final PushHandled handled;
    // git and compiling block: platform threads, as H2's monitors and file I/O would pin virtual threads' carriers
    private final ExecutorService work = Executors.newFixedThreadPool(WORKERS,
            Thread.ofPlatform().daemon().name("push-hook-", 0).factory());
    private final RepositoryLanes lanes = new RepositoryLanes(work);
    /** How long {@link #close} waits for the deliveries still at work before it lets them go. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /**
     * The deliveries taken and not yet acted on, by the key they are remembered under: those the server stops before
     * finishing are forgotten, so the host's redelivery after the restart is taken rather than refused as a replay.
     */
    private final Map<String, GitHost> unfinished = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closing;

    /** What a webhook request is answered: status and JSON body. */
    public record HookReply(int status, DeliveryReply body) {
    }

    public PushHooks(ProjectService projects, RunService runs, GitMirrors mirrors, GitCredentialsLookup credentials,
                     Supplier<String> defaultSecret, SeenDeliveries deliveries, Duration answerWithin) {
        this(projects, runs, mirrors, credentials, defaultSecret, deliveries, answerWithin, PushHandled.NONE);
    }

    /** @param handled told of each job a branch push started or held back (the poller counts its commit as seen) */
    public PushHooks(ProjectService projects, RunService runs, GitMirrors mirrors, GitCredentialsLookup credentials,
                     Supplier<String> defaultSecret, SeenDeliveries deliveries, Duration answerWithin,
                     PushHandled handled) {
        this.handled = handled;
        this.projects = projects;
        this.runs = runs;
        this.mirrors = mirrors;
        this.changes = new MirrorChanges(mirrors);
        this.credentials = credentials;
        this.defaultSecret = defaultSecret;
        this.deliveries = deliveries;
        this.answerWithin = answerWithin;
    }

    /**
     * Verifies and acts on a push webhook: 401 unless the signature verifies with the server's secret or a
     * project's; 400 for a verified delivery without an id or with a malformed payload; 409 for a replay; 401 when
     * the repository belongs only to projects whose secret did not verify. Otherwise 202 when runs started, 200
     * when none did (the reply says why), and 202 with each project {@code processing} when fetching and
     * compiling took longer than the reply may wait. Blocking (git, compile) for at most that long.
     */
    public HookReply push(GitHost host, UnaryOperator<String> header, byte[] body) throws SQLException {
        String serverSecret = defaultSecret.get();
        Map<String, List<Project>> bySecret = new LinkedHashMap<>();
        if (serverSecret != null) bySecret.put(serverSecret, new ArrayList<>());
        List<Project> gitProjects = projects.list().stream().filter(Project::isGit).toList();
        for (Project p : gitProjects) {
            String secret = p.webhookSecret() != null ? p.webhookSecret() : serverSecret;
            if (secret != null) bySecret.computeIfAbsent(secret, s -> new ArrayList<>()).add(p);
        }
        List<Project> trusted = new ArrayList<>();
        List<Project> ownSecret = null; // the projects whose own secret verified it: null for the server's
        boolean verified = false;
        WebhookOutcome.Rejected malformed = null;
        List<WebhookOutcome.Rejected> unsigned = new ArrayList<>();
        for (var entry : bySecret.entrySet()) {
            // each distinct secret is tried (the comparison itself is constant-time)
            WebhookOutcome.Rejected r = PushWebhooks.verify(host, header, body, entry.getKey());
            if (r == null) {
                verified = true;
                trusted.addAll(entry.getValue());
                if (!entry.getKey().equals(serverSecret)) ownSecret = entry.getValue();
            } else if (r.status() != 401) {
                malformed = r;
            } else {
                unsigned.add(r);
            }
        }
        if (!verified) {
            if (malformed != null) throw Problem.badRequest(malformed.reason());
            throw new Problem(401, "unauthorized", unverified(host, unsigned), List.of());
        }
        WebhookOutcome outcome = host.format().parse(header, body);
        if (outcome instanceof WebhookOutcome.Rejected r) throw Problem.badRequest(r.reason());
        List<String> urls = switch (outcome) {
            case WebhookOutcome.Accepted a -> a.event().repositoryUrls();
            case WebhookOutcome.Ping p -> p.repositoryUrls();
            default -> List.of();
        };
        List<Project> matched = trusted.stream().filter(p -> RepositoryUrls.matchesAny(p.gitUrl(), urls)).toList();
        if (matched.isEmpty() && !urls.isEmpty() && gitProjects.stream()
                .anyMatch(p -> RepositoryUrls.matchesAny(p.gitUrl(), urls))) {
            throw new Problem(401, "unauthorized", "the " + host.path() + " webhook's signature does not verify "
                    + "for any project with this repository", List.of());
        }
        String delivery = PushWebhooks.deliveryId(host, header); // verified present
        // the hook of a project's own secret is another webhook on the host, sent the same event under the same id
        String seenAs = DeliveryScope.key(delivery, ownSecret);
        // the id is not signed: a push's signed body under a new id is the same push again, which would build (and
        // perhaps deploy) its old commit; a ping or an ignored event starts nothing, and a host's test button resends it
        String bodyKey = outcome instanceof WebhookOutcome.Accepted ? DeliveryScope.bodyKey(body, ownSecret) : null;
        switch (deliveries.record(host, seenAs, delivery, bodyKey)) {
            case SeenDeliveries.Seen.First first -> { }
            case SeenDeliveries.Seen.SameId again -> throw Problem.conflict("replayed", "delivery '" + delivery
                    + "' was received before; a replayed " + host.path() + " webhook is refused");
            case SeenDeliveries.Seen.SameBody again -> throw Problem.conflict("replayed", "delivery '" + delivery
                    + "' has the same signed body as a delivery received before under another id; a replayed "
                    + host.path() + " webhook is refused");
        }
        String repository = urls.stream().map(RepositoryUrls::normalise).flatMap(Optional::stream).findFirst()
                .orElse(null);
        return switch (outcome) {
            // the host's own name of the event, as its delivery log shows it; the message says why nothing runs
            case WebhookOutcome.Ignored i -> reply(host, i.event() != null ? i.event() : eventName(host, header), delivery,
                    repository, i.reason(), List.of());
            case WebhookOutcome.Ping p -> reply(host, p.event(), delivery, repository,
                    matched.isEmpty() ? nobody(repository, "a push") : p.event() + ": the webhook is set up",
                    ping(matched));
            case WebhookOutcome.Accepted a -> {
                if (matched.isEmpty()) {
                    yield reply(host, kind(a), delivery, repository, nobody(repository, "this push"), List.of());
                }
                yield answer(host, a, matched, delivery, seenAs, repository);
            }
            case WebhookOutcome.Rejected r -> throw Problem.badRequest(r.reason()); // handled above
        };
    }

    /** The event as the reply names it: the host's own name when not a push or pull request (Gitea's delete). */
    private static String kind(WebhookOutcome.Accepted a) {
        if (a.eventName() != null) return a.eventName();
        return a.event().pullRequest() == null ? "push" : "pull_request";
    }

    private static String eventName(GitHost host, UnaryOperator<String> header) {
        String name = HookFormat.firstHeader(header, host.format().eventHeaders());
        return name == null ? "ignored" : name;
    }

    /** Acts on the push on a worker and waits for it at most {@link #answerWithin}. */
    private HookReply answer(GitHost host, WebhookOutcome.Accepted a, List<Project> matched, String delivery,
                             String seenAs, String repository) throws SQLException {
        String kind = kind(a);
        // taken now: a fetch that starts while this push waits its turn brings its commit too, and serves it
        Map<String, Long> arrived = new LinkedHashMap<>();
        for (Project p : matched) arrived.put(p.name(), mirrors.syncMark(p.name()));
        unfinished.put(seenAs, host);
        CompletableFuture<HookReply> acting = lanes.submit(repository, () -> {
            // one still waiting its turn when the server stops is not begun: close() forgets it
            if (closing) throw new java.util.concurrent.CancellationException("the server is stopping");
            try {
                return act(host, a, matched, delivery, seenAs, repository, kind, arrived);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        // cut short by the server stopping, it stays unfinished: close() forgets it
        acting.whenComplete((done, error) -> {
            if (error == null || !closing) unfinished.remove(seenAs);
        });
        try {
            return acting.get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            acting.whenComplete((done, error) -> logLate(host, delivery, done, error));
            List<ProjectOutcome> going = new ArrayList<>();
            for (PushEvent event : a.events()) {
                for (Project p : matched) {
                    going.add(outcome(p, event, event.commit(), Outcome.PROCESSING, "still fetching the commit or "
                            + "compiling its Jobfile; the runs it starts will be listed by GET /api/v1/runs?project="
                            + p.name() + ", and the outcome is in the server's log"));
                }
            }
            return new HookReply(202, new DeliveryReply(host.path(), kind, delivery, repository, "accepted; still "
                    + "at work after " + answerWithin.toMillis() + " ms, it goes on after this reply", going,
                    List.of(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while acting on delivery " + delivery, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof SQLException sql) throw sql;
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Stops acting on deliveries: begins none of those waiting their turn, waits briefly for those at work (a fetch
     * from a host that hangs is not waited out), then forgets every delivery not acted on to its end, as a host's
     * "Redeliver" of it after the restart would otherwise be refused as a replay while nothing was built. Call it
     * before the database closes.
     */
    @Override
    public void close() {
        closing = true;
        // not interrupted: an interrupt closes the H2 file channel a worker writes to, and the database with it
        work.shutdown();
        try {
            work.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var cut : Map.copyOf(unfinished).entrySet()) {
            try {
                deliveries.forget(cut.getValue(), cut.getKey());
                LOG.warn("{} delivery {} was not acted on to its end when the server stopped: its redelivery will be"
                        + " taken", cut.getValue().path(), cut.getKey());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{} delivery {} was cut short by the server stopping and could not be forgotten: {}",
                        cut.getValue().path(), cut.getKey(), e.toString());
            }
        }
        unfinished.clear();
    }

    /**
     * Why no secret verified, naming the header: a header missing (or a server without any secret) as the host's
     * check said it, else which header matched none of the secrets.
     */
    private static String unverified(GitHost host, List<WebhookOutcome.Rejected> refusals) {
        if (refusals.isEmpty()) return "no webhook secret is configured on this server, so no webhook is trusted";
        WebhookOutcome.Rejected first = refusals.getFirst();
        if (first.missing() || first.header() == null) return first.reason();
        return "the " + host.path() + " webhook's " + first.header() + " does not verify with the server's webhook "
                + "secret or any project's";
    }

    /** Each project's outcome of a delivery whose reply had already been sent. */
    private static void logLate(GitHost host, String delivery, HookReply done, Throwable error) {
        if (error != null) {
            LOG.warn("{} delivery {}, answered before it was done, failed", host.path(), delivery, error);
            return;
        }
        for (ProjectOutcome o : done.body().projects()) {
            LOG.info("{} delivery {}, answered before it was done: project {}: {}{}", host.path(), delivery,
                    o.project(), o.outcome().word(), o.reason() == null ? "" : " (" + o.reason() + ")");
        }
    }

    private HookReply act(GitHost host, WebhookOutcome.Accepted a, List<Project> matched, String delivery,
                          String seenAs, String repository, String kind, Map<String, Long> arrived)
            throws SQLException {
        List<ProjectOutcome> out = new ArrayList<>();
        for (PushEvent event : a.events()) {
            for (Project p : matched) out.add(pushed(p, event, arrived.get(p.name())));
        }
        boolean failedOnly = out.stream().allMatch(o -> o.outcome() == Outcome.FAILED
                || o.outcome() == Outcome.FORK_NOT_BUILT);
        // nothing started because of our side (git, compile) or a fork not allowed yet: the host's own redelivery
        // may try again (a fork's pull request once the project allows fork builds)
        if (failedOnly) deliveries.forget(host, seenAs);
        return reply(host, kind, delivery, repository, summary(out), out);
    }

    private static String nobody(String repository, String what) {
        return repository == null
                ? "the delivery names no repository; " + what + " starts the projects whose git URL is its repository"
                : "no project has the repository " + repository + " (URLs compared as normalised); " + what
                + " starts nothing";
    }

    private static HookReply reply(GitHost host, String event, String delivery, String repository, String message,
                                   List<ProjectOutcome> outcomes) {
        List<RunLink> started = outcomes.stream().filter(o -> o.runs() != null).flatMap(o -> o.runs().stream()).toList();
        List<String> problems = outcomes.stream().filter(o -> o.outcome() == Outcome.FAILED)
                .map(o -> o.project() + ": " + o.reason()).toList();
        return new HookReply(started.isEmpty() ? 200 : 202, new DeliveryReply(host.path(), event, delivery,
                repository, message, outcomes, started, problems.isEmpty() ? null : problems));
    }

    private static String summary(List<ProjectOutcome> outcomes) {
        long runs = outcomes.stream().filter(o -> o.runs() != null).mapToLong(o -> o.runs().size()).sum();
        if (runs > 0) return runs + (runs == 1 ? " run" : " runs") + " started";
        return outcomes.size() == 1 ? outcomes.getFirst().reason() : "no run started; see each project's reason";
    }

    /** A ping: the jobs of each matched project that a push would start, as stored for its branch. */
    private List<ProjectOutcome> ping(List<Project> matched) throws SQLException {
        List<StoredJob> stored = projects.jobs();
        List<ProjectOutcome> out = new ArrayList<>();
        for (Project p : matched) {
            List<JobFilter> jobs = stored.stream().filter(s -> s.project().equals(p.name())).map(StoredJob::job)
                    .filter(j -> !j.triggers().push().isEmpty()).map(JobFilter::of).toList();
            out.add(new ProjectOutcome(p.name(), null, null, Outcome.WOULD_BUILD, jobs.isEmpty()
                    ? "no job of branch " + p.branch() + " has a push trigger"
                    : io.stoker.model.Plural.of(jobs.size(), "job") + " of branch " + p.branch() + (jobs.size() == 1 ? " has" : " have")
                    + " a push trigger", null, jobs, null));
        }
        return out;
    }

    private ProjectOutcome pushed(Project p, PushEvent event, long arrived) throws SQLException {
        if (event.pullRequest() != null && event.deleted()) {
            projects.refGone(p.name(), event.ref()); // its Jobfile problem, if any, went with it
            return outcome(p, event, null, Outcome.PULL_REQUEST_CLOSED,
                    "pull request #" + event.pullRequest().number() + " was closed");
        }
        if (event.pullRequest() != null) return pullRequest(p, event, arrived);
        if (event.deleted()) projects.refGone(p.name(), event.ref()); // its Jobfile problem, if any, went with it
        if (event.tag() && event.deleted()) {
            return outcome(p, event, null, Outcome.TAG_DELETED, "tag '" + event.tagName() + "' was deleted");
        }
        if (event.deleted()) {
            return outcome(p, event, null, Outcome.BRANCH_DELETED, "branch '" + event.branch() + "' was deleted");
        }
        // a tag push is told by its jobs first: one no job asks for answers tag-push whatever its commit says
        Optional<String> marker = event.tag() ? Optional.empty() : SkipMarkers.find(event.headMessage());
        if (marker.isPresent()) return skipped(p, event, event.commit(), marker.get());
        try {
            mirrors.sync(p.name(), p.gitUrl(), credentials.require(p.name(), p.credentials()), arrived);
            String commit = mirrors.resolve(p.name(), event.commit());
            if (event.tag()) return build(p, event, commit);
            if (event.headMessage() == null) {
                // Bitbucket Data Center's payload carries no message: read it from the mirror
                marker = SkipMarkers.find(changes.message(p.name(), commit));
                if (marker.isPresent()) return skipped(p, event, commit, marker.get());
            }
            try {
                return build(p, event, commit);
            } finally {
                follow(p, event.branch());
            }
        } catch (Refused | GitMirrorException e) {
            // the project's own branch: following its head logged the Jobfile's problem already
            if (e instanceof Refused r && !p.branch().equals(event.branch())) {
                LOG.warn("push to project {}, {}, commit {} starts nothing: {}", p.name(),
                        event.tag() ? "tag " + event.tagName() : "branch " + event.branch(), event.commit(),
                        ProjectService.firstProblem(r));
            }
            return outcome(p, event, event.commit(), Outcome.FAILED, said(e));
        }
    }

    /**
     * Why a push or a request's head starts nothing, short enough for a git host's delivery log, where it shows in
     * the message, the project's reason and the problems: a Jobfile's first error and how many more, not all of
     * them (the project keeps them all as its {@code jobfileProblems}).
     */
    private static String said(RuntimeException e) {
        List<String> why = e instanceof Problem p ? p.details() : e instanceof Refused r ? r.details() : List.of();
        if (why.isEmpty()) return e.getMessage();
        return e.getMessage() + " [" + why.getFirst() + (why.size() > 1 ? " (+" + (why.size() - 1) + " more)" : "") + "]";
    }

    /**
     * A push to the project's branch: the stored jobs (job list, schedules, upstream triggers) follow its new head;
     * a problem there never takes the push's runs back.
     */
    private void follow(Project p, String branch) {
        try {
            projects.followHead(p.name(), branch);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("push to project {}, branch {}: the stored jobs did not follow the new head: {}", p.name(),
                    branch, e.toString());
        }
    }

    /**
     * A pull/merge request opened or updated: its head (fetched with the mirror's pull request refs) builds the jobs
     * whose push trigger matches the branch it merges into, as a push there would, with its number in
     * {@code run.pr}; a fork's runs get no secrets unless the project allows them. A fork's is not built at all
     * unless the project allows that: its Jobfile and scripts are anyone's code, and a task on the server's machine
     * reads what the server's user can (nothing of it is fetched or compiled then).
     */
    private ProjectOutcome pullRequest(Project p, PushEvent event, long arrived) throws SQLException {
        PushEvent.PullRequestHead pr = event.pullRequest();
        if (pr.fork() && !p.allowForkBuilds()) {
            return outcome(p, event, event.commit(), Outcome.FORK_NOT_BUILT, "pull request #" + pr.number()
                    + " comes from a fork: its code is not built unless the project sets \"allowForkBuilds\": true "
                    + "(its tasks would run with what the server's machine gives them)");
        }
        Optional<String> marker = SkipMarkers.find(event.headMessage());
        if (marker.isPresent()) return skipped(p, event, event.commit(), marker.get());
        try {
            mirrors.sync(p.name(), p.gitUrl(), credentials.require(p.name(), p.credentials()), arrived);
            String commit = mirrors.resolve(p.name(), event.commit());
            if (event.headMessage() == null) {
                // GitHub's and Gitea's pull request payloads carry no commit message: read the head's from the mirror
                marker = SkipMarkers.find(changes.message(p.name(), commit));
                if (marker.isPresent()) return skipped(p, event, commit, marker.get());
            }
            return build(p, event, commit);
        } catch (Problem | Refused | GitMirrorException e) {
            return outcome(p, event, event.commit(), Outcome.FAILED, "pull request #" + pr.number() + ": " + said(e));
        }
    }

    private ProjectOutcome build(Project p, PushEvent event, String commit) throws SQLException {
        // one that does not compile is kept as the ref's Jobfile problem: the API and the project's page show it
        List<Job> jobs = projects.compilePushed(p.name(), event.ref(), commit).jobs();
        if (event.tag()) return tagged(p, event, commit, jobs);
        PushEvent.PullRequestHead pr = event.pullRequest();
        // a pull request builds what a push to the branch it merges into would
        String triggerBranch = pr == null ? event.branch() : pr.targetBranch();
        List<Job> branchMatches = jobs.stream().filter(j -> j.triggers().push().stream()
                .anyMatch(push -> BranchFilter.takes(push, triggerBranch))).toList();
        if (branchMatches.isEmpty()) {
            return new ProjectOutcome(p.name(), event.ref(), commit, Outcome.NO_MATCHING_BRANCH, (pr == null ? ""
                    : "pull request #" + pr.number() + " into ") + "branch '" + triggerBranch
                    + "' matches no job's push trigger", null, jobs.stream().map(JobFilter::of).toList(), null);
        }
        Optional<List<String>> files = Optional.empty();
        if (branchMatches.stream().anyMatch(j -> j.triggers().push().stream().anyMatch(Triggers.Push::filtersPaths))) {
            // a host's list of a force push's commits misses what it took back: GitHub says "forced" (and lists
            // none), GitLab and Gitea do not, so the mirror tells
            boolean listed = event.changedFiles() != null && (pr != null
                    || !changes.rewritten(p.name(), event.before(), commit));
            files = listed ? Optional.of(event.changedFiles())
                    : pr != null ? changes.ofPullRequest(p.name(), pr.targetBranch(), commit)
                    : changes.between(p.name(), event.before(), commit);
        }
        Map<String, Object> metadata = pr == null
                ? Map.of("push", saidBy(event, Map.of("host", event.host().path(), "branch", event.branch(), "commit", commit)))
                : Map.of("pullRequest", saidBy(event, Map.of("host", event.host().path(), "number", pr.number(), "source",
                event.branch(), "target", pr.targetBranch(), "commit", commit, "fork", pr.fork())));
        io.stoker.server.run.PullRequest runPr = pr == null ? null : new io.stoker.server.run.PullRequest(pr.number(),
                pr.targetBranch(), pr.fork() && !p.allowForkSecrets());
        List<RunLink> started = new ArrayList<>();
        List<Job> heldBack = new ArrayList<>();
        for (Job job : branchMatches) {
            // a branch push's commit is handled for the job whether started or held back: its poll skips it
            if (pr == null && !job.triggers().poll().isEmpty()) seen(p, job, event.branch(), commit);
            if (!pathsMatch(job, triggerBranch, files)) {
                heldBack.add(job);
                continue;
            }
            RunService.Queued q = runs.startPushed(p.name(), job, p.gitUrl(), commit, event.branch(), metadata, runPr);
            LOG.info("{} started run {} of {}/{}", pr == null ? "push" : "pull request #" + pr.number(), q.key(),
                    p.name(), job.name());
            started.add(RunLink.of(q.key(), q.number(), p.name(), job.name()));
        }
        List<JobFilter> held = heldBack.isEmpty() ? null : heldBack.stream().map(JobFilter::of).toList();
        List<String> shown = held == null ? null : files.map(f -> f.subList(0, Math.min(SHOWN_FILES, f.size()))).orElse(null);
        if (started.isEmpty()) {
            return new ProjectOutcome(p.name(), event.ref(), commit, Outcome.PATH_FILTER, "no file the push changed "
                    + "passes the paths/pathsIgnore of the jobs whose branch filter matches", null, held, shown);
        }
        String reason = files.isEmpty() && branchMatches.stream().anyMatch(j -> j.triggers().push().stream()
                .anyMatch(Triggers.Push::filtersPaths))
                ? (pr != null ? "the files the pull request changes are unknown (its target branch has no common "
                + "history with it here): path filters were not applied"
                : "the changed files are unknown (a new branch, or history rewritten): path filters were not applied")
                : held == null ? null : io.stoker.model.Plural.of(heldBack.size(), "job") + " held back by "
                + (heldBack.size() == 1 ? "its" : "their") + " path filter";
        return new ProjectOutcome(p.name(), event.ref(), commit, Outcome.STARTED, reason, started, held, shown);
    }

    /** A run's push metadata with {@code by}, who pushed, when the host's payload said. */
    private static Map<String, Object> saidBy(PushEvent event, Map<String, Object> metadata) {
        if (event.by() == null) return metadata;
        Map<String, Object> with = new java.util.LinkedHashMap<>(metadata);
        with.put("by", event.by());
        return with;
    }

    /**
     * A tag push: the jobs one of whose push triggers' {@code tags} matches the tag's name start at the commit it
     * points to (resolved through the mirror: an annotated tag's payload may name the tag object), with no branch
     * and the tag in {@code run.tag}. Path filters do not apply: a tag changes no file. A skip marker in the
     * commit's message holds them back, as GitHub and GitLab skip a tag's workflows and pipelines for it.
     */
    private ProjectOutcome tagged(Project p, PushEvent event, String commit, List<Job> jobs) throws SQLException {
        String tag = event.tagName();
        List<Job> matches = jobs.stream().filter(j -> j.triggers().push().stream()
                .anyMatch(push -> BranchFilter.takesTag(push, tag))).toList();
        if (matches.isEmpty()) {
            return new ProjectOutcome(p.name(), event.ref(), commit, Outcome.TAG_PUSH, "tag '" + tag + "' matches no "
                    + "job's push trigger 'tags'", null, jobs.stream().map(JobFilter::of).toList(), null);
        }
        Optional<String> marker = SkipMarkers.find(event.headMessage() != null ? event.headMessage()
                : changes.message(p.name(), commit));
        if (marker.isPresent()) return skipped(p, event, commit, marker.get());
        Map<String, Object> metadata = Map.of("push", saidBy(event, Map.of("host", event.host().path(), "tag", tag, "commit", commit)));
        List<RunLink> started = new ArrayList<>();
        for (Job job : matches) {
            RunService.Queued q = runs.startTag(p.name(), job, p.gitUrl(), commit, tag, metadata, "push");
            LOG.info("push of tag {} started run {} of {}/{}", tag, q.key(), p.name(), job.name());
            started.add(RunLink.of(q.key(), q.number(), p.name(), job.name()));
        }
        return new ProjectOutcome(p.name(), event.ref(), commit, Outcome.STARTED, null, started, null, null);
    }

    /** Tells {@link #handled}; at worst the next poll builds the commit again, so a failure is only logged. */
    private void seen(Project p, Job job, String branch, String commit) {
        try {
            handled.handled(p.name(), job.name(), branch, commit);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("push to project {}, branch {}: the poll of job {} was not told of commit {}: {}", p.name(),
                    branch, job.name(), commit, e.toString());
        }
    }

    static boolean pathsMatch(Job job, String branch, Optional<List<String>> files) {
        return PushFilter.admits(job, branch, files);
    }

    private static ProjectOutcome skipped(Project p, PushEvent event, String commit, String marker) {
        return outcome(p, event, commit, Outcome.SKIP_MARKER, "the head commit's message holds " + marker);
    }

    private static ProjectOutcome outcome(Project p, PushEvent event, String commit, Outcome outcome, String reason) {
        return new ProjectOutcome(p.name(), event.ref(), commit, outcome, reason, null, null, null);
    }
}

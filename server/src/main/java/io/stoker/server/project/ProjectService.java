package io.stoker.server.project;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.Compiler;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.model.Diagnostic;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import io.stoker.server.Refused;
import io.stoker.server.forge.Payloads;
import io.stoker.server.forge.StatusSettings;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrorException;
import io.stoker.server.git.JobfileText;
import io.stoker.server.git.RefusedCredentialsException;
import io.stoker.server.git.UnknownRefException;
import io.stoker.server.git.UnusableCredentialsException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Creates, updates, refreshes and deletes projects, compiling their Jobfile on each change so only valid jobs
 * are stored. Blocking (JDBC, git, compile): call it from a worker thread. Refusals are {@link Refused}.
 */
public final class ProjectService {
    /**
     * What can name a git repository: a URL of a scheme git speaks, scp-like {@code [user@]host:path}, or an absolute
     * path. As in git, scp-like {@code host:path} never starts its path with {@code //}: {@code ftp://host/r} is a
     * URL of another scheme, which JGit would try (failing with a cast of JDK classes for a message), not the path
     * {@code //host/r} on a host called ftp.
     */
    private static final java.util.regex.Pattern GIT_URL = java.util.regex.Pattern.compile(
            "(?i)(https?|ssh|git)://\\S+|file:.+|([\\w.-]+@)?[\\w.-]+:(?!//)\\S+|/.*");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProjectService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The largest Jobfile text a project holds or a validation reads, in chars (1 MiB). */
    public static final long MAX_JOBFILE_CHARS = 1 << 20;

    private final ProjectRepository projects;
    private final GitProjects git;
    private final Compiler compiler;
    private final Clock clock;
    private final LocalRepositories local;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<Forget> forgetters = new CopyOnWriteArrayList<>();
    private final List<Guard> guards = new CopyOnWriteArrayList<>();
    private final List<Consumer<JobfileProblem>> problemListeners = new CopyOnWriteArrayList<>();

    /** What else keeps a project's name, and must drop it when the project goes (a new one may take the name). */
    @FunctionalInterface
    public interface Forget {
        void forget(String project) throws Exception;
    }

    /** Asked before a project is deleted; refuses it by throwing {@link Refused}. */
    public interface Guard {
        void check(String project) throws SQLException;
    }

    public ProjectService(ProjectRepository projects, GitProjects git, Compiler compiler, Clock clock,
                          LocalRepositories local) {
        this.local = local;
        this.projects = projects;
        this.git = git;
        this.compiler = compiler;
        this.clock = clock;
    }

    /** {@link #create(ProjectSpec, boolean)} by someone who is no admin. */
    public Project create(ProjectSpec spec) throws SQLException {
        return create(spec, false);
    }

    /** Creates a project; {@code byAdmin} when an admin asks (only one may name server-wide git credentials). */
    public Project create(ProjectSpec spec, boolean byAdmin) throws SQLException {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw new Refused.Malformed("'name' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    "field: name");
        }
        // checked before compiling: syncing would point an existing project's mirror at this spec's URL
        Optional<String> taken = projects.nameTaken(spec.name());
        if (taken.isPresent()) throw nameTaken(spec.name(), taken.get());
        Instant now = clock.instant();
        String credentials = credentials(spec.credentials(), null);
        if (spec.gitUrl() != null) {
            local.check(spec.gitUrl(), byAdmin);
            checkServerWide(spec.name(), credentials, null, spec.gitUrl(), null, byAdmin);
        }
        status(spec.name(), spec, StatusSettings.NONE); // a malformed field is refused before anything is fetched
        try {
            Compiled compiled = compile(spec.name(), spec, credentials, null);
            StatusSettings status = status(spec.name(), spec, StatusSettings.NONE);
            Project p = new Project(0, spec.name(), spec.gitUrl(), compiled.branch(), spec.jobfile(),
                    compiled.fileName(), compiled.commit(), now, now, secret(spec.webhookSecret(), null), credentials,
                    status, Boolean.TRUE.equals(spec.allowForkSecrets()), Boolean.TRUE.equals(spec.allowForkBuilds()));
            // another add took the name meanwhile (the insert checks again, in its transaction)
            if (!projects.insert(p, compiled.jobs())) throw nameTaken(spec.name(), projects.nameTaken(spec.name()).orElse(spec.name()));
        } catch (RuntimeException | SQLException e) {
            forgetFailedAdd(spec);
            throw e;
        }
        changed(spec.name());
        return get(spec.name());
    }

    /**
     * The 409 of a name that is taken, in this letter case or another: {@code Demo} and {@code demo} would read as
     * one project to people and share a mirror on a case-insensitive file system.
     */
    private static Refused.Conflict nameTaken(String name, String taken) {
        String message = taken.equals(name) ? "a project named '" + name + "' exists already"
                : "a project named '" + taken + "' exists already, and names that differ only in letter case are one name";
        return new Refused.Conflict("exists", message, List.of("field: name"));
    }

    /**
     * A git project whose add failed (a Jobfile that does not compile, a branch it lacks) leaves no mirror behind:
     * a fetched repository of any size would stay in the data directory for a project that does not exist. Not when
     * the name was taken meanwhile (an add beside this one won): that project's mirror is in use.
     */
    private void forgetFailedAdd(ProjectSpec spec) {
        if (spec.gitUrl() == null) return;
        try {
            if (projects.find(spec.name()).isEmpty()) git.forget(spec.name());
        } catch (RuntimeException | SQLException e) {
            org.slf4j.LoggerFactory.getLogger(ProjectService.class)
                    .warn("project {} was not added, and its mirror stays: {}", spec.name(), e.toString());
        }
    }

    /**
     * Updates a project (PUT): every field the body leaves out keeps its value. A body that changes the source
     * ({@code gitUrl}, {@code jobfile}, {@code branch}, {@code file}, {@code credentials}) has the Jobfile read and
     * compiled again as {@link #refresh} does; one of settings alone keeps the jobs without fetching. A {@code gitUrl} or {@code jobfile} replaces the source; the name in
     * the path must be the one in the body, if any. {@code byAdmin} when an admin asks (see {@link #checkServerWide}).
     */
    public Project update(String name, ProjectSpec given, boolean byAdmin) throws SQLException {
        Project old = get(name);
        if (given.name() != null && !given.name().equals(name)) {
            throw new Refused.Malformed("a project cannot be renamed: the body's name '" + given.name() + "' is not '" + name + "'",
                    "field: name");
        }
        // a GET shows the URL without its password: that form sent back means the URL as it is
        given = given.withGitUrl(ShownGitUrl.meant(given.gitUrl(), old.gitUrl()));
        ProjectSpec spec = over(old, given);
        // what a git project alone has (credentials, commit statuses) is kept while it stays one, but not into a
        // freestyle source: `stoker project update P --jobfile F` turns a git project into a freestyle one
        boolean git = spec.gitUrl() != null;
        String credentials = credentials(spec.credentials(), git ? old.credentials() : null);
        // a URL kept as it is was allowed when it was given: its members refresh and change settings as before
        if (git && !java.util.Objects.equals(spec.gitUrl(), old.gitUrl())) local.check(spec.gitUrl(), byAdmin);
        checkServerWide(name, credentials, old.credentials(), spec.gitUrl(), old.gitUrl(), byAdmin);
        StatusSettings status = status(name, spec, git ? old.status() : StatusSettings.NONE);
        String keptBranch = given.branch() == null && spec.branch() != null ? spec.branch() : null;
        // settings alone (a webhook secret, statuses, fork flags) leave the jobs as they are: no fetch, so they can
        // be changed while the repository's host is down, and a new commit is not taken in by the way
        Compiled compiled = settingsOnly(given)
                ? new Compiled(null, old.jobfileName(), old.commit(), old.branch())
                : compile(name, spec, credentials, keptBranch);
        Project p = new Project(old.id(), name, spec.gitUrl(), compiled.branch(), spec.jobfile(), compiled.fileName(),
                compiled.commit(), old.createdAt(), clock.instant(), secret(spec.webhookSecret(), old.webhookSecret()),
                credentials, status, spec.allowForkSecrets() == null ? old.allowForkSecrets() : spec.allowForkSecrets(),
                spec.allowForkBuilds() == null ? old.allowForkBuilds() : spec.allowForkBuilds());
        projects.update(p, compiled.jobs());
        // the branch's head was read and compiles: a problem a push of the branch left is older, and fixed
        if (compiled.jobs() != null && compiled.commit() != null) {
            projects.jobfileProblems().clear(name, Payloads.HEADS + compiled.branch());
        }
        changed(name);
        return get(name);
    }

    /**
     * Whether a PUT's body changes settings and none of the source; an empty body changes nothing and reads the
     * Jobfile again, as refresh does.
     */
    private static boolean settingsOnly(ProjectSpec given) {
        boolean source = given.gitUrl() != null || given.jobfile() != null || given.branch() != null
                || given.file() != null || given.credentials() != null;
        boolean settings = given.webhookSecret() != null || given.statusHost() != null || given.statusApiUrl() != null
                || given.statusRepository() != null || given.statusTokenSecret() != null
                || given.allowForkSecrets() != null || given.allowForkBuilds() != null;
        return settings && !source;
    }

    /** Reads the Jobfile again (for git projects at the branch's newest commit) and stores the jobs. */
    public Project refresh(String name) throws SQLException {
        return update(name, ProjectSpec.KEEP_ALL, false); // keeps the credentials and URL: anyone's to ask
    }

    /**
     * The project's mirror was just fetched for news of {@code branch} (a push to it, a poll, a run of its head):
     * when that is the project's branch and its head there moved off the stored commit, the Jobfile at the new head
     * is compiled and its jobs stored, as {@link #refresh} stores them, and {@link #onChange} listeners hear of it
     * (schedules, the other servers of a cluster). Another branch changes nothing. A Jobfile that does not compile
     * there keeps the jobs stored (one WARN line names project, branch, commit and the first error) and is the
     * branch's {@link JobfileProblem}, as {@link #compilePushed} records it. True when
     * stored; false too when another server or a refresh stored something meanwhile (it was as new).
     */
    public boolean followHead(String name, String branch) throws SQLException {
        Project p = projects.find(name).orElse(null);
        if (p == null || !p.isGit() || !branch.equals(p.branch())) return false;
        String head = git.head(name, branch).orElse(null);
        if (head == null || head.equals(p.commit())) return false;
        Jobfile jobfile;
        try {
            jobfile = compilePushed(name, Payloads.HEADS + branch, head);
        } catch (Refused e) {
            LOG.warn("project {}: the Jobfile at {} (head of branch {}) is not taken, the jobs of {} stay: {}", name,
                    head, branch, p.commit() == null ? "before" : p.commit().substring(0, 12), firstProblem(e));
            return false;
        }
        return followHead(p, head, jobfile);
    }

    /** Stores the jobs of {@code jobfile}, compiled at {@code head} of the project's branch, unless someone did. */
    private boolean followHead(Project p, String head, Jobfile jobfile) throws SQLException {
        if (!projects.followHead(p, head, jobfile.file(), jobfile.jobs(), clock.instant())) return false;
        LOG.info("project {}: jobs read at {}, the new head of branch {}", p.name(), head.substring(0, 12), p.branch());
        changed(p.name());
        return true;
    }

    /** The first diagnostic of a refusal (a Jobfile's first error), else its message. */
    public static String firstProblem(Refused e) {
        return e.details().isEmpty() ? e.getMessage() : e.getMessage() + ": " + e.details().getFirst();
    }

    /**
     * A PUT's body over the project as it is: the fields it leaves out take the project's values. A new
     * {@code gitUrl} keeps a git project's branch too (a moved repository builds the branch it did); a freestyle
     * project turned into a git one builds the repository's default branch.
     */
    private static ProjectSpec over(Project old, ProjectSpec spec) {
        boolean newSource = spec.gitUrl() != null || spec.jobfile() != null;
        String gitUrl = newSource ? spec.gitUrl() : old.gitUrl();
        String jobfile = newSource ? spec.jobfile() : old.jobfile();
        String branch = spec.branch() != null || gitUrl == null ? spec.branch() : old.branch();
        // a kept text keeps its syntax (a new one without 'file' is guessed from its start); a name stored before
        // names were checked (e.g. ci.yaml) is read as the one of its syntax (Jobfile.yaml)
        String file = spec.file() != null || newSource || old.isGit() ? spec.file()
                : JobfileCompiler.NAMES.contains(old.jobfileName()) ? old.jobfileName()
                : JobfileCompiler.Syntax.of(old.jobfileName()).fileName();
        return new ProjectSpec(spec.name(), gitUrl, branch, jobfile, file, spec.webhookSecret(), spec.credentials(),
                spec.statusHost(), spec.statusApiUrl(), spec.statusRepository(), spec.statusTokenSecret(),
                spec.allowForkSecrets(), spec.allowForkBuilds());
    }

    public void delete(String name) throws SQLException {
        get(name); // an unknown project is a 404 before any guard speaks
        for (Guard g : guards) g.check(name);
        if (!projects.delete(name)) throw new Refused.NotFound("no project '" + name + "'");
        projects.forgetTriggerSource(name);
        git.forget(name);
        for (Forget f : forgetters) {
            try {
                f.forget(name);
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ProjectService.class).warn("project {} deleted, but {}", name, e.toString());
            }
        }
        changed(name);
    }

    /**
     * Calls {@code forget} with a deleted project's name: what refers to a project by name (a global secret's grants,
     * its deployment history) must not pass to a new project that takes the name.
     */
    public void onDelete(Forget forget) {
        forgetters.add(forget);
    }

    /** Asks {@code guard} before each deletion; what it refuses is not deleted. */
    public void guardDelete(Guard guard) {
        guards.add(guard);
    }

    /**
     * Calls {@code listener} with a project's name after it was created, updated, refreshed or deleted (on the
     * caller's thread), e.g. to register its jobs' schedules again.
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void changed(String name) {
        for (Consumer<String> l : listeners) {
            l.accept(name);
        }
    }

    /** A PUT without a secret keeps the old one (GET never shows it, so a GET-edit-PUT must not lose it). */
    private static String secret(String given, String old) {
        if (given == null) return old;
        if (given.length() > 1000) throw new Refused.Malformed("'webhookSecret' is longer than 1000 characters", "field: webhookSecret");
        return given.isBlank() ? null : given;
    }

    /** Commit status settings: a 400 naming the field when one is malformed or given to a freestyle project. */
    private static StatusSettings status(String project, ProjectSpec spec, StatusSettings old) {
        StatusSettings s = StatusSettings.of(spec.statusHost(), spec.statusApiUrl(), spec.statusRepository(),
                spec.statusTokenSecret(), old);
        if (spec.gitUrl() == null && !s.equals(StatusSettings.NONE)) {
            throw new Refused.Malformed("'statusTokenSecret' and the other status fields are for git projects: '"
                    + project + "' has no git URL, so its runs have no commit to set a status on", "field: statusTokenSecret");
        }
        return s;
    }

    /**
     * Server-wide git credentials (the deprecated environment or file) are bound to no project and no host: whoever
     * names them on a project, or points a project using them at another URL, decides where the server sends them.
     * That is an admin's decision; a developer keeps credentials as a secret granted to the project. Checked before
     * anything is fetched. A body that sends back the project's own credentials and URL changes neither.
     */
    private void checkServerWide(String project, String credentials, String oldCredentials, String gitUrl,
                                 String oldUrl, boolean byAdmin) {
        if (byAdmin || credentials == null) return;
        boolean named = !credentials.equals(oldCredentials);
        if (!named && java.util.Objects.equals(gitUrl, oldUrl)) return;
        boolean serverWide;
        try {
            serverWide = git.serverWideCredentials(project, credentials);
        } catch (GitMirrorException e) {
            throw new Refused.Invalid("cannot read the git credentials", List.of(String.valueOf(e.getMessage()), "field: credentials"));
        }
        if (!serverWide) return;
        String instead = "keep credentials as a secret granted to the project instead";
        throw new Refused.Forbidden(named
                ? "server-wide git credentials '" + credentials + "' can be given to a project by an admin only; " + instead
                : "project '" + project + "' uses server-wide git credentials '" + credentials + "': only an admin may"
                + " change its git URL; " + instead, List.of());
    }

    /** As with the secret, a PUT without credentials keeps the old name and "" removes it. */
    private static String credentials(String given, String old) {
        if (given == null) return old;
        if (given.isBlank()) return null;
        if (!GitCredentialsLookup.NAME.matcher(given).matches()) {
            throw new Refused.Malformed("'credentials' must name git credentials: 1 to 100 letters, digits, '.', '_' or '-'",
                    "field: credentials");
        }
        return given;
    }

    /** Whether the project's tasks in images may ask for --privileged, host networking or host mounts. */
    /**
     * The projects whose runs' trigger steps may start this project's jobs; {@code *} stands for any. A project's
     * own runs always may. Empty by default: a project decides who starts its jobs (with its secrets and deploy
     * targets), not the project that writes the trigger step.
     */
    public List<String> triggersFrom(String name) throws SQLException {
        get(name);
        return projects.triggersFrom(name);
    }

    /**
     * Sets {@link #triggersFrom}: names of existing projects, or {@code *}. A name nobody has yet is refused: it
     * would trust whoever creates a project of that name later.
     */
    public List<String> triggersFrom(String name, List<String> from) throws SQLException {
        List<String> clean = new java.util.ArrayList<>();
        for (String f : from) {
            if (f == null || !(f.equals("*") || NAME.matcher(f).matches())) {
                throw new Refused.Malformed("'from' lists project names or '*', not '" + f + "'", "field: from");
            }
            if (!clean.contains(f)) clean.add(f);
        }
        get(name); // an unknown project in the path is a 404 of its own
        for (String f : clean) {
            if (!f.equals("*") && projects.find(f).isEmpty()) {
                throw new Refused.NotFound("'from' names no project '" + f + "': only existing projects (or '*') "
                        + "can be trusted, not a name someone may take later", "field: from");
            }
        }
        if (!projects.triggersFrom(name, clean)) throw new Refused.NotFound("no project '" + name + "'");
        return List.copyOf(clean);
    }

    /** Whether a run of project {@code from} may start a job of project {@code to} with a trigger step. */
    public boolean acceptsTrigger(String to, String from) throws SQLException {
        if (to.equals(from)) return true;
        List<String> allowed = projects.triggersFrom(to);
        return allowed.contains("*") || allowed.contains(from);
    }

    public boolean hostAccess(String name) throws SQLException {
        return projects.hostAccess(name);
    }

    /** Allows or refuses the project's host access (the caller checks the admin role and audits it). */
    public void hostAccess(String name, boolean allowed) throws SQLException {
        if (!projects.hostAccess(name, allowed)) throw new Refused.NotFound("no project '" + name + "'");
    }

    public Project get(String name) throws SQLException {
        Optional<Project> found = projects.find(name);
        if (found.isPresent()) return found.get();
        // a name typed in another letter case most likely means the project that has it
        String meant = projects.nameTaken(name).orElse(null);
        throw new Refused.NotFound("no project '" + name + "'" + (meant == null ? ""
                : ": did you mean '" + meant + "'? Project names are matched as written"));
    }

    /** Every project, each without its Jobfile text ({@link Project#jobfile} null): {@link #get} has it. */
    public List<Project> list() throws SQLException {
        return projects.list();
    }

    /** One project, or empty when there is none of that name. */
    public java.util.Optional<Project> find(String name) throws SQLException {
        return projects.find(name);
    }

    /** Every job of every project. */
    public List<StoredJob> jobs() throws SQLException {
        return projects.jobs(null);
    }

    /** The jobs of one project, reading only its rows (none for a project that does not exist). */
    public List<StoredJob> jobsOf(String project) throws SQLException {
        return projects.jobs(project);
    }

    public StoredJob job(String project, String job) throws SQLException {
        get(project);
        return storedJob(project, job);
    }

    /** A job of a project known to exist. */
    private StoredJob storedJob(String project, String job) throws SQLException {
        return projects.job(project, job).orElseThrow(() -> new Refused.NotFound("no job '" + job + "' in project '" + project + "'"));
    }

    /** The deploy targets the project's Jobfile declares now (git projects: at the commit last read). */
    public List<io.stoker.model.DeployTarget> deployTargets(String project) throws SQLException {
        Project p = get(project);
        Jobfile jobfile = p.isGit() ? compileAt(project, p.commit()) : compile(p.jobfileName(), p.jobfile());
        return jobfile.targets();
    }

    /**
     * What a new run of a job is built from. Freestyle: the stored job. Git: the Jobfile at the commit {@code ref}
     * (default: the project's branch) names now, compiled again, so a run always matches its commit.
     */
    public BuildSource source(String project, String job, String ref) throws SQLException {
        Project p = get(project);
        if (!p.isGit()) {
            if (ref != null) throw new Refused.Malformed("a ref (branch, tag or commit) is only for git projects; '" + project
                    + "' is freestyle", "field: ref");
            // storedJob, not job(): the project row was just read, job() would read it again
            return new BuildSource(project, storedJob(project, job).job(), null, null, null);
        }
        if (ref != null && ref.isBlank()) {
            throw new Refused.Malformed("'ref' is empty: give a branch, tag or commit, or leave it out for the project's "
                    + "branch", "field: ref");
        }
        String commit = resolve(project, p.gitUrl(), p.credentials(), ref == null ? p.branch() : ref,
                ref == null ? null : "ref", null);
        String branch = ref == null ? p.branch() : branchOf(project, ref, commit);
        Jobfile jobfile = compileAt(project, commit);
        // a run of the branch's new head: the stored jobs (schedules, the job list) follow it
        if (p.branch().equals(branch) && !commit.equals(p.commit())) followHead(p, commit, jobfile);
        Job found = jobfile.job(job).orElseThrow(() -> new Refused.NotFound(
                "no job '" + job + "' in the Jobfile of '" + project + "' at " + commit.substring(0, 12)));
        return new BuildSource(project, found, p.gitUrl(), commit, branch, ref == null ? null : tagOf(project, ref, commit));
    }

    /**
     * The branch of a run built at {@code ref} (resolved to {@code commit}), as a push's: the short name for a
     * branch however it was given ({@code x}, {@code refs/heads/x}); none for a tag ({@code v1}, {@code refs/tags/v1}),
     * a commit SHA or another ref — as GitLab CI leaves a tag pipeline's branch empty.
     */
    private String branchOf(String project, String ref, String commit) {
        if (ref.startsWith(Payloads.HEADS)) return ref.substring(Payloads.HEADS.length());
        if (ref.startsWith("refs/")) return null;
        boolean isSha = commit.startsWith(ref.toLowerCase(java.util.Locale.ROOT)) && ref.length() >= 7;
        return isSha || git.isTag(project, ref) ? null : ref;
    }

    /**
     * The tag of a run built at {@code ref}, its short name: {@code v1} for {@code refs/tags/v1}, or for {@code v1}
     * when the mirror has that tag and no branch of the name; null for a branch, a commit SHA or another ref.
     */
    private String tagOf(String project, String ref, String commit) {
        if (ref.startsWith(Payloads.TAGS)) return ref.substring(Payloads.TAGS.length());
        if (ref.startsWith("refs/")) return null;
        boolean isSha = commit.startsWith(ref.toLowerCase(java.util.Locale.ROOT)) && ref.length() >= 7;
        return !isSha && git.isTag(project, ref) ? ref : null;
    }

    private record Compiled(List<Job> jobs, String fileName, String commit, String branch) {
    }

    /** {@code keptBranch}: the project's branch, when the body gave none (named if the repository lacks it). */
    private Compiled compile(String project, ProjectSpec spec, String credentials, String keptBranch) {
        checkFileName(spec.file());
        boolean hasGit = spec.gitUrl() != null;
        boolean hasText = spec.jobfile() != null;
        if (hasGit == hasText) {
            throw new Refused.Malformed("give either 'gitUrl' (a git project) or 'jobfile' (the Jobfile text), not "
                    + (hasGit ? "both" : "neither"));
        }
        if (hasText) {
            if (spec.branch() != null) throw new Refused.Malformed("'branch' is only for git projects", "field: branch");
            if (credentials != null) throw new Refused.Malformed("'credentials' is only for git projects", "field: credentials");
            if (spec.jobfile().length() > MAX_JOBFILE_CHARS) {
                throw new Refused.Malformed("'jobfile' is larger than 1 MiB", "field: jobfile");
            }
            if (spec.jobfile().isBlank()) {
                throw new Refused.Malformed("'jobfile' is empty: give the Jobfile's text", "field: jobfile");
            }
            String file = spec.file() == null ? JobfileCompiler.Syntax.guess(spec.jobfile()).fileName() : spec.file();
            List<Job> jobs = jobs(compiler.compile(file, spec.jobfile()));
            return new Compiled(jobs, file, null, null);
        }
        if (spec.gitUrl().isBlank()) throw new Refused.Malformed("'gitUrl' is empty", "field: gitUrl");
        if (!GIT_URL.matcher(spec.gitUrl()).matches()) {
            throw new Refused.Malformed("'gitUrl' must be a git repository's URL (https://…, ssh://…, git@host:path, "
                    + "file:///path or an absolute path), not '" + io.stoker.server.git.GitMirrors.redact(spec.gitUrl()) + "'",
                    "field: gitUrl");
        }
        // else "no branch, tag or commit named ''": a 422 as if the repository lacked one, not naming the field
        if (spec.branch() != null && spec.branch().isBlank()) {
            throw new Refused.Malformed("'branch' is empty: give a branch, tag or commit, or leave it out for the "
                    + "repository's default branch", "field: branch");
        }
        String commit = resolve(project, spec.gitUrl(), credentials, spec.branch(),
                spec.branch() == null ? null : "branch", keptBranch); // null: its HEAD
        String branch = spec.branch() == null ? git.defaultBranch(project) : spec.branch();
        Jobfile jobfile = compileAt(project, commit);
        // a git project reads the first Jobfile name at the root; 'file' may repeat it (a GET's body sent back), not
        // pick another, which would be stored and shown while another file is built
        if (spec.file() != null && !spec.file().equals(jobfile.file())) {
            throw new Refused.Malformed("'file' is " + spec.file() + " but the repository's Jobfile is " + jobfile.file()
                    + ": a git project reads the first of " + String.join(", ", JobfileCompiler.NAMES)
                    + " at its root; leave 'file' out", "field: file");
        }
        return new Compiled(jobfile.jobs(), jobfile.file(), commit, branch);
    }

    /** {@code field}: the body's field that gave {@code ref}, named when the repository lacks it; null for none. */
    private String resolve(String project, String gitUrl, String credentials, String ref, String field, String keptBranch) {
        try {
            return git.resolve(project, gitUrl, credentials, ref);
        } catch (UnknownRefException e) {
            // the repository was read: what it lacks is the ref, which the message names
            List<String> details = new java.util.ArrayList<>();
            if (field != null) details.add("field: " + field);
            if (keptBranch != null) {
                details.add("'" + keptBranch + "' is the project's branch, kept as the body gave no 'branch': give "
                        + "'branch' to build one the repository has");
            }
            throw new Refused.Invalid(String.valueOf(e.getMessage()), details);
        } catch (UnusableCredentialsException e) {
            // the repository was not even asked: what to mend is the credentials the body named (or the project kept)
            throw new Refused.Invalid("cannot use the git credentials", List.of(String.valueOf(e.getMessage()), "field: credentials"));
        } catch (RefusedCredentialsException e) {
            // the host was asked and turned them away: the repository may be right, the credentials are not
            throw new Refused.Invalid("the git host refused the git credentials", List.of(String.valueOf(e.getMessage()), "field: credentials"));
        } catch (GitMirrorException e) {
            throw new Refused.Invalid("cannot read the git repository", List.of(String.valueOf(e.getMessage()), "field: gitUrl"));
        }
    }

    /** Compiles a Jobfile text (not a project's); {@link Refused.Invalid} with its errors when invalid. */
    public Jobfile compile(String file, String text) {
        if (text.length() > MAX_JOBFILE_CHARS) throw new Refused.Malformed("'jobfile' is larger than 1 MiB", "field: jobfile");
        return jobfile(compiler.compile(file, text));
    }

    /**
     * A Jobfile's {@code file} as a client gives it: one of {@link JobfileCompiler#NAMES}, which picks the syntax and
     * names the file in diagnostics; never a path (it is stored and shown) nor another name (read as Groovy).
     */
    private static void checkFileName(String file) {
        if (file == null || JobfileCompiler.NAMES.contains(file)) return;
        String shown = file.length() > 60 ? file.substring(0, 60) + "…" : file;
        throw new Refused.Malformed("'file' must be one of " + String.join(", ", JobfileCompiler.NAMES)
                + ", not '" + shown + "'", "field: file", "it names the Jobfile's syntax; it is not a path");
    }

    /** Compiles a Jobfile text and gives every diagnostic (errors and warnings); stores nothing. */
    public List<Diagnostic> validate(String file, String text) {
        checkFileName(file);
        if (text.length() > MAX_JOBFILE_CHARS) throw new Refused.Malformed("'jobfile' is larger than 1 MiB", "field: jobfile");
        return switch (compiler.compile(file, text)) {
            case CompileResult.Compiled c -> c.diagnostics();
            case CompileResult.Rejected r -> r.diagnostics();
        };
    }

    /** Who may name a repository on the server's own disk (shuttle sources follow the projects' rule). */
    public LocalRepositories localRepositories() {
        return local;
    }

    /** The project's Jobfile at a commit of its (already synced) mirror, compiled; {@link Refused.Invalid} when invalid. */
    public Jobfile compileAt(String project, String commit) {
        JobfileText text = readJobfile(project, commit).orElseThrow(() -> noJobfile(commit));
        return jobfile(compiler.compileInTurn(text.name(), text.text())); // a push's or a poll's: never refused
    }

    /**
     * The Jobfile a push, a poll, a tag push or a pull request brought to {@code ref} (a full ref) at {@code commit},
     * compiled as {@link #compileAt} does. One that does not compile is kept as the ref's {@link JobfileProblem}
     * (in place of the one before; listeners of {@link #onJobfileProblem} hear of a new one), as GitLab keeps a
     * failed "yaml invalid" pipeline: a push that starts nothing leaves a trace. One that compiles, or a commit
     * without a Jobfile, clears the ref's problem. A Jobfile that cannot be read (git failed) changes nothing.
     */
    public Jobfile compilePushed(String project, String ref, String commit) throws SQLException {
        JobfileProblems problems = projects.jobfileProblems();
        Optional<JobfileText> found = readJobfile(project, commit);
        if (found.isEmpty()) {
            problems.clear(project, ref);
            throw noJobfile(commit);
        }
        JobfileText text = found.get();
        CompileResult result = compiler.compileInTurn(text.name(), text.text());
        switch (result) {
            case CompileResult.Compiled c -> problems.clear(project, ref);
            case CompileResult.Rejected r -> {
                JobfileProblem problem = new JobfileProblem(project, ref, commit, text.name(), clock.instant(),
                        r.diagnostics());
                if (problems.record(problem)) problemListeners.forEach(l -> l.accept(problem));
            }
        }
        return jobfile(result);
    }

    /** Forgets the Jobfile problem of a ref that is gone (a branch or tag deleted). */
    public void refGone(String project, String ref) throws SQLException {
        projects.jobfileProblems().clear(project, ref);
    }

    /** The project's Jobfile problems, newest first (none for a freestyle project: its Jobfile is refused on save). */
    public List<JobfileProblem> jobfileProblems(String project) throws SQLException {
        return projects.jobfileProblems().of(project);
    }

    /** Every project's Jobfile problems, newest first. */
    public List<JobfileProblem> jobfileProblems() throws SQLException {
        return projects.jobfileProblems().of(null);
    }

    /**
     * Calls {@code listener} with each Jobfile problem {@link #compilePushed} records that its ref did not have at
     * that commit (on the caller's thread), e.g. to set a failed commit status on the git host.
     */
    public void onJobfileProblem(Consumer<JobfileProblem> listener) {
        problemListeners.add(listener);
    }

    private Optional<JobfileText> readJobfile(String project, String commit) {
        try {
            return git.readJobfile(project, commit);
        } catch (GitMirrorException e) {
            throw new Refused.Invalid("cannot read the Jobfile", List.of(String.valueOf(e.getMessage())));
        }
    }

    private static Refused.Invalid noJobfile(String commit) {
        return new Refused.Invalid("no Jobfile at commit " + commit.substring(0, 12),
                List.of("looked for Jobfile, Jobfile.yaml, Jobfile.yml and Jobfile.json at the repository's root"));
    }

    private static List<Job> jobs(CompileResult result) {
        return jobfile(result).jobs();
    }

    private static Jobfile jobfile(CompileResult result) {
        return switch (result) {
            case CompileResult.Compiled c -> c.jobfile();
            case CompileResult.Rejected r -> throw new Refused.Invalid("the Jobfile is invalid",
                    r.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::toString).toList());
        };
    }
}

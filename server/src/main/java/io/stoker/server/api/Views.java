package io.stoker.server.api;

import io.stoker.model.Diagnostic;
import io.stoker.server.cluster.RunHolder;
import io.stoker.server.project.JobfileProblem;
import io.stoker.server.project.Project;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.TaskRow;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of API v1 resources; fixed names, so scripts keep working. */
final class Views {
    private Views() {
    }

    /**
     * A project in the list of them: as {@link #project} shows it, but without the {@code jobfile} text (up to
     * 1 MiB each, hundreds of them in one answer; {@code GET /projects/{name}} has it).
     */
    static Map<String, Object> listedProject(Project p, List<StoredJob> jobs, List<JobfileProblem> problems) {
        Map<String, Object> m = project(p, jobs, problems);
        m.remove("jobfile");
        return m;
    }

    /** @param problems the project's Jobfile problems, newest first */
    static Map<String, Object> project(Project p, List<StoredJob> jobs, List<JobfileProblem> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("kind", p.isGit() ? "git" : "freestyle");
        m.put("gitUrl", io.stoker.server.project.ShownGitUrl.of(p.gitUrl())); // without a password in it
        m.put("branch", p.branch());
        m.put("commit", p.commit());
        m.put("jobfile", p.isGit() ? null : p.jobfile());
        m.put("file", p.jobfileName());
        m.put("webhookSecretSet", p.webhookSecret() != null); // the secret itself is never shown
        m.put("credentials", p.credentials()); // a name; the token stays in the server's environment
        m.put("statusHost", p.status().host() == null ? null : p.status().host().path());
        m.put("statusApiUrl", p.status().apiUrl());
        m.put("statusRepository", p.status().repository());
        m.put("statusTokenSecret", p.status().tokenSecret()); // a name; the token stays in the secret store
        // what is in effect, inferred parts included: null when no statuses are sent
        m.put("commitStatuses", p.isGit() ? p.status().target(p.gitUrl()).map(t -> Map.of("host", t.host().path(),
                "apiUrl", t.apiUrl(), "repository", t.repository())).orElse(null) : null);
        m.put("allowForkSecrets", p.allowForkSecrets());
        m.put("allowForkBuilds", p.allowForkBuilds());
        m.put("jobs", jobs.stream().map(j -> j.job().name()).toList());
        m.put("jobfileProblems", problems.stream().map(Views::jobfileProblem).toList());
        m.put("createdAt", time(p.createdAt()));
        m.put("updatedAt", time(p.updatedAt()));
        return m;
    }

    /** A ref's Jobfile that did not compile: where, when, and its diagnostics as {@code POST /validate} gives them. */
    static Map<String, Object> jobfileProblem(JobfileProblem problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", problem.ref());
        m.put("commit", problem.commit());
        m.put("file", problem.file());
        m.put("at", time(problem.at()));
        m.put("diagnostics", problem.diagnostics().stream().map(Views::diagnostic).toList());
        return m;
    }

    /** One diagnostic of a Jobfile: {@code {line, col, severity, message}}. */
    static Map<String, Object> diagnostic(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", d.line());
        m.put("col", d.col());
        m.put("severity", d.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("message", d.message());
        return m;
    }

    static Map<String, Object> job(StoredJob j, io.stoker.engine.run.RunState lastStatus,
                                   io.stoker.server.trigger.NextFirings firings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", j.project());
        m.put("name", j.job().name());
        m.put("description", j.job().description());
        m.put("commit", j.commit());
        m.put("concurrency", j.job().concurrency());
        m.put("tasks", j.job().tasks().size());
        m.put("lastStatus", lastStatus == null ? null : lastStatus.label());
        // cron and poll schedules with their next firing, in the zone cron is read in (the server's)
        m.put("schedules", firings.of(j.project(), j.job()).stream().map(f -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
            s.put("spec", f.spec());
            s.put("expanded", f.expanded());
            s.put("nextFiring", f.at() == null ? null : f.at().toOffsetDateTime().toString());
            return s;
        }).toList());
        m.put("timeZone", firings.zone().getId());
        return m;
    }

    static Map<String, Object> run(RunRow r, boolean withTasks) {
        return run(r, withTasks, null);
    }

    /** A run; {@code holder}, the server running it, is given only while it runs. */
    static Map<String, Object> run(RunRow r, boolean withTasks, RunHolder holder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key());
        m.put("number", r.number());
        m.put("project", r.project());
        m.put("job", r.job());
        m.put("status", r.status().label());
        m.put("reason", r.reason());
        if (holder != null) {
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("id", holder.id());
            server.put("address", holder.address());
            m.put("server", server);
        }
        m.put("trigger", r.trigger());
        // who started it: the API's caller, or the user a git host's push names; absent for cron, poll, upstream…
        if (r.starter() != null) m.put("startedBy", r.starter());
        m.put("commit", r.commit());
        m.put("branch", r.branch());
        m.put("tag", r.tag());
        if (r.pr() != null) {
            m.put("pr", Map.of("number", r.pr().number(), "targetBranch", r.pr().targetBranch(),
                    "secretsWithheld", r.pr().secretsWithheld()));
        }
        if (r.forcePublish()) m.put("forcePublish", true);
        // the tasks its trigger asked for: it ran them and what they need; absent when it ran the whole job
        if (!r.selectedTasks().isEmpty()) m.put("selectedTasks", r.selectedTasks());
        m.put("parameters", r.parameters());
        m.put("metadata", r.metadata());
        m.put("rerunOf", r.rerunOf());
        m.put("rerunFrom", r.rerunFrom());
        if (r.rerunFailed()) m.put("rerunFailed", true);
        m.put("createdAt", time(r.createdAt()));
        m.put("startedAt", time(r.startedAt()));
        m.put("finishedAt", time(r.finishedAt()));
        // set once a user asked for its cancel (a run may still end otherwise, if it ended before the cancel took)
        m.put("cancelledBy", r.cancel() == null ? null : r.cancel().by());
        m.put("cancelledAt", r.cancel() == null ? null : time(r.cancel().at()));
        // a run a restart queued again keeps its first start as startedAt; this is when it started again
        m.put("restartedAt", time(r.restartedAt()));
        if (withTasks) {
            Map<String, Object> tasks = new LinkedHashMap<>();
            for (TaskRow t : r.tasks()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("status", t.status().label());
                tm.put("exitCode", t.exitCode());
                tm.put("attempts", t.attempts());
                tm.put("outputs", t.outputs());
                tm.put("reason", t.reason());
                // failed or timed out, and allowed to: the run went on as after a success
                if (t.allowedFailure()) tm.put("allowedFailure", true);
                tm.put("startedAt", time(t.startedAt()));
                tm.put("finishedAt", time(t.finishedAt()));
                if (t.approval() != null) tm.put("approval", approval(t.approval(), t.status()));
                // what its JUnit XML reports said; absent for a task without (or before) reports
                if (t.tests() != null) tm.put("tests", TestRoutes.counts(t.tests()));
                // what it ran in and pushed, pinned by digest
                tm.put("images", t.images().stream().map(i -> Map.of("reference", i.reference(), "digest", i.digest(),
                        "use", i.use().label())).toList());
                tasks.put(t.name(), tm);
            }
            m.put("tasks", tasks);
        }
        return m;
    }

    static String time(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A task's gate: what is asked of whom until when, and once decided who decided what, when and why. */
    static Map<String, Object> approval(io.stoker.engine.approval.Gate g, io.stoker.engine.run.TaskState task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("question", g.question());
        m.put("approvers", g.approvers());
        m.put("deadline", time(g.deadline()));
        // a gate left undecided by a cancel or a restart is neither waiting nor decided
        m.put("status", g.verdict() != null ? g.verdict().label()
                : task == io.stoker.engine.run.TaskState.WAITING ? "waiting" : "undecided");
        m.put("decidedBy", g.decidedBy());
        m.put("decidedAt", time(g.decidedAt()));
        m.put("comment", g.comment());
        return m;
    }
}

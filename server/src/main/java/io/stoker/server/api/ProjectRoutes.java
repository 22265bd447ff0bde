package io.stoker.server.api;

import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.job.JsonGraph;
import io.stoker.server.project.JobfileProblem;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectChanges;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.ProjectSpec;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /projects} and {@code /jobs}: create, list, show, update, delete, refresh; jobs with their graphs. */
final class ProjectRoutes {
    private static final Set<String> FIELDS = Set.of("name", "gitUrl", "branch", "jobfile", "file", "webhookSecret",
            "credentials", "statusHost", "statusApiUrl", "statusRepository", "statusTokenSecret", "allowForkSecrets",
            "allowForkBuilds");

    private final ProjectService projects;
    private final RunService runs;
    private final ProjectMembers members;
    private final AuditLog audit;
    private final io.stoker.server.trigger.NextFirings firings;

    ProjectRoutes(ProjectService projects, RunService runs, ProjectMembers members, AuditLog audit,
                  io.stoker.server.trigger.NextFirings firings) {
        this.firings = firings;
        this.projects = projects;
        this.runs = runs;
        this.members = members;
        this.audit = audit;
    }

    void mount(Router api) {
        api.post("/projects").handler(this::create);
        api.get("/projects").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            Map<String, List<StoredJob>> jobs = projects.jobs().stream()
                    .collect(java.util.stream.Collectors.groupingBy(StoredJob::project));
            Map<String, List<JobfileProblem>> problems = projects.jobfileProblems().stream()
                    .collect(java.util.stream.Collectors.groupingBy(JobfileProblem::project));
            return projects.list().stream().map(p -> Views.listedProject(p, jobs.getOrDefault(p.name(), List.of()),
                    problems.getOrDefault(p.name(), List.of()))).toList();
        }), 200));
        api.get("/projects/:project").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> view(projects.get(ctx.pathParam("project")))), 200));
        api.put("/projects/:project").handler(this::update);
        api.delete("/projects/:project").handler(ctx -> {
            String actor = Access.principal(ctx).username();
            String name = ctx.pathParam("project");
            Replies.blocking(ctx, () -> {
                projects.delete(name);
                // its runs, logs, artifacts, secrets and versions went with it: who did that must stay known
                audit.record(actor, "project.deleted", name, Map.of());
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
        api.get("/projects/:project/host-access").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            String name = projects.get(ctx.pathParam("project")).name();
            return Map.of("allowed", projects.hostAccess(name));
        }), 200));
        api.put("/projects/:project/host-access").handler(this::hostAccess);
        api.get("/projects/:project/trigger-access").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> Map.of("from", projects.triggersFrom(ctx.pathParam("project")))), 200));
        api.put("/projects/:project/trigger-access").handler(this::triggerAccess);
        api.post("/projects/:project/refresh").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> view(projects.refresh(ctx.pathParam("project")))), 200));
        api.get("/jobs").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            Map<String, io.stoker.engine.run.RunState> last = runs.lastStatuses();
            return projects.jobs().stream()
                    .map(j -> Views.job(j, last.get(j.project() + "/" + j.job().name()), firings)).toList();
        }), 200));
        api.get("/projects/:project/jobs/:job").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            StoredJob j = projects.job(ctx.pathParam("project"), ctx.pathParam("job"));
            Map<String, Object> view = new java.util.LinkedHashMap<>(
                    Views.job(j, runs.lastStatuses().get(j.project() + "/" + j.job().name()), firings));
            view.put("graph", JsonGraph.of(j.job()));
            return view;
        }), 200));
    }

    /** The admin's per-project switch for --privileged, host networking and host mounts; audited. */
    private void hostAccess(RoutingContext ctx) {
        String actor = Access.require(ctx, io.stoker.server.auth.Role.ADMIN).username();
        Boolean allowed = Bodies.bool(Bodies.object(ctx, java.util.Set.of("allowed")), "allowed");
        if (allowed == null) throw io.stoker.server.Problem.badRequest("allowed: required, true or false", "field: allowed");
        String name = ctx.pathParam("project");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            projects.hostAccess(name, allowed);
            audit.record(actor, "project.host-access", name, Map.of("allowed", allowed));
            return Map.of("allowed", allowed);
        }), 200);
    }

    /** Which projects' trigger steps may start this project's jobs: its members decide; audited. */
    private void triggerAccess(RoutingContext ctx) {
        String actor = Access.principal(ctx).username();
        var body = Bodies.object(ctx, java.util.Set.of("from"));
        if (!body.containsKey("from")) {
            throw io.stoker.server.Problem.badRequest("from: required, a list of project names or '*'", "field: from");
        }
        if (body.getValue("from") instanceof String one) {
            // the document's shape is a list even for one name; the refusal shows the body that is meant
            throw io.stoker.server.Problem.badRequest("'from' must be a list of project names or '*', not a string: send "
                    + new JsonObject().put("from", new io.vertx.core.json.JsonArray().add(one)).encode(), "field: from");
        }
        List<String> from = Bodies.names(body, "from", "project names or '*'");
        String name = ctx.pathParam("project");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            List<String> set = projects.triggersFrom(name, from);
            audit.record(actor, "project.trigger-access", name, Map.of("from", set));
            return Map.of("from", set);
        }), 200);
    }

    private void create(RoutingContext ctx) {
        Principal creator = Access.principal(ctx);
        ProjectSpec spec = spec(Bodies.object(ctx, FIELDS));
        Replies.created(ctx, Replies.blocking(ctx, () -> {
            Project p = projects.create(spec, creator.role() == io.stoker.server.auth.Role.ADMIN);
            audit.record(creator.username(), "project.created", p.name(), Map.of("kind", p.isGit() ? "git" : "freestyle"));
            // the creator may change what they made
            members.add(p.name(), creator.username(), java.time.Instant.now());
            audit.record(creator.username(), "member.added", p.name() + "/" + creator.username(), Map.of("reason", "created the project"));
            return view(p);
        }), v -> "/projects/" + v.get("name"));
    }

    /** Audited with the names of the settings it changed (what code runs with the project's secrets, and who let it). */
    private void update(RoutingContext ctx) {
        Principal principal = Access.principal(ctx);
        boolean byAdmin = principal.role() == io.stoker.server.auth.Role.ADMIN;
        String actor = principal.username();
        ProjectSpec spec = spec(Bodies.optionalObject(ctx, FIELDS));
        String name = ctx.pathParam("project");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            Project before = projects.get(name);
            Project after = projects.update(name, spec, byAdmin);
            audit.record(actor, "project.updated", name, Map.of("changed", ProjectChanges.between(before, after)));
            return view(after);
        }), 200);
    }

    private static ProjectSpec spec(JsonObject o) {
        return new ProjectSpec(Bodies.string(o, "name"), Bodies.string(o, "gitUrl"), Bodies.string(o, "branch"),
                Bodies.string(o, "jobfile"), Bodies.string(o, "file"), Bodies.string(o, "webhookSecret"),
                Bodies.string(o, "credentials"), Bodies.string(o, "statusHost"), Bodies.string(o, "statusApiUrl"),
                Bodies.string(o, "statusRepository"), Bodies.string(o, "statusTokenSecret"),
                Bodies.bool(o, "allowForkSecrets"), Bodies.bool(o, "allowForkBuilds"));
    }

    private Map<String, Object> view(Project p) throws java.sql.SQLException {
        return Views.project(p, projects.jobsOf(p.name()), projects.jobfileProblems(p.name()));
    }
}

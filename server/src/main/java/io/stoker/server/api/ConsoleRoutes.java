package io.stoker.server.api;

import io.stoker.engine.log.FileLogStore;
import io.stoker.model.Diagnostic;
import io.stoker.server.Problem;
import io.stoker.server.agent.AgentService;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.server.console.Badge;
import io.stoker.server.console.JobHealth;
import io.stoker.server.console.LogWindow;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.console.PublicProjects;
import io.stoker.server.console.SavedViews;
import io.stoker.server.console.ServerSettings;
import io.stoker.server.db.Database;
import io.stoker.server.project.ProjectService;
import io.stoker.server.job.JsonGraph;
import io.stoker.server.run.RunFilter;
import io.stoker.engine.run.RunState;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The resources the web pages need beyond the others (scripts may use them as well): log windows and search, job
 * health, executor status, Jobfile validation, badges and the public flag, saved views. Handlers stay thin; the
 * work is in {@code io.stoker.server.console}.
 */
public final class ConsoleRoutes {
    /** Starts and ends with a letter or digit: "a " would be a second tab that looks like "a". */
    private static final Pattern VIEW_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,62}[A-Za-z0-9])?");

    private final ProjectService projects;
    private final RunService runs;
    private final RunRepository runRows;
    private final AgentService agents;
    private final FileLogStore logs;
    private final int localSlots;
    /** The tasks of a run going here that wait for a run they triggered (they hold no slot). */
    private final java.util.function.Function<String, Set<String>> awaitingRuns;
    private final JobHealth health;
    private final PublicProjects publics;
    private final SavedViews views;
    private final Clock clock;
    private final ServerSettings settings;
    private final AuditLog audit;
    private final LogWindow window = new LogWindow();

    public ConsoleRoutes(Database db, ProjectService projects, RunService runs, RunRepository runRows, AgentService agents, FileLogStore logs,
                         int localSlots, Clock clock, ServerSettings settings, AuditLog audit) {
        this(db, projects, runs, runRows, agents, logs, localSlots, clock, settings, audit, key -> Set.of());
    }

    /** @param awaitingRuns the tasks of a run going here that wait for a run they triggered, holding no slot */
    public ConsoleRoutes(Database db, ProjectService projects, RunService runs, RunRepository runRows, AgentService agents,
                         FileLogStore logs, int localSlots, Clock clock, ServerSettings settings, AuditLog audit,
                         java.util.function.Function<String, Set<String>> awaitingRuns) {
        this.awaitingRuns = awaitingRuns;
        this.projects = projects;
        this.runs = runs;
        this.runRows = runRows;
        this.agents = agents;
        this.logs = logs;
        this.localSlots = localSlots;
        this.health = new JobHealth(db);
        this.publics = new PublicProjects(db);
        this.views = new SavedViews(db);
        this.clock = clock;
        this.settings = settings;
        this.audit = audit;
    }

    void mount(Router api) {
        api.get("/runs/:key/tasks/:task/log/lines").handler(this::lines);
        api.get("/runs/:key/tasks/:task/log/search").handler(this::search);
        api.get("/runs/:key/graph").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            String key = runs.get(ctx.pathParam("key")).key();
            return JsonGraph.of(runRows.model(key).orElseThrow(() -> Problem.notFound("no plan stored for run " + key)));
        }), 200));
        api.get("/jobs/health").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, health::all), 200));
        api.get("/executors").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, this::executors), 200));
        api.get("/settings").handler(ctx -> {
            Access.require(ctx, Role.ADMIN);
            Replies.json(ctx, 200, settings);
        });
        api.post("/validate").handler(this::validate);
        api.get("/projects/:project/jobs/:job/badge.svg").handler(this::badge);
        api.get("/public-projects").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, publics::all), 200));
        api.put("/projects/:project/public").handler(this::setPublic);
        api.get("/views").handler(ctx -> {
            String me = Access.principal(ctx).username();
            Replies.answer(ctx, Replies.blocking(ctx, () -> views.of(me)), 200);
        });
        api.put("/views/:name").handler(this::saveView);
        api.delete("/views/:name").handler(ctx -> {
            String me = Access.principal(ctx).username();
            String name = ctx.pathParam("name");
            Replies.blocking(ctx, () -> views.delete(me, name)).onSuccess(found -> {
                if (found) ctx.response().setStatusCode(204).end();
                else ctx.fail(Problem.notFound("no view '" + name + "'"));
            }).onFailure(ctx::fail);
        });
    }

    private void lines(RoutingContext ctx) {
        long from = Bodies.positive(ctx, "from", 1, Integer.MAX_VALUE) - 1L;
        int count = Bodies.positive(ctx, "count", 200, 5000);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            LogWindow.Lines w = window.read(logs.file(task(ctx).key(), ctx.pathParam("task")), from, count);
            // line numbers count from 1 on the wire, as in an editor and the page's line links
            return Map.of("from", w.from() + 1, "total", w.total(), "lines", w.lines());
        }), 200);
    }

    private void search(RoutingContext ctx) {
        String q = ctx.queryParams().get("q");
        if (q == null || q.isEmpty()) {
            throw Problem.badRequest("'q' is " + (q == null ? "missing" : "empty"), "field: q", "the text to look for, e.g. ?q=error");
        }
        int limit = Bodies.positive(ctx, "limit", 1000, 10_000);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            LogWindow.Matches m = window.search(logs.file(task(ctx).key(), ctx.pathParam("task")), q, limit);
            return Map.of("query", q, "truncated", m.truncated(), "matches",
                    m.matches().stream().map(x -> Map.of("line", x.line() + 1, "text", x.text())).toList());
        }), 200);
    }

    private RunRow task(RoutingContext ctx) throws java.sql.SQLException {
        RunRow run = runs.get(ctx.pathParam("key"));
        String task = ctx.pathParam("task");
        if (run.tasks().stream().noneMatch(t -> t.name().equals(task))) {
            throw Problem.notFound("no task '" + task + "' in run " + run.key());
        }
        return run;
    }

    private Map<String, Object> executors() throws java.sql.SQLException {
        Map<String, RunRow> running = new LinkedHashMap<>();
        for (RunRow r : runs.list(new RunFilter(null, null, "running", null, null, 1, 500)).runs()) {
            running.put(r.key(), runs.get(r.key()));
        }
        List<Map<String, Object>> remote = new ArrayList<>();
        Set<String> onAgents = new HashSet<>();
        for (var a : agents.list()) {
            Map<String, Object> view = new LinkedHashMap<>(AgentRoutes.view(a));
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (Object t : (List<?>) view.get("tasks")) {
                Map<?, ?> m = (Map<?, ?>) t;
                onAgents.add(m.get("run") + "/" + m.get("task"));
                tasks.add(executing(running, String.valueOf(m.get("run")), String.valueOf(m.get("task"))));
            }
            view.put("tasks", tasks);
            remote.add(view);
        }
        List<Map<String, Object>> local = new ArrayList<>();
        List<Map<String, Object>> waiting = new ArrayList<>();
        // a task waiting for an agent runs nowhere yet: in the queue, not in a slot of the server's own
        List<Map<String, Object>> queue = new ArrayList<>();
        for (var t : agents.pool().waiting()) {
            if (onAgents.add(t.run() + "/" + t.task())) queue.add(executing(running, t.run(), t.task()));
        }
        for (RunRow r : running.values()) {
            Set<String> awaiting = awaitingRuns.apply(r.key());
            for (TaskRow t : r.tasks()) {
                if (t.status() != io.stoker.engine.run.TaskState.RUNNING || onAgents.contains(r.key() + "/" + t.name())) continue;
                // a task waiting for the run it triggered runs nothing and holds no slot
                (awaiting.contains(t.name()) ? waiting : local).add(executing(running, r.key(), t.name()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("local", Map.of("executors", localSlots, "tasks", local, "waiting", waiting));
        out.put("agents", remote);
        out.put("queue", queue);
        return out;
    }

    /**
     * What an executor runs: the run's key and task and, for people, its job and number (left out for a run that
     * ended between the two reads).
     */
    private static Map<String, Object> executing(Map<String, RunRow> running, String key, String task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", key);
        m.put("task", task);
        RunRow r = running.get(key);
        if (r != null) {
            m.put("project", r.project());
            m.put("job", r.job());
            m.put("number", r.number());
        }
        return m;
    }

    private void validate(RoutingContext ctx) {
        JsonObject o = Bodies.object(ctx, Set.of("jobfile", "file"));
        String text = Bodies.string(o, "jobfile");
        if (text == null) throw Problem.badRequest("'jobfile' is missing", "field: jobfile", "give the Jobfile text to check");
        String file = Bodies.string(o, "file") == null
                ? io.stoker.dsl.JobfileCompiler.Syntax.guess(text).fileName() : Bodies.string(o, "file");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            List<Diagnostic> ds = projects.validate(file, text);
            List<Map<String, Object>> out = ds.stream().map(Views::diagnostic).toList();
            return Map.of("valid", ds.stream().noneMatch(Diagnostic::isError), "diagnostics", out);
        }), 200);
    }

    private void badge(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        String job = ctx.pathParam("job");
        String branch = ctx.queryParams().get("branch");
        boolean signedIn = ctx.get(Access.PRINCIPAL) != null;
        Replies.blocking(ctx, () -> {
            // one answer for unknown and private projects, so a badge does not reveal which projects exist
            if (!signedIn && !publics.isPublic(project)) throw Problem.notFound("no public project '" + project + "'");
            projects.job(project, job);
            // a pull request's run is not the branch's state: a fork's request named 'main' must not turn main red
            return Badge.of(job, runs.newestStatus(project, job, branch).map(RunState::label).orElse(null));
        }).onSuccess(svg -> Replies.end(ctx.response().putHeader("content-type", "image/svg+xml; charset=utf-8")
                .putHeader("cache-control", "no-cache"), svg)).onFailure(ctx::fail);
    }

    private void setPublic(RoutingContext ctx) {
        JsonObject o = Bodies.object(ctx, Set.of("public"));
        if (!(o.getValue("public") instanceof Boolean on)) {
            throw Problem.badRequest("'public' must be true or false", "field: public");
        }
        String project = ctx.pathParam("project");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            projects.get(project);
            publics.set(project, on);
            // a public project's badges are served to anyone: who opened (or closed) it must stay known
            audit.record(Access.principal(ctx).username(), on ? "project.public" : "project.private", project, Map.of());
            return Map.of("project", project, "public", on);
        }), 200);
    }

    private void saveView(RoutingContext ctx) {
        Principal me = Access.require(ctx, Role.VIEWER);
        String name = ctx.pathParam("name");
        if (!VIEW_NAME.matcher(name).matches()) {
            throw Problem.badRequest("'name' must be 1 to 64 ASCII letters, digits, spaces, '.', '_' or '-', starting and "
                    + "ending with a letter or digit", "field: name");
        }
        if (name.equals("new")) {
            // #/views/new is the page that makes a view: a view of that name could never be opened
            throw Problem.badRequest("'name' cannot be 'new': the web UI's page for a new view has that address", "field: name");
        }
        if (name.equalsIgnoreCase("all")) {
            // a second "All" tab beside the dashboard's own could not be told from it
            throw Problem.badRequest("'name' cannot be '" + name + "': the dashboard's tab of every job is named All",
                    "field: name");
        }
        JsonObject o = Bodies.object(ctx, Set.of("filter"));
        String filter = Bodies.string(o, "filter");
        if (filter == null || filter.length() > 500) throw Problem.badRequest("'filter' must be a text of at most 500 characters", "field: filter");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            views.save(me.username(), new SavedViews.View(name, filter), clock.instant());
            return new SavedViews.View(name, filter);
        }), 200);
    }
}

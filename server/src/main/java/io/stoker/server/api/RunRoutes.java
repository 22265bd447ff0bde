package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.server.cluster.RunHolders;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.outbox.StatusWebhooks;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunFilter;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs: trigger, list, show, cancel, rerun. */
final class RunRoutes {
    private static final Set<String> TRIGGER_FIELDS = Set.of("parameters", "ref", "metadata", "webhooks",
            "forcePublish", "tasks");
    private static final Set<String> RERUN_FIELDS = Set.of("from", "failed");

    private final RunService runs;
    private final RunDispatcher dispatcher;
    private final Outbox outbox;
    private final LogStreams logStreams;
    private final AuditLog audit;
    private final RunHolders holders;

    RunRoutes(RunService runs, RunDispatcher dispatcher, Outbox outbox, LogStreams logStreams, AuditLog audit,
              RunHolders holders) {
        this.runs = runs;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.logStreams = logStreams;
        this.audit = audit;
        this.holders = holders;
    }

    void mount(Router api) {
        api.post("/projects/:project/jobs/:job/runs").handler(this::trigger);
        api.get("/projects/:project/jobs/:job/runs/:number").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> shown(runs.get(ctx.pathParam("project"), ctx.pathParam("job"),
                        Bodies.positivePath(ctx, "number")))), 200));
        api.get("/runs").handler(this::list);
        api.get("/runs/:key").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> shown(runs.get(ctx.pathParam("key")))), 200));
        api.delete("/runs/:key").handler(this::cancel);
        api.post("/runs/:key/rerun").handler(this::rerun);
    }

    /** One run as its page shows it: with its tasks and, while it runs, the server holding it. */
    private Map<String, Object> shown(RunRow run) throws java.sql.SQLException {
        return Views.run(run, true, holders.of(run).orElse(null));
    }

    /**
     * A rerun reads its body as a trigger does (strictly, optional) and takes its task to start from there or, as
     * ever, from {@code ?from=}; {@code ?queue=} stays an option of the query on both.
     */
    private void rerun(RoutingContext ctx) {
        JsonObject body = Bodies.optionalObject(ctx, RERUN_FIELDS);
        String inBody = Bodies.string(body, "from");
        String inQuery = ctx.queryParams().get("from");
        if (inBody != null && inQuery != null && !inBody.equals(inQuery)) {
            throw Problem.badRequest("'from' is given twice: '" + inQuery + "' in the query and '" + inBody
                    + "' in the body", "field: from");
        }
        String from = inBody != null ? inBody : inQuery;
        if (from != null && from.isEmpty()) {
            throw Problem.badRequest("'from' is empty: name the task to rerun from, or leave 'from' out to rerun the"
                    + " whole run", "field: from");
        }
        boolean failed = Boolean.TRUE.equals(Bodies.bool(body, "failed")) || Bodies.flag(ctx, "failed");
        if (failed && from != null) {
            throw Problem.badRequest("'failed' and 'from' are given together: rerun the failed tasks, or from one task",
                    "field: failed");
        }
        boolean queue = Bodies.flag(ctx, "queue");
        String by = Access.principal(ctx).username();
        Replies.created(ctx, Replies.blocking(ctx, () -> runs.rerun(ctx.pathParam("key"), from, failed, queue, by)),
                q -> "/runs/" + q.key());
    }

    private void trigger(RoutingContext ctx) {
        JsonObject body = Bodies.optionalObject(ctx, TRIGGER_FIELDS);
        Map<String, String> params = Bodies.scalars(body, "parameters");
        String ref = Bodies.string(body, "ref");
        Object metadata = Bodies.plain(body.getValue("metadata"));
        List<Endpoint> statusHooks = WebhookFields.status(body);
        List<LogTarget> logHooks = WebhookFields.logs(body);
        List<String> tasks = Bodies.names(body, "tasks", "task names");
        // an empty selection is a mistake (an unset list in a script), not "every task": that is 'tasks' left out
        if (body.containsKey("tasks") && tasks.isEmpty()) {
            throw Bodies.empty("tasks", "the names of the tasks to run, or leave 'tasks' out to run every task");
        }
        boolean queue = Bodies.flag(ctx, "queue");
        // replacing a version that exists is an administrator's decision, and the audit log keeps who made it
        boolean force = Boolean.TRUE.equals(Bodies.bool(body, "forcePublish"));
        Principal admin = force ? Access.require(ctx, Role.ADMIN) : null;
        String project = ctx.pathParam("project");
        String job = ctx.pathParam("job");
        // the run is saved before the 201; its queued event (and so its start) follows the answer out
        String by = Access.principal(ctx).username();
        Replies.blocking(ctx, () -> runs.triggerUnannounced(project, job, params, ref, metadata, "api", queue,
                force, tasks, by, key -> {
                    outbox.subscribe(key, StatusWebhooks.KIND, statusHooks);
                    logStreams.subscribe(key, logHooks);
                    if (force) audit.record(admin.username(), "version.force-publish", project + "/" + job, Map.of("run", key));
                })).onSuccess(run -> answerThenAnnounce(ctx, run)).onFailure(ctx::fail);
    }

    /** The 201, then the run's queued event on a worker, also when the answer could not be written. */
    private static void answerThenAnnounce(RoutingContext ctx, RunService.Unannounced run) {
        Future<Void> sent;
        try {
            Replies.located(ctx, "/runs/" + run.queued().key());
            sent = Replies.json(ctx, 201, run.queued());
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ignored -> Replies.blocking(ctx, run::announce));
    }

    private void list(RoutingContext ctx) {
        var q = ctx.queryParams();
        // status and trigger are checked against the document's enums before this (QueryParameters)
        String status = q.get("status");
        int page = Bodies.positive(ctx, "page", 1, 1_000_000);
        int size = Bodies.positive(ctx, "pageSize", 50, 500);
        String trigger = q.get("trigger");
        String before = Bodies.filter(ctx, "before", "a run's key to page from, or leave it out for the newest runs");
        if (before != null && q.get("page") != null) {
            throw Problem.badRequest("give 'before' or 'page', not both: 'before' pages from a run, 'page' from the"
                    + " newest", "field: before");
        }
        // an empty filter (an unset variable in a script) would list every run as if it were left out
        String project = Bodies.filter(ctx, "project", "a project's name, or leave it out for every project's runs");
        String job = Bodies.filter(ctx, "job", "a job's name, or leave it out for every job's runs");
        String branch = Bodies.filter(ctx, "branch", "a branch, or leave it out for runs of every branch");
        RunFilter filter = new RunFilter(project, job, status, branch, trigger, page, size, before);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            if (before != null) known(before);
            RunRepository.Page p = runs.list(filter);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("page", page);
            out.put("pageSize", size);
            out.put("total", p.total());
            out.put("runs", p.runs().stream().map(r -> Views.run(r, false)).toList());
            return out;
        }), 200);
    }

    /** A 400 naming {@code before} when it is no run's key (a 404 would say the listing is missing). */
    private void known(String before) throws java.sql.SQLException {
        try {
            runs.get(before);
        } catch (io.stoker.server.Refused.NotFound e) {
            throw Problem.badRequest("'before' must be a run's key; there is no run '" + before + "'", "field: before");
        }
    }

    /** Audited as {@code run.cancelled} when the cancel took (a run that had ended already changes nothing). */
    private void cancel(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        String actor = Access.principal(ctx).username();
        Future<RunRow> run = Replies.blocking(ctx, () -> runs.get(key));
        run.compose(r -> Future.fromCompletionStage(dispatcher.cancel(key, actor), ctx.vertx().getOrCreateContext())
                        .map(c -> switch (c) {
                            case CANCELLING -> Map.<String, Object>of("key", key, "status", "cancelling");
                            case CANCELLED -> Map.<String, Object>of("key", key, "status", "cancelled");
                            case NOT_ACTIVE -> throw Problem.unprocessable("run " + key + " is not queued or running",
                                    List.of("status: " + r.status().label()));
                        })
                        .compose(v -> Replies.blocking(ctx, () -> {
                            audit.record(actor, "run.cancelled", key, Map.of("project", r.project(), "job", r.job()));
                            return v;
                        })))
                .onSuccess(v -> Replies.json(ctx, 202, v)).onFailure(ctx::fail);
    }
}

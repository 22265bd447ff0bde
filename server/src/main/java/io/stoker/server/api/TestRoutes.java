package io.stoker.server.api;

import io.stoker.engine.tests.FailedTest;
import io.stoker.engine.tests.TestSummary;
import io.stoker.model.DidYouMean;
import io.stoker.server.Problem;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's test reports: {@code GET /runs/{key}/tests} lists the failed and erred test cases its tasks' JUnit XML
 * reports named (secret values masked when the run saved them), optionally of one task ({@code ?task=}).
 */
final class TestRoutes {
    private final RunService runs;

    TestRoutes(RunService runs) {
        this.runs = runs;
    }

    void mount(Router api) {
        api.get("/runs/:key/tests").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> failures(ctx)), 200));
    }

    private Map<String, Object> failures(RoutingContext ctx) throws java.sql.SQLException {
        RunRow run = runs.get(ctx.pathParam("key"));
        String only = ctx.queryParams().get("task");
        if (only != null && run.tasks().stream().noneMatch(t -> t.name().equals(only))) {
            throw Problem.badRequest("run " + run.key() + " has no task '" + only + "'"
                    + DidYouMean.suffix(only, run.tasks().stream().map(TaskRow::name).toList()), "field: task");
        }
        List<Map<String, Object>> cases = new ArrayList<>();
        long notKept = 0;
        for (TaskRow t : run.tasks()) {
            if (t.tests() == null || (only != null && !t.name().equals(only))) continue;
            for (FailedTest f : t.tests().failures()) cases.add(failure(t.name(), f));
            notKept += t.tests().failed() + t.tests().errors() - t.tests().failures().size();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failures", cases);
        // counted but without details: a task keeps the first TestSummary.KEPT_FAILURES of them
        m.put("notKept", notKept);
        return m;
    }

    private static Map<String, Object> failure(String task, FailedTest f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("suite", f.suite());
        m.put("className", f.className());
        m.put("name", f.name());
        m.put("kind", f.kind().label());
        m.put("message", f.message());
        m.put("detail", f.detail());
        m.put("file", f.file());
        return m;
    }

    /** A task's counts as {@code GET /runs/{key}} answers them in {@code tasks.T.tests}. */
    static Map<String, Object> counts(TestSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", s.total());
        m.put("failed", s.failed());
        m.put("errors", s.errors());
        m.put("skipped", s.skipped());
        m.put("durationMs", s.durationMs());
        return m;
    }
}

package io.stoker.server.job;

import io.stoker.model.Job;
import io.stoker.model.Parameter;
import io.stoker.model.Task;
import io.stoker.server.db.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job's graph as JSON: tasks, edges (kind needs or pipe) and parameters; shared by the server API and {@code stoker graph --format json}. */
public final class JsonGraph {

    private JsonGraph() {
    }

    public static Map<String, Object> of(Job job) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Task t : job.tasks()) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("name", t.name());
            if (t.isMatrixCell()) {
                task.put("matrixOf", t.baseName());
                task.put("matrix", t.matrix());
            }
            task.put("needs", t.needs());
            task.put("input", t.input());
            task.put("when", t.when());
            task.put("steps", t.steps().size());
            task.put("retry", t.retry());
            task.put("timeoutMillis", t.timeoutMillis());
            task.put("artifacts", t.artifacts());
            if (t.approval() != null) {
                task.put("approval", Map.of("question", t.approval().question(), "approvers", t.approval().approvers(),
                        "timeoutMillis", t.approval().timeoutMillis()));
            }
            tasks.add(task);
            t.needs().forEach(n -> edges.add(Map.of("from", n, "to", t.name(), "kind", "needs")));
            if (t.input() != null) edges.add(Map.of("from", t.input(), "to", t.name(), "kind", "pipe"));
        }
        List<Map<String, Object>> params = new ArrayList<>();
        for (Parameter p : job.parameters()) {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("name", p.name());
            param.put("type", switch (p) {
                case Parameter.StringParam s -> "string";
                case Parameter.ChoiceParam c -> "choice";
                case Parameter.BoolParam b -> "bool";
            });
            param.put("default", p.defaultValue());
            if (p instanceof Parameter.ChoiceParam c) param.put("choices", c.choices());
            param.put("description", p.description());
            params.add(param);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", job.name());
        out.put("description", job.description());
        out.put("parameters", params);
        out.put("tasks", tasks);
        out.put("edges", edges);
        return out;
    }

    public static String render(Job job) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(of(job)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

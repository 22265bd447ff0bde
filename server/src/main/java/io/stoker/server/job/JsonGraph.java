package io.stoker.server.job;

import io.stoker.model.ArtifactsWhen;
import io.stoker.model.Job;
import io.stoker.model.Parameter;
import io.stoker.model.Task;
import io.stoker.server.db.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's graph as JSON: tasks, edges (kind needs or pipe) and parameters; shared by the server API and
 * {@code stoker graph --format json}. Keys and edges come in a fixed order, so the same job gives the same bytes.
 */
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
            // only when not the default, like allowFailure: the graph of a job that does not say it stays as it was
            if (t.artifactsWhen() != ArtifactsWhen.ON_SUCCESS) task.put("artifactsWhen", t.artifactsWhen().word());
            if (!t.testReports().isEmpty()) task.put("testReports", t.testReports());
            if (t.allowFailure()) task.put("allowFailure", true);
            if (t.cache() != null) {
                Map<String, Object> cache = new LinkedHashMap<>();
                cache.put("key", t.cache().key());
                cache.put("paths", t.cache().paths());
                cache.put("files", t.cache().files());
                task.put("cache", cache);
            }
            if (t.approval() != null) {
                Map<String, Object> approval = new LinkedHashMap<>();
                approval.put("question", t.approval().question());
                approval.put("approvers", t.approval().approvers());
                approval.put("timeoutMillis", t.approval().timeoutMillis());
                task.put("approval", approval);
            }
            tasks.add(task);
            t.needs().forEach(n -> edges.add(edge(n, t.name(), "needs")));
            if (t.input() != null) edges.add(edge(t.input(), t.name(), "pipe"));
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

    /** An edge with its keys always in this order: {@code Map.of} would order them anew in each JVM. */
    private static Map<String, Object> edge(String from, String to, String kind) {
        Map<String, Object> edge = new LinkedHashMap<>();
        edge.put("from", from);
        edge.put("to", to);
        edge.put("kind", kind);
        return edge;
    }

    public static String render(Job job) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(of(job)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.stoker.cli.graph;

import io.stoker.model.ArtifactsWhen;
import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's graph as a text tree: roots first, each task under the first task it waits for. A task with several
 * upstream tasks is drawn once and referred to elsewhere, so the tree stays as long as the job. A branch deeper than
 * {@value #MAX_DEPTH} levels goes on below the tree, under its task's name, so no line is wider than a terminal's
 * (a chain of 300 tasks would otherwise indent 1,200 columns).
 */
public final class TextTree {
    /** How many levels a branch indents before it is continued below the tree (4 columns a level). */
    static final int MAX_DEPTH = 16;

    private final Job job;
    private final java.util.Deque<Task> continued = new java.util.ArrayDeque<>();
    private final Map<String, List<Task>> downstream = new LinkedHashMap<>();
    private final Set<String> drawn = new HashSet<>();
    private final StringBuilder out = new StringBuilder();

    private TextTree(Job job) {
        this.job = job;
        job.tasks().forEach(t -> downstream.put(t.name(), new ArrayList<>()));
        for (Task t : job.tasks()) {
            for (String up : t.upstream()) downstream.get(up).add(t);
        }
    }

    public static String render(Job job) {
        return new TextTree(job).draw();
    }

    private String draw() {
        out.append("job ").append(job.name());
        if (!job.description().isBlank()) out.append(" — ").append(job.description());
        out.append(" (").append(job.tasks().size()).append(job.tasks().size() == 1 ? " task)" : " tasks)").append('\n');
        List<Task> roots = job.tasks().stream().filter(t -> t.upstream().isEmpty()).toList();
        for (int i = 0; i < roots.size(); i++) {
            node(roots.get(i), null, "", i == roots.size() - 1, 1);
        }
        while (!continued.isEmpty()) {
            Task from = continued.poll();
            out.append('\n').append(from.name()).append(", continued\n");
            List<Task> children = downstream.get(from.name());
            for (int i = 0; i < children.size(); i++) {
                node(children.get(i), from, "", i == children.size() - 1, 1);
            }
        }
        return out.toString();
    }

    private void node(Task task, Task parent, String indent, boolean last, int depth) {
        boolean pipe = parent != null && parent.name().equals(task.input());
        out.append(indent).append(last ? "└" : "├").append(pipe ? "─| " : "── ").append(task.name());
        if (drawn.contains(task.name())) {
            out.append("  (see above)\n");
            return;
        }
        drawn.add(task.name());
        out.append(details(task, parent));
        List<Task> children = downstream.get(task.name());
        if (depth >= MAX_DEPTH && !children.isEmpty()) {
            out.append("  (continued below)\n");
            continued.add(task);
            return;
        }
        out.append('\n');
        String childIndent = indent + (last ? "    " : "│   ");
        for (int i = 0; i < children.size(); i++) {
            node(children.get(i), task, childIndent, i == children.size() - 1, depth + 1);
        }
    }

    private static String details(Task task, Task parent) {
        List<String> parts = new ArrayList<>();
        if (task.input() != null) parts.add("stdin ← " + task.input());
        List<String> otherNeeds = task.needs().stream()
                .filter(n -> parent == null || !n.equals(parent.name())).toList();
        if (!otherNeeds.isEmpty()) parts.add("needs " + String.join(", ", otherNeeds));
        if (task.when() != null) parts.add("when " + task.when());
        if (task.retry() > 0) parts.add("retry " + task.retry());
        if (task.allowFailure()) parts.add("allowed to fail");
        if (task.approval() != null) parts.add("approval '" + task.approval().question() + "'");
        if (!task.artifacts().isEmpty()) {
            parts.add("artifacts " + String.join(" ", task.artifacts())
                    + (task.artifactsWhen() == ArtifactsWhen.ON_SUCCESS ? "" : " (" + task.artifactsWhen().word() + ")"));
        }
        if (task.cache() != null) {
            parts.add("cache " + String.join(" ", task.cache().paths()) + " (key " + task.cache().key()
                    + (task.cache().files().isEmpty() ? "" : " + " + String.join(" ", task.cache().files())) + ")");
        }
        return parts.isEmpty() ? "" : "  [" + String.join("; ", parts) + "]";
    }
}

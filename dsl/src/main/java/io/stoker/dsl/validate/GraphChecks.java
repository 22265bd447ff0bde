package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Pos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code needs} and {@code input}: known names, no self edges, no cycles, one writer per pipe, pipes without matrix or retry. */
final class GraphChecks {

    /** An edge as written, at the base-task level, for cycle reports. */
    private record Edge(String from, String to, Pos pos) {
    }

    private GraphChecks() {
    }

    /**
     * The graph of the tasks with a usable name. {@code refused} are the names refused by the name checks: a need or
     * pipe naming one is left out without a word, as the name's own error says what to mend.
     */
    static JobGraph check(Map<String, TaskDraft> tasks, Map<String, List<Cell>> cells, Set<String> refused,
                          Problems problems) {
        var needsByBase = new LinkedHashMap<String, List<String>>();
        var inputByBase = new HashMap<String, String>();
        var edges = new LinkedHashMap<String, List<Edge>>();
        var needEdges = new ArrayList<Edge>();
        for (TaskDraft task : tasks.values()) {
            var resolved = new ArrayList<String>();
            var out = edges.computeIfAbsent(task.name, k -> new ArrayList<>());
            for (Located<String> need : task.needs) {
                List<String> targets = resolve(task, need, "needs", tasks, cells, refused, problems);
                if (targets == null) continue;
                for (String t : targets) if (!resolved.contains(t)) resolved.add(t);
                out.add(new Edge(task.name, baseOf(need.value(), cells), need.pos()));
                needEdges.add(out.getLast());
            }
            needsByBase.put(task.name, resolved);
            pipe(task, tasks, cells, refused, problems, inputByBase, out);
        }
        if (!reportCycles(tasks, edges, problems)) reportPipeCycles(tasks, needEdges, inputByBase, problems);
        warnNeedsInsidePipes(needEdges, inputByBase, problems);

        var needs = new LinkedHashMap<String, List<String>>();
        var input = new HashMap<String, String>();
        for (var entry : cells.entrySet()) {
            for (Cell cell : entry.getValue()) {
                needs.put(cell.name(), List.copyOf(needsByBase.getOrDefault(entry.getKey(), List.of())));
                String writer = inputByBase.get(entry.getKey());
                if (writer != null) input.put(cell.name(), writer);
            }
        }
        return new JobGraph(cells, needs, input);
    }

    /**
     * The needs and pipe writer of a task left out of the graph (its name refused or taken): each must still name a
     * task, but adds no edge.
     */
    static void references(TaskDraft task, Map<String, TaskDraft> tasks, Map<String, List<Cell>> cells,
                           Set<String> refused, Problems problems) {
        for (Located<String> need : task.needs) resolve(task, need, "needs", tasks, cells, refused, problems);
        for (Located<String> from : task.inputs) resolve(task, from, "input", tasks, cells, refused, problems);
    }

    private static void pipe(TaskDraft task, Map<String, TaskDraft> tasks, Map<String, List<Cell>> cells,
                             Set<String> refused, Problems problems, Map<String, String> inputByBase, List<Edge> out) {
        if (task.inputs.isEmpty()) return;
        if (task.inputs.size() > 1) {
            Located<String> second = task.inputs.get(1);
            problems.error(second.pos(), "task '" + task.name + "' is piped from more than one writer ("
                    + task.inputs.stream().map(i -> "'" + i.value() + "'").collect(Collectors.joining(", "))
                    + "); a task has one stdin");
        }
        Located<String> from = task.inputs.getFirst();
        List<String> writer = resolve(task, from, "input", tasks, cells, refused, problems);
        if (writer == null) return;
        out.add(new Edge(task.name, baseOf(from.value(), cells), from.pos()));
        boolean ok = true;
        if (!task.matrix.isEmpty()) {
            problems.error(from.pos(), "matrix task '" + task.name + "' cannot read a pipe; a pipe joins two single tasks");
            ok = false;
        }
        TaskDraft writerTask = tasks.get(baseOf(from.value(), cells));
        if (writerTask != null && (!writerTask.matrix.isEmpty() || writer.size() != 1 || !writer.getFirst().equals(writerTask.name))) {
            problems.error(from.pos(), "task '" + task.name + "' reads a pipe from matrix task '" + writerTask.name
                    + "'; a pipe joins two single tasks");
            ok = false;
        }
        if (task.retry != null && task.retry.value() != null && task.retry.value() > 0) {
            problems.error(task.retry.pos(), "task '" + task.name
                    + "' reads a pipe and cannot retry (a stream cannot be replayed)");
            ok = false;
        }
        if (writerTask != null && writerTask.retry != null && writerTask.retry.value() != null && writerTask.retry.value() > 0) {
            problems.error(writerTask.retry.pos(), "task '" + writerTask.name + "' writes a pipe to '" + task.name
                    + "' and cannot retry (a stream cannot be replayed)");
            ok = false;
        }
        if (ok) inputByBase.put(task.name, writer.getFirst());
    }

    /**
     * The concrete cells a name in needs/input stands for, or null after reporting why it stands for none:
     * a task name means all its cells; {@code base[k=v,…]} means that cell.
     */
    private static List<String> resolve(TaskDraft task, Located<String> ref, String where, Map<String, TaskDraft> tasks,
                                        Map<String, List<Cell>> cells, Set<String> refused, Problems problems) {
        String name = ref.value();
        if (name == null || name.isBlank()) {
            problems.error(ref.pos(), "empty task name in " + where);
            return null;
        }
        String base = baseOf(name, cells);
        if (task.name.equals(base)) {
            problems.error(ref.pos(), "task '" + task.name + "' " + (where.equals("input") ? "reads a pipe from" : "needs") + " itself");
            return null;
        }
        if (!cells.containsKey(base) && (refused.contains(base) || refused.contains(name))) return null; // the name's own error says it
        if (!cells.containsKey(base)) {
            List<String> several = severalNames(name, cells);
            problems.error(ref.pos(), "unknown task '" + name + "' in " + where + (several.isEmpty()
                    ? DidYouMean.suffix(name, tasks.keySet())
                    : " — it names " + several.size() + " tasks in one text: give each its own (" + where + ": ["
                            + String.join(", ", several) + "] in YAML and JSON, " + where + " '"
                            + String.join("', '", several) + "' in a Jobfile)"));
            return null;
        }
        List<Cell> all = cells.get(base);
        if (name.equals(base)) {
            return all.stream().map(Cell::name).toList();
        }
        if (all.isEmpty()) return null; // its matrix is wrong and already reported
        Map<String, String> wanted = parseCell(name);
        for (Cell cell : all) {
            if (cell.name().equals(name) || (wanted != null && cell.values().equals(wanted))) return List.of(cell.name());
        }
        problems.error(ref.pos(), "unknown cell '" + name + "' in " + where
                + DidYouMean.suffix(name, all.stream().map(Cell::name).toList()));
        return null;
    }

    /**
     * The task names in {@code name} when it is several of them written as one text ({@code needs: build, test} in
     * YAML is the text "build, test"), else an empty list. Names of cells, whose brackets hold commas, are not split.
     */
    static List<String> severalNames(String name, Map<String, List<Cell>> cells) {
        if (name.indexOf('[') >= 0) return List.of();
        List<String> parts = java.util.Arrays.stream(name.split("[,\\s]+")).filter(p -> !p.isEmpty()).toList();
        return parts.size() > 1 && parts.stream().allMatch(cells::containsKey) ? parts : List.of();
    }

    /** The written task a name refers to: itself, or the part before '[' of a cell name. */
    static String baseOf(String name, Map<String, List<Cell>> cells) {
        if (name == null) return "";
        if (cells.containsKey(name)) return name;
        int bracket = name.indexOf('[');
        return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
    }

    /** {@code base[k1=v1,k2=v2]} to its values, or null when malformed. */
    static Map<String, String> parseCell(String name) {
        int bracket = name.indexOf('[');
        if (bracket < 0 || !name.endsWith("]")) return null;
        var values = new LinkedHashMap<String, String>();
        for (String part : name.substring(bracket + 1, name.length() - 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) return null;
            values.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return values;
    }

    /**
     * The tasks of one pipe start together, so each waits for what any of them needs: a chain of needs leading from
     * one task of a pipe back to another task of the same pipe never lets the pipe start (the run would wait for
     * ever). Found as a cycle of needs between pipes, each pipe taken as one node.
     */
    private static void reportPipeCycles(Map<String, TaskDraft> tasks, List<Edge> needEdges,
                                         Map<String, String> inputByBase, Problems problems) {
        var byPipe = new LinkedHashMap<String, List<Edge>>();
        var hops = new HashMap<Edge, Edge>(); // an edge between pipes → the need it stands for
        for (String task : tasks.keySet()) byPipe.put(pipeOf(task, inputByBase), new ArrayList<>());
        for (Edge need : needEdges) {
            String from = pipeOf(need.from(), inputByBase);
            String to = pipeOf(need.to(), inputByBase);
            if (from.equals(to) || !byPipe.containsKey(to)) continue; // inside one pipe: no wait between pipes
            Edge between = new Edge(from, to, need.pos());
            byPipe.get(from).add(between);
            hops.put(between, need);
        }
        for (Set<String> component : components(byPipe.keySet(), byPipe)) {
            if (component.size() < 2) continue;
            String start = byPipe.keySet().stream().filter(component::contains).findFirst().orElseThrow();
            List<Edge> cycle = shortestCycle(start, component, byPipe);
            if (cycle.isEmpty()) continue;
            List<Edge> needs = cycle.stream().map(hops::get).toList();
            var together = new ArrayList<String>();
            for (int i = 0; i < needs.size(); i++) {
                String reached = needs.get(i).to();
                String next = needs.get((i + 1) % needs.size()).from();
                if (!reached.equals(next)) together.add("'" + reached + "' and '" + next + "'");
            }
            problems.error(needs.getFirst().pos(), "cycle through a pipe: " + needs.stream()
                    .map(e -> "'" + e.from() + "' needs '" + e.to() + "'").collect(Collectors.joining(", "))
                    + "; but " + String.join(" and ", together) + " are joined by a pipe and start together, "
                    + "so none of them can start");
        }
    }

    /** The first writer of the pipe a task is in (itself when it reads no pipe). */
    /**
     * The tasks of one pipe start together, so a need between two of them (a reader that needs its writer, or two
     * readers of one writer) is never waited for: said as a warning, since the Jobfile still runs.
     */
    private static void warnNeedsInsidePipes(List<Edge> needEdges, Map<String, String> inputByBase, Problems problems) {
        for (Edge need : needEdges) {
            String pipe = pipeOf(need.from(), inputByBase);
            if (!inputByBase.containsKey(need.from()) && !inputByBase.containsKey(need.to())) continue;
            if (!pipe.equals(pipeOf(need.to(), inputByBase))) continue;
            problems.warning(need.pos(), "task '" + need.from() + "' needs '" + need.to() + "', but both are in the pipe "
                    + "that starts at '" + pipe + "' and start together: the need is not waited for (a reader gets the "
                    + "writer's output as it is written; to wait for the whole of it, use an artifact or an output "
                    + "instead of input)");
        }
    }

    private static String pipeOf(String task, Map<String, String> inputByBase) {
        String at = task;
        for (int hops = 0; inputByBase.containsKey(at) && hops <= inputByBase.size(); hops++) at = inputByBase.get(at);
        return at;
    }

    /**
     * Tarjan's strongly connected components; each component with more than one task is one cycle report.
     * Returns whether it reported any.
     */
    private static boolean reportCycles(Map<String, TaskDraft> tasks, Map<String, List<Edge>> edges, Problems problems) {
        boolean reported = false;
        for (Set<String> component : components(tasks.keySet(), edges)) {
            if (component.size() < 2) continue;
            String start = tasks.keySet().stream().filter(component::contains).findFirst().orElseThrow();
            List<Edge> cycle = shortestCycle(start, component, edges);
            if (cycle.isEmpty()) continue;
            String text = start + cycle.stream().map(e -> " → " + e.to()).collect(Collectors.joining());
            problems.error(cycle.getFirst().pos(), "cycle: " + text);
            reported = true;
        }
        return reported;
    }

    /** Tarjan's strongly connected components of the graph, visiting {@code nodes} in their order. */
    private static List<Set<String>> components(java.util.Collection<String> nodes, Map<String, List<Edge>> edges) {
        var index = new HashMap<String, Integer>();
        var low = new HashMap<String, Integer>();
        var onStack = new HashSet<String>();
        var stack = new ArrayDeque<String>();
        var components = new ArrayList<Set<String>>();
        int[] counter = {0};
        for (String node : nodes) {
            if (!index.containsKey(node)) strongConnect(node, edges, index, low, onStack, stack, components, counter);
        }
        return components;
    }

    // recursion depth is bounded by the number of tasks, which the front ends limit
    private static void strongConnect(String v, Map<String, List<Edge>> edges, Map<String, Integer> index,
                                      Map<String, Integer> low, Set<String> onStack, ArrayDeque<String> stack,
                                      List<Set<String>> components, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (Edge e : edges.getOrDefault(v, List.of())) {
            if (!edges.containsKey(e.to())) continue;
            if (!index.containsKey(e.to())) {
                strongConnect(e.to(), edges, index, low, onStack, stack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(e.to())));
            } else if (onStack.contains(e.to())) {
                low.put(v, Math.min(low.get(v), index.get(e.to())));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            var component = new LinkedHashSet<String>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }

    /** Breadth-first search from start back to start inside one component; the edges of the cycle found. */
    private static List<Edge> shortestCycle(String start, Set<String> component, Map<String, List<Edge>> edges) {
        var via = new HashMap<String, Edge>();
        var queue = new ArrayDeque<String>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (Edge e : edges.getOrDefault(current, List.of())) {
                if (!component.contains(e.to())) continue;
                if (e.to().equals(start)) {
                    var path = new ArrayList<Edge>();
                    path.add(e);
                    for (String at = current; !at.equals(start); at = via.get(at).from()) path.addFirst(via.get(at));
                    return path;
                }
                if (!via.containsKey(e.to())) {
                    via.put(e.to(), e);
                    queue.add(e.to());
                }
            }
        }
        return List.of();
    }
}

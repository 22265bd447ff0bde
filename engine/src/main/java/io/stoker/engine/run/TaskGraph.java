package io.stoker.engine.run;

import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's tasks as a graph: pipe groups (tasks joined by {@code input}, started together), each group's external
 * upstream, start levels and transitive upstream sets. Assumes a validated job (no cycles, known names).
 */
public final class TaskGraph {
    private final Job job;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final List<List<String>> groups = new ArrayList<>();
    private final Map<String, Integer> groupOf = new HashMap<>();
    private final Map<String, Set<String>> transitive = new HashMap<>();

    private TaskGraph(Job job) {
        this.job = job;
        job.tasks().forEach(t -> tasks.put(t.name(), t));
        buildGroups();
    }

    public static TaskGraph of(Job job) {
        return new TaskGraph(job);
    }

    public Job job() {
        return job;
    }

    public Task task(String name) {
        return tasks.get(name);
    }

    /** Pipe groups in declaration order of their first task; members ordered writers before readers. */
    public List<List<String>> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** The index in {@link #groups()} of the task's group. */
    public int groupIndex(String task) {
        return groupOf.get(task);
    }

    /** Tasks outside the group that some member waits for. */
    public Set<String> externalUpstream(List<String> group) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : group) {
            for (String u : tasks.get(m).upstream()) if (!group.contains(u)) out.add(u);
        }
        return out;
    }

    /** The tasks that read this task's stdout. */
    public List<String> readers(String writer) {
        return job.tasks().stream().filter(t -> writer.equals(t.input())).map(Task::name).toList();
    }

    /** Every task this one waits for, directly or not. */
    public Set<String> transitiveUpstream(String task) {
        Set<String> cached = transitive.get(task);
        if (cached != null) return cached;
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(tasks.get(task).upstream());
        while (!todo.isEmpty()) {
            String u = todo.removeLast();
            if (out.add(u) && tasks.containsKey(u)) todo.addAll(tasks.get(u).upstream());
        }
        transitive.put(task, out);
        return out;
    }

    /** Start levels: a group starts one level after the latest group it waits for; each level lists task names. */
    public List<List<String>> levels() {
        Map<Integer, Integer> level = new HashMap<>();
        List<List<String>> out = new ArrayList<>();
        boolean progress = true;
        while (level.size() < groups.size() && progress) {
            progress = false;
            for (int g = 0; g < groups.size(); g++) {
                if (level.containsKey(g)) continue;
                int max = -1;
                boolean ready = true;
                for (String u : externalUpstream(groups.get(g))) {
                    Integer l = groupOf.containsKey(u) ? level.get(groupOf.get(u)) : Integer.valueOf(-1);
                    if (l == null) {
                        ready = false;
                        break;
                    }
                    max = Math.max(max, l);
                }
                if (!ready) continue;
                level.put(g, max + 1);
                progress = true;
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            int l = level.getOrDefault(g, out.size());
            while (out.size() <= l) out.add(new ArrayList<>());
            out.get(l).addAll(groups.get(g));
        }
        return out.stream().map(List::copyOf).toList();
    }

    private void buildGroups() {
        // union-find over input edges
        Map<String, String> parent = new HashMap<>();
        for (String n : tasks.keySet()) parent.put(n, n);
        for (Task t : tasks.values()) {
            if (t.input() != null && tasks.containsKey(t.input())) union(parent, t.name(), t.input());
        }
        Map<String, List<String>> byRoot = new LinkedHashMap<>();
        for (String n : tasks.keySet()) byRoot.computeIfAbsent(find(parent, n), k -> new ArrayList<>()).add(n);
        for (List<String> members : byRoot.values()) {
            members.sort((a, b) -> Integer.compare(pipeDepth(a), pipeDepth(b))); // stable: declaration order kept
            int index = groups.size();
            groups.add(List.copyOf(members));
            members.forEach(m -> groupOf.put(m, index));
        }
    }

    private int pipeDepth(String task) {
        int depth = 0;
        Set<String> seen = new HashSet<>();
        String cur = tasks.get(task).input();
        while (cur != null && tasks.containsKey(cur) && seen.add(cur) && depth < tasks.size()) {
            depth++;
            cur = tasks.get(cur).input();
        }
        return depth;
    }

    private static String find(Map<String, String> parent, String n) {
        while (!parent.get(n).equals(n)) n = parent.get(n);
        return n;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a), rb = find(parent, b);
        if (!ra.equals(rb)) parent.put(rb, ra);
    }
}

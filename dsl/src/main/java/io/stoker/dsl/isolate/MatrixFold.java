package io.stoker.dsl.isolate;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.dsl.validate.MatrixExclusions;
import io.stoker.model.Task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds a task's matrix cells back into axes and exclusions. With cells excluded, the order in which values first
 * appear need not be the order they were written in (excluding {@code jdk=17,db=h2} makes {@code pg} appear before
 * {@code h2}), so each axis is ordered by what consecutive cells say: the first axis on which two neighbours differ
 * has the earlier cell's value first. Expanding the folded matrix then gives the cells back in their order.
 */
final class MatrixFold {

    private MatrixFold() {
    }

    static void fold(List<Task> cells, TaskDraft draft) {
        Task first = cells.getFirst();
        if (first.matrix().isEmpty()) return;
        List<String> names = new ArrayList<>(first.matrix().keySet());
        var seen = new LinkedHashMap<String, LinkedHashSet<String>>();
        var before = new HashMap<String, Map<String, Set<String>>>();
        Map<String, String> previous = null;
        for (Task cell : cells) {
            cell.matrix().forEach((k, v) -> seen.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
            if (previous != null) {
                for (String axis : names) {
                    String a = previous.get(axis);
                    String b = cell.matrix().get(axis);
                    if (a != null && !a.equals(b)) {
                        before.computeIfAbsent(axis, x -> new HashMap<>()).computeIfAbsent(a, x -> new HashSet<>()).add(b);
                        break;
                    }
                }
            }
            previous = cell.matrix();
        }
        var axes = new LinkedHashMap<String, List<String>>();
        long product = 1;
        for (var axis : seen.entrySet()) {
            List<String> ordered = order(axis.getValue(), before.getOrDefault(axis.getKey(), Map.of()));
            axes.put(axis.getKey(), ordered);
            draft.matrix.put(axis.getKey(), new Located<>(new ArrayList<>(ordered), first.pos()));
            product = Math.min(Long.MAX_VALUE / 1024, product * ordered.size());
        }
        // a product over the limit is refused by validation anyway; exclusions are not worth computing then
        if (product > MatrixExclusions.MAX_CELLS) return;
        Set<Map<String, String>> present = new HashSet<>();
        for (Task cell : cells) present.add(cell.matrix());
        var excluded = new ArrayList<Object>();
        combine(new ArrayList<>(axes.entrySet()), 0, new LinkedHashMap<>(), present, excluded);
        if (!excluded.isEmpty()) draft.matrixExclude = new Located<>(excluded, first.pos());
    }

    /** The values in an order every "a before b" respects, ties in order of appearance; appearance order on a cycle. */
    private static List<String> order(Set<String> values, Map<String, Set<String>> before) {
        var indegree = new LinkedHashMap<String, Integer>();
        for (String v : values) indegree.put(v, 0);
        before.values().forEach(next -> next.forEach(n -> indegree.merge(n, 1, Integer::sum)));
        var result = new ArrayList<String>();
        while (result.size() < values.size()) {
            String ready = indegree.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (ready == null) return new ArrayList<>(values); // not in any order: the recheck rejects the model
            result.add(ready);
            indegree.remove(ready);
            before.getOrDefault(ready, Set.of()).forEach(n -> indegree.computeIfPresent(n, (k, c) -> c - 1));
        }
        return result;
    }

    private static void combine(List<Map.Entry<String, List<String>>> axes, int index, LinkedHashMap<String, String> chosen,
                                Set<Map<String, String>> present, List<Object> excluded) {
        if (index == axes.size()) {
            if (!present.contains(chosen)) excluded.add(new LinkedHashMap<>(chosen));
            return;
        }
        var axis = axes.get(index);
        for (String value : axis.getValue()) {
            chosen.put(axis.getKey(), value);
            combine(axes, index + 1, chosen, present, excluded);
        }
        chosen.remove(axis.getKey());
    }
}

package io.stoker.dsl.validate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The concrete graph of one job after matrix expansion: each cell's needs and pipe writer.
 *
 * @param cells  every cell per written task name, in declaration order
 * @param needs  concrete needs per cell name
 * @param input  pipe writer per reading cell name
 */
record JobGraph(Map<String, List<Cell>> cells, Map<String, List<String>> needs, Map<String, String> input) {

    /**
     * The cells certainly finished before {@code cell} starts: its needs and everything they wait for, plus
     * what its pipe writer waits for (the writer itself runs at the same time, so it is not included).
     */
    Set<String> finishedBefore(String cell) {
        var done = new LinkedHashSet<String>();
        var todo = new ArrayDeque<String>();
        var visited = new HashMap<String, Boolean>();
        todo.add(cell);
        // bounded: each cell is expanded once
        while (!todo.isEmpty()) {
            String current = todo.poll();
            if (visited.put(current, true) != null) continue;
            for (String need : needs.getOrDefault(current, List.of())) {
                done.add(need);
                todo.add(need);
            }
            String writer = input.get(current);
            if (writer != null) todo.add(writer);
        }
        done.remove(cell);
        return done;
    }
}

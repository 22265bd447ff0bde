package io.stoker.dsl.validate;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A matrix's {@code exclude}: a list of maps (or one map) of axis → value; a cell whose values match every entry of
 * one map is left out, as GitHub Actions' {@code exclude} and Jenkins' {@code excludes} do.
 */
public final class MatrixExclusions {

    /** The most cells a matrix may have before its exclusions. */
    public static final int MAX_CELLS = MatrixExpansion.MAX_CELLS;

    private MatrixExclusions() {
    }

    /**
     * Whether a matrix entry named {@code exclude} holds exclusions (a map, or a non-empty list of maps) rather than
     * the values of an axis that happens to be called so.
     */
    public static boolean isExclusions(Object value) {
        if (value instanceof Map<?, ?>) return true;
        return value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(v -> v instanceof Map<?, ?>);
    }

    /**
     * The exclusions of {@code task} as axis → value maps, checked against its axes: a problem for an axis it does
     * not have, a value its axis does not hold, or a map that is empty; null when one of them is wrong.
     */
    static List<Map<String, String>> read(TaskDraft task, Map<String, List<String>> axes, Problems problems) {
        Located<Object> written = task.matrixExclude;
        if (written == null) return List.of();
        List<?> entries = written.value() instanceof Map<?, ?> one ? List.of(one) : (List<?>) written.value();
        var result = new ArrayList<Map<String, String>>();
        boolean ok = true;
        for (Object entry : entries) {
            Map<?, ?> map = (Map<?, ?>) entry;
            if (map.isEmpty()) {
                problems.error(written.pos(), "an empty map in the matrix exclude of task '" + task.name
                        + "' would leave out every cell: name the axis values to leave out, e.g. [jdk: '17', db: 'pg']");
                ok = false;
                continue;
            }
            var cell = new LinkedHashMap<String, String>();
            for (var e : map.entrySet()) {
                String axis = String.valueOf(e.getKey());
                String value = MatrixExpansion.scalar(e.getValue());
                List<String> values = axes.get(axis);
                if (values == null) {
                    problems.error(written.pos(), "matrix exclude of task '" + task.name + "' names axis '" + axis
                            + "', which the matrix does not have (axes: " + String.join(", ", axes.keySet()) + ")");
                    ok = false;
                } else if (value == null || !values.contains(value)) {
                    problems.error(written.pos(), "matrix exclude of task '" + task.name + "' names " + axis + "="
                            + (value == null ? "a list or map" : "'" + value + "'") + ", which axis '" + axis
                            + "' does not hold (values: " + String.join(", ", values) + ")");
                    ok = false;
                } else {
                    cell.put(axis, value);
                }
            }
            result.add(cell);
        }
        return ok ? result : null;
    }

    /** Whether {@code values} (a cell's axis → value) matches one of the exclusions. */
    static boolean excludes(List<Map<String, String>> exclusions, Map<String, String> values) {
        return exclusions.stream().anyMatch(x -> x.entrySet().stream()
                .allMatch(e -> e.getValue().equals(values.get(e.getKey()))));
    }
}

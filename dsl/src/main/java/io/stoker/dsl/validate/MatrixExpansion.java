package io.stoker.dsl.validate;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands each task into its cells: the cross product of its matrix axes, in declaration order, named
 * {@code base[k1=v1,k2=v2]}, less the cells its {@code exclude} matches. A task without a matrix is one cell named
 * like the task.
 */
final class MatrixExpansion {
    static final int MAX_CELLS = 256;
    /** GitHub Actions' {@code node-version} is common; the expression language reads '-' inside a name. */
    private static final Pattern AXIS_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private MatrixExpansion() {
    }

    /** Cells per task name, in task order. A task whose matrix is wrong gets no cells (its errors are reported). */
    static Map<String, List<Cell>> expand(Map<String, TaskDraft> tasks, Problems problems) {
        var result = new LinkedHashMap<String, List<Cell>>();
        for (TaskDraft task : tasks.values()) {
            result.put(task.name, cells(task, problems));
        }
        return result;
    }

    /** One task's cells; none when its matrix is wrong (its errors are reported). */
    static List<Cell> cells(TaskDraft task, Problems problems) {
        if (task.matrix.isEmpty()) return List.of(new Cell(task.name, task.name, Map.of()));
        var axes = new LinkedHashMap<String, List<String>>();
        var variables = new HashSet<String>();
        boolean ok = true;
        long count = 1;
        for (var axis : task.matrix.entrySet()) {
            Located<List<Object>> values = axis.getValue();
            if (!AXIS_NAME.matcher(axis.getKey()).matches()) {
                problems.error(values.pos(), "matrix axis name '" + axis.getKey()
                        + "' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
                ok = false;
            } else if (!variables.add(variable(axis.getKey()))) {
                problems.error(values.pos(), "matrix axis '" + axis.getKey() + "' of task '" + task.name
                        + "' has the same variable $" + variable(axis.getKey()) + " as another axis: rename one");
                ok = false;
            }
            if (values.value() == null || values.value().isEmpty()) {
                problems.error(values.pos(), "matrix axis '" + axis.getKey() + "' of task '" + task.name
                        + "' needs at least one value");
                ok = false;
                continue;
            }
            if (axis.getKey().equals("include") && values.value().stream().anyMatch(v -> v instanceof Map<?, ?>)) {
                problems.error(values.pos(), "matrix include (GitHub Actions' extra cells) is not supported: add its"
                        + " values to the axes and leave out the cells you do not want with exclude, or write the"
                        + " extra cell as a task of its own");
                ok = false;
                continue;
            }
            var rendered = new ArrayList<String>();
            var seen = new HashSet<String>();
            for (Object value : values.value()) {
                String text = scalar(value);
                if (text == null) {
                    problems.error(values.pos(), "matrix axis '" + axis.getKey()
                            + "' may only hold strings, numbers and booleans");
                    ok = false;
                } else if (text.isEmpty() || text.chars().anyMatch(c -> ",=[]".indexOf(c) >= 0)) {
                    problems.error(values.pos(), "matrix value '" + text + "' of axis '" + axis.getKey()
                            + "' must be non-empty and hold none of , = [ ]");
                    ok = false;
                } else if (NameChecks.holdsNul(text)) {
                    problems.error(values.pos(), "a value of matrix axis '" + axis.getKey() + "' holds " + NameChecks.NUL);
                    ok = false;
                } else if (!seen.add(text)) {
                    problems.error(values.pos(), "duplicate value '" + text + "' in matrix axis '" + axis.getKey() + "'");
                    ok = false;
                } else {
                    rendered.add(text);
                }
            }
            axes.put(axis.getKey(), rendered);
            count *= Math.max(1, rendered.size());
        }
        if (count > MAX_CELLS) {
            problems.error(task.pos, "matrix of task '" + task.name + "' has " + count + " cells; at most "
                    + MAX_CELLS + " are allowed");
            ok = false;
        }
        if (!ok) return List.of();
        List<Map<String, String>> exclusions = MatrixExclusions.read(task, axes, problems);
        if (exclusions == null) return List.of();
        var cells = new ArrayList<Cell>();
        product(task.name, new ArrayList<>(axes.entrySet()), 0, new LinkedHashMap<>(), cells);
        cells.removeIf(cell -> MatrixExclusions.excludes(exclusions, cell.values()));
        if (cells.isEmpty()) {
            problems.error(task.matrixExclude.pos(), "the matrix exclude of task '" + task.name
                    + "' leaves out every cell");
        }
        return cells;
    }

    private static void product(String base, List<Map.Entry<String, List<String>>> axes, int index,
                                LinkedHashMap<String, String> chosen, List<Cell> out) {
        if (index == axes.size()) {
            out.add(new Cell(cellName(base, chosen), base, Collections.unmodifiableMap(new LinkedHashMap<>(chosen))));
            return;
        }
        var axis = axes.get(index);
        for (String value : axis.getValue()) {
            chosen.put(axis.getKey(), value);
            product(base, axes, index + 1, chosen, out);
        }
        chosen.remove(axis.getKey());
    }

    /** The environment variable a cell's value of this axis is in, as the engine names it: MATRIX_NODE_VERSION. */
    static String variable(String axis) {
        return "MATRIX_" + axis.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    static String cellName(String base, Map<String, String> values) {
        var sb = new StringBuilder(base).append('[');
        values.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ",").append(k).append('=').append(v));
        return sb.append(']').toString();
    }

    /**
     * A matrix value as a string, or null when it is not a scalar. The YAML and JSON front ends give numbers as the
     * text they were written as; the Groovy DSL gives them evaluated.
     */
    static String scalar(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b.toString();
            // Groovy's 3.10 is a BigDecimal of scale 2: the cell says 3.10, as written (3.1 would be another version)
            case BigDecimal d -> d.toPlainString();
            case Double d when d == Math.rint(d) && !d.isInfinite() -> Long.toString(d.longValue());
            case Number n -> n.toString();
            case null, default -> null;
        };
    }
}

package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.Located;
import io.stoker.expr.EvalContext;
import io.stoker.expr.Expression;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.expr.Reference;
import io.stoker.expr.Unknown;
import io.stoker.model.Pos;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses every {@code when} and every {@code ${{ }}} template, and checks what they read: declared parameters,
 * secrets and matrix axes, known run properties, and outputs only of tasks that certainly finished before.
 */
final class ExpressionChecks {
    static final List<String> RUN = List.of("branch", "commit", "number", "key", "trigger", "job", "project", "pr",
            "targetBranch", "tag");

    /** Nothing is known at validation time, so only a condition false whatever happens evaluates to false. */
    private static final EvalContext NOTHING_KNOWN = knowing(function -> Unknown.VALUE);

    private final Map<String, List<Cell>> cells;
    private final Set<String> refused;
    private final Problems problems;
    private final Set<String> paramsRead = new java.util.HashSet<>();
    /** Free-text parameters already warned about as pasted into a script. */
    private final Set<String> pastedWarned = new java.util.HashSet<>();

    /** How a line of a multi-line text maps to the file, which depends on the Jobfile syntax. */
    enum TextLines {
        /** Groovy triple-quoted strings: the text's lines are file lines, starting at column 1. */
        FROM_COLUMN_ONE,
        /** YAML block scalars: the text's lines are file lines, indented like the first one. */
        INDENTED,
        /** JSON: a line break is an escape on the element's own line, so point at the element. */
        NONE;

        static TextLines forFile(String file) {
            String name = file == null ? "" : file.toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".json")) return NONE;
            if (name.endsWith(".yaml") || name.endsWith(".yml")) return INDENTED;
            return FROM_COLUMN_ONE;
        }
    }

    /** What is known when a task may start: the run is not being cancelled (after a cancel nothing starts). */
    private static final EvalContext AT_A_START = knowing(function -> "cancelled".equals(function) ? Boolean.FALSE
            : Unknown.VALUE);

    /** No variable or output known, status functions as {@code status} says. */
    private static EvalContext knowing(java.util.function.Function<String, Object> status) {
        return new EvalContext() {
            @Override
            public Object variable(String root, String name) {
                return Unknown.VALUE;
            }

            @Override
            public Object output(String task, String key) {
                return Unknown.VALUE;
            }

            @Override
            public Object status(String function) {
                return status.apply(function);
            }
        };
    }

    private final TextLines textLines;

    ExpressionChecks(Map<String, List<Cell>> cells, Problems problems, TextLines textLines) {
        this(cells, Set.of(), problems, textLines);
    }

    /** {@code refused}: task names the name checks refused, whose outputs are read without a word. */
    ExpressionChecks(Map<String, List<Cell>> cells, Set<String> refused, Problems problems, TextLines textLines) {
        this.cells = cells;
        this.refused = refused;
        this.problems = problems;
        this.textLines = textLines;
    }

    void when(Located<String> when, Scope scope) {
        if (when == null || when.value() == null) return;
        Expression expression;
        try {
            expression = Expressions.parse(when.value());
        } catch (ExpressionException e) {
            problems.error(at(when.pos(), when.value(), e.offset()), "malformed when condition '" + when.value() + "': "
                    + e.getMessage());
            return;
        }
        for (Reference ref : expression.references()) reference(ref, at(when.pos(), when.value(), ref.offset()), scope);
        try {
            if (Boolean.FALSE.equals(expression.condition(NOTHING_KNOWN))) {
                problems.warning(when.pos(), "task '" + scope.task() + "' never runs: its when condition is always false");
            } else if (Boolean.FALSE.equals(expression.condition(AT_A_START))) {
                problems.warning(when.pos(), "task '" + scope.task() + "' never runs: its when condition needs "
                        + "cancelled(), which is true only once the run is being cancelled, and then no task starts "
                        + "(use failure() or always() for a task that cleans up)");
            }
        } catch (RuntimeException ignored) {
            // a condition that cannot be evaluated without values is simply not constant
        }
    }

    /** A text that may hold {@code ${{ }}} parts; {@code what} names it in messages (e.g. "sh script"). */
    void template(String text, Pos pos, String what, Scope scope) {
        if (text == null || !text.contains("${{")) return;
        io.stoker.expr.Template template;
        try {
            template = Expressions.template(text);
        } catch (ExpressionException e) {
            problems.error(at(pos, text, e.offset()), "malformed ${{ }} in " + what + ": " + e.getMessage());
            return;
        }
        for (Reference ref : template.references()) reference(ref, at(pos, text, ref.offset()), scope);
    }

    /**
     * A shell script's {@code ${{ }}} parts, as {@link #template}, and a warning for each free-text parameter
     * ({@code freeText}) pasted in: its value becomes script text, so one with a quote, {@code ;} or {@code $( )} in it
     * runs as shell code (a trigger's caller would run commands). Once per parameter and job; choices and bools
     * hold only values the Jobfile chose.
     */
    void shellScript(String text, Pos pos, Scope scope, Set<String> freeText) {
        template(text, pos, "sh script", scope);
        if (text == null || !text.contains("${{") || freeText.isEmpty()) return;
        io.stoker.expr.Template template;
        try {
            template = Expressions.template(text);
        } catch (ExpressionException reported) {
            return; // template() said what is wrong
        }
        for (Reference ref : template.references()) {
            String name = ref.name();
            if (ref.root().equals("params") && freeText.contains(name) && pastedWarned.add(name)) {
                problems.warning(at(pos, text, ref.offset()), "parameter '" + name + "' is pasted into the shell "
                        + "script as it is, so a value with a quote, ';' or '$( )' in it runs as shell code; read it as "
                        + "\"$" + name + "\" (parameters are also environment variables)");
            }
        }
    }

    private void reference(Reference ref, Pos pos, Scope scope) {
        String name = ref.name();
        switch (ref.root()) {
            case "params" -> {
                paramsRead.add(name);
                if (scope.params() != null && !scope.params().contains(name)) {
                    problems.error(pos, "unknown parameter 'params." + name + "'" + suggest(name, scope.params()));
                }
            }
            case "matrix" -> {
                if (!scope.axes().contains(name)) {
                    problems.error(pos, scope.task() == null || scope.axes().isEmpty()
                            ? "'matrix." + name + "' is only known inside a matrix task"
                            : "task '" + scope.task() + "' has no matrix axis '" + name + "'" + suggest(name, scope.axes()));
                }
            }
            case "secrets" -> {
                if (DeployChecks.WHERE.equals(scope.task())) {
                    // a deployment's run is not a job's: no secret reaches it, so the text would be rendered empty
                    problems.error(pos, "secrets are not available in deploy commands: 'secrets." + name + "' would "
                            + "be empty when the target runs; keep what the service needs on the target itself");
                } else if (PublishChecks.WHERE.equals(scope.task())) {
                    // rendered after the run, where secrets are not read: it would publish the name without it
                    problems.error(pos, "publish version cannot read secrets: a version's name is shown to every"
                            + " reader, in URLs and on disk");
                } else if (!scope.secrets().contains(name)) {
                    problems.error(pos, "secret '" + name + "' is not declared — add it to the job's or task's secrets"
                            + DidYouMean.suffix(name, scope.secrets()));
                }
            }
            case "run" -> {
                if (!RUN.contains(name)) {
                    problems.error(pos, "unknown run property 'run." + name + "' (known: " + String.join(", ", RUN) + ")"
                            + DidYouMean.suffix(name, RUN));
                }
            }
            case "env" -> {
                // any environment variable may be read
            }
            case "outputs" -> outputs(ref, pos, scope);
            default -> problems.error(pos, "unknown name '" + ref.root() + "'");
        }
    }

    /** Parameters some expression read, for the unused-parameter warning. */
    Set<String> paramsRead() {
        return paramsRead;
    }

    private void outputs(Reference ref, Pos pos, Scope scope) {
        String name = ref.name();
        String key = ref.key() == null ? "k" : ref.key();
        if (scope.task() == null || scope.task().equals(DeployChecks.WHERE)) {
            problems.error(pos, "outputs are only known inside a task (its when, sh and env) and in an after "
                    + "trigger's parameters");
            return;
        }
        if (scope.task().equals(AfterTriggerScope.WHERE)) {
            AfterTriggerScope.outputs(name, scope, pos, problems);
            return;
        }
        String base = GraphChecks.baseOf(name, cells);
        if (scope.task().equals(PublishChecks.WHERE)) {
            if (!scope.upstream().contains(name) && cells.get(base) != null && !cells.get(base).isEmpty()
                    && cells.get(base).getFirst().isMatrix() && name.equals(base)) {
                problems.error(pos, "'" + base + "' is a matrix: name a cell, e.g. outputs['" + cells.get(base).getFirst().name()
                        + "']." + key);
            } else if (cells.get(base) == null && !refused.contains(base) && !refused.contains(name)) {
                problems.error(pos, "publish version reads outputs of unknown task '" + name + "'"
                        + DidYouMean.suffix(name, cells.keySet()));
            }
            return;
        }
        if (base.equals(scope.task())) {
            problems.error(pos, "task '" + scope.task() + "' reads its own outputs");
            return;
        }
        List<Cell> all = cells.get(base);
        if (all == null && (refused.contains(base) || refused.contains(name))) return; // the name's own error says it
        if (all == null) {
            problems.error(pos, "task '" + scope.task() + "' reads outputs of unknown task '" + name + "'"
                    + DidYouMean.suffix(name, cells.keySet()));
            return;
        }
        if (all.isEmpty()) return; // its matrix is wrong and already reported
        String concrete = null;
        if (name.equals(base)) {
            if (all.getFirst().isMatrix()) {
                problems.error(pos, "'" + base + "' is a matrix: name a cell, e.g. outputs['" + all.getFirst().name()
                        + "']." + key);
                return;
            }
            concrete = base;
        } else {
            Map<String, String> wanted = GraphChecks.parseCell(name);
            for (Cell cell : all) {
                if (cell.name().equals(name) || cell.values().equals(wanted)) concrete = cell.name();
            }
            if (concrete == null) {
                problems.error(pos, "unknown cell '" + name + "' in outputs"
                        + DidYouMean.suffix(name, all.stream().map(Cell::name).toList()));
                return;
            }
        }
        // a task whose own matrix is wrong has no cells, so what it needs is unknown: its matrix error says enough
        if (!scope.upstream().contains(concrete) && !matrixIsWrong(scope.task())) {
            problems.error(pos, "task '" + scope.task() + "' reads outputs of '" + concrete + "' but does not need it"
                    + (concrete.equals(scope.writer()) ? " (a pipe writer runs at the same time)" : ""));
        }
    }

    private boolean matrixIsWrong(String task) {
        List<Cell> own = cells.get(task);
        return own != null && own.isEmpty();
    }

    private static String suggest(String name, Set<String> known) {
        return DidYouMean.suffix(name, known);
    }

    /**
     * The position of a character of a text written at {@code pos}: the element's own position on its first line,
     * and the line and column within the text after a line break (multi-line scripts).
     */
    private Pos at(Pos pos, String text, int offset) {
        return switch (textLines) {
            case NONE -> pos;
            case FROM_COLUMN_ONE -> within(pos, text, offset, 0);
            case INDENTED -> within(pos, text, offset, Math.max(0, pos.col() - 1));
        };
    }

    static Pos within(Pos pos, String text, int offset, int indent) {
        if (!pos.known() || text == null || offset <= 0) return pos;
        int end = Math.min(offset, text.length());
        int lines = 0;
        int lastBreak = -1;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
                lastBreak = i;
            }
        }
        return lines == 0 ? pos : new Pos(pos.line() + lines, indent + end - lastBreak);
    }
}

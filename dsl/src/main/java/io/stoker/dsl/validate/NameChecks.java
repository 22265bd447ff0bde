package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Pos;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Job, task and parameter names: present, well-formed and unique; jobs with tasks, tasks with steps. */
public final class NameChecks {
    public static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Why a value that reaches a task's environment (an env value, a matrix value, a parameter's default or choice)
     * cannot hold U+0000: no process environment can, and the task would fail to start instead of the Jobfile
     * being refused.
     */
    static final String NUL = "a NUL character (\\u0000), which no environment variable can hold";

    static boolean holdsNul(Object value) {
        return value instanceof CharSequence text && text.chars().anyMatch(c -> c == 0);
    }
    /** The longest job or task name (a matrix cell's full name included): a server stores and shows them. */
    static final int MAX_NAME = 200;

    private NameChecks() {
    }

    /** Checks the job names; returns the jobs that have a usable, unique name, by name. */
    static Map<String, JobDraft> jobs(JobfileDraft draft, Problems problems) {
        if (draft.jobs.isEmpty() && draft.diagnostics.stream().noneMatch(d -> d.isError())) {
            // a front end that could not read the file has said why already
            problems.error(Pos.NONE, "the Jobfile defines no job — add job('name') { … }");
        }
        if (draft.jobs.size() > JobfileValidator.MAX_JOBS) {
            problems.error(draft.jobs.get(JobfileValidator.MAX_JOBS).pos, "a Jobfile holds at most "
                    + JobfileValidator.MAX_JOBS + " jobs; this one has " + draft.jobs.size());
        }
        var byName = new LinkedHashMap<String, JobDraft>();
        for (JobDraft job : draft.jobs) {
            if (blank(job.name)) {
                problems.error(job.pos, "a job needs a name");
                continue;
            }
            // a job's name reaches terminals, URLs and paths: the task names' rule, and no '.' or '..'
            if (malformed(job.pos, "job", job.name, problems)) continue;
            if (tooLong(job.pos, "job", job.name, problems)) continue;
            JobDraft first = byName.putIfAbsent(job.name, job);
            if (first != null && !job.repeatTold) {
                problems.error(job.pos, "duplicate job '" + job.name + "' (first defined" + at(first.pos) + ")");
            }
        }
        return byName;
    }

    /**
     * Reports a job or task name outside {@link #TASK_NAME} (a job's also when it is only dots), saying which
     * character, and that letters are ASCII ones ('café' holds only letters to its author); a control character is
     * shown escaped ({@code \u001b}, {@code \n}), never written to the reader's terminal.
     */
    private static boolean malformed(Pos pos, String kind, String name, Problems problems) {
        if (!TASK_NAME.matcher(name).matches()) {
            int bad = name.codePoints().filter(c -> c >= 128 || !TASK_NAME.matcher(Character.toString(c)).matches())
                    .findFirst().orElse('?');
            String which = bad == ' ' ? "a space" : "'" + shown(Character.toString(bad)) + "'";
            problems.error(pos, kind + " name '" + shown(name) + "' may only hold ASCII letters (a-z, A-Z), digits, "
                    + "'_', '.' and '-', not " + which);
            return true;
        }
        if (kind.equals("job") && name.chars().allMatch(c -> c == '.')) {
            problems.error(pos, "job name '" + name + "' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-',"
                    + " and not only dots");
            return true;
        }
        return false;
    }

    /** A name with its control and invisible characters escaped: \n, \t, \r, \u001b. */
    static String shown(String name) {
        var out = new StringBuilder();
        name.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** Checks the task names of one job; returns the tasks with a usable, unique name, in declaration order. */
    static Map<String, TaskDraft> tasks(JobDraft job, String file, Problems problems) {
        Syntax syntax = Syntax.of(file);
        if (job.tasks.isEmpty()) {
            problems.error(job.pos, "job '" + job.name + "' has no task — add " + syntax.task);
        }
        var byName = new LinkedHashMap<String, TaskDraft>();
        for (TaskDraft task : job.tasks) {
            if (task.steps.isEmpty() && !task.stepWritten) {
                problems.error(task.pos, "task '" + (task.name == null ? "" : task.name) + "' has no step — add " + syntax.step);
            }
            for (io.stoker.model.Step step : task.steps) {
                if (step instanceof io.stoker.model.Step.Sh sh && sh.script().isBlank()) {
                    problems.error(sh.pos(), "an sh step of task '" + (task.name == null ? "" : task.name)
                            + "' is empty — write the command it runs: " + syntax.step);
                }
            }
            if (blank(task.name)) {
                problems.error(task.pos, "a task needs a name");
                continue;
            }
            if (malformed(task.pos, "task", task.name, problems)) continue;
            if (tooLong(task.pos, "task", task.name, problems)) continue;
            TaskDraft first = byName.putIfAbsent(task.name, task);
            if (first != null && !task.repeatTold) {
                problems.error(task.pos, "duplicate task '" + task.name + "' (first defined" + at(first.pos) + ")");
            }
        }
        return byName;
    }

    /** A matrix cell's full name ({@code test[jdk=21,os=linux]}) within {@link #MAX_NAME}; one error per task. */
    static void cells(Map<String, TaskDraft> tasks, Map<String, List<Cell>> cells, Problems problems) {
        for (var entry : cells.entrySet()) {
            TaskDraft task = tasks.get(entry.getKey());
            entry.getValue().stream().map(Cell::name).filter(n -> n.length() > MAX_NAME).findFirst()
                    .ifPresent(n -> tooLong(task.pos, "matrix cell", n, problems));
        }
    }

    /** Reports a name over {@link #MAX_NAME}, shown by its start; true when it is one. */
    private static boolean tooLong(Pos pos, String what, String name, Problems problems) {
        if (name.length() <= MAX_NAME) return false;
        problems.error(pos, what + " name '" + name.substring(0, 40) + "…' is " + name.length()
                + " characters long; at most " + MAX_NAME);
        return true;
    }

    /** Checks parameter names; returns the parameters with a usable, unique name. */
    static Map<String, ParamDraft> parameters(JobDraft job, Problems problems) {
        var byName = new LinkedHashMap<String, ParamDraft>();
        for (ParamDraft param : job.parameters) {
            if (blank(param.name())) {
                problems.error(param.pos(), "a parameter needs a name");
                continue;
            }
            if (!IDENTIFIER.matcher(param.name()).matches()) {
                problems.error(param.pos(), "parameter name '" + param.name()
                        + "' must start with a letter or '_' and hold only letters, digits and '_'");
                continue;
            }
            if (reserved(param.name())) {
                problems.error(param.pos(), "parameter name '" + param.name() + "' is taken: Stoker sets " + param.name()
                        + " for every task (CI and STOKER_*), so the parameter's value would never reach it");
                continue;
            }
            if (SHELL_VARIABLES.contains(param.name())) {
                problems.error(param.pos(), "parameter name '" + param.name() + "' would replace the task's own "
                        + param.name() + ", which its shell and programs rely on (anyone who may trigger the job could set"
                        + " it): give the parameter another name");
                continue;
            }
            if (holdsNul(param.defaultValue())
                    || (param.choices() != null && param.choices().stream().anyMatch(NameChecks::holdsNul))) {
                problems.error(param.pos(), "parameter '" + param.name() + "' has a value with " + NUL);
            }
            ParamDraft first = byName.putIfAbsent(param.name(), param);
            if (first != null) {
                problems.error(param.pos(), "duplicate parameter '" + param.name() + "' (first defined"
                        + at(first.pos()) + ")");
            }
        }
        return byName;
    }

    /**
     * Variables a task's shell and the programs it starts rely on: a parameter is exported under its name, so one of
     * these would change how every step runs ({@code PATH=/nowhere}: no command found; {@code LD_PRELOAD}: code of
     * the triggering person's choice in every process).
     */
    static final java.util.Set<String> SHELL_VARIABLES = java.util.Set.of("PATH", "HOME", "SHELL", "IFS", "PWD",
            "OLDPWD", "BASH_ENV", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT");

    /** The variables the engine sets for every task, over whatever a parameter or secret of that name holds. */
    static boolean reserved(String name) {
        return name.equals("CI") || name.startsWith("STOKER_");
    }

    /** Secret names are exported as environment variables, so they must be identifiers too. */
    static void secrets(Iterable<io.stoker.dsl.draft.Located<String>> secrets, Problems problems) {
        var seen = new HashMap<String, Pos>();
        for (var secret : secrets) {
            if (blank(secret.value()) || !IDENTIFIER.matcher(secret.value()).matches()) {
                problems.error(secret.pos(), "secret name '" + (secret.value() == null ? "" : secret.value())
                        + "' must start with a letter or '_' and hold only letters, digits and '_'");
            } else if (seen.putIfAbsent(secret.value(), secret.pos()) != null) {
                problems.error(secret.pos(), "duplicate secret '" + secret.value() + "'");
            }
        }
    }

    static String at(Pos pos) {
        return pos.known() ? " at line " + pos.line() : " before";
    }

    /**
     * Whether a name can be quoted as it is in any message: one with a control or invisible character is shown
     * escaped by the name checks only, so what is inside a job or task of that name waits until it is mended.
     */
    static boolean printable(String name) {
        return name != null && name.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** How a hint writes a task and a step, in the Jobfile's own syntax (picked by its file name). */
    private enum Syntax {
        GROOVY("task('name') { sh '…' }", "sh '…'"),
        YAML("a task under tasks: (tasks: {name: {sh: '…'}})", "sh: '…'"),
        JSON("a task under \"tasks\" (\"tasks\": {\"name\": {\"sh\": \"…\"}})", "\"sh\": \"…\"");

        final String task;
        final String step;

        Syntax(String task, String step) {
            this.task = task;
            this.step = step;
        }

        static Syntax of(String file) {
            String name = file == null ? "" : file.toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".json")) return JSON;
            if (name.endsWith(".yaml") || name.endsWith(".yml")) return YAML;
            return GROOVY;
        }
    }
}

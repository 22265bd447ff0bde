package io.stoker.engine.plan;

import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.TaskGraph;
import io.stoker.expr.EvalContext;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.expr.Unknown;
import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a dry-run {@link Plan}. {@code when} conditions are evaluated with what is known before running
 * (parameters, run facts, matrix values, env without templates); outputs, secrets and the status of upstream
 * tasks are unknown, so a condition depending on them is "decided at run time".
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(Job job, ResolvedParameters params, RunContext context) {
        TaskGraph graph = TaskGraph.of(job);
        List<Plan.Pipe> pipes = new ArrayList<>();
        Map<String, Plan.WhenDecision> when = new LinkedHashMap<>();
        for (Task t : job.tasks()) {
            if (t.input() != null) pipes.add(new Plan.Pipe(t.input(), t.name()));
            String condition = t.when() == null ? "success()" : t.when();
            when.put(t.name(), new Plan.WhenDecision(condition, verdict(job, t, condition, params, context)));
        }
        return new Plan(job.name(), graph.levels(), pipes, params.values(), when);
    }

    private static String verdict(Job job, Task t, String condition, ResolvedParameters params, RunContext run) {
        EvalContext known = new EvalContext() {
            @Override
            public Object variable(String root, String name) {
                return switch (root) {
                    case "params" -> params.get(name);
                    case "run" -> run.variable(name);
                    case "matrix" -> t.matrix().get(name);
                    case "env" -> {
                        String v = t.env().containsKey(name) ? t.env().get(name) : job.env().get(name);
                        yield v == null ? null : v.contains("${{") ? Unknown.VALUE : v;
                    }
                    default -> Unknown.VALUE;
                };
            }

            @Override
            public Object output(String task, String key) {
                return Unknown.VALUE;
            }

            @Override
            public Object status(String function) {
                // with no upstream, success() holds and failure() cannot happen: known before running
                if (t.upstream().isEmpty() && function.equals("success")) return Boolean.TRUE;
                if (t.upstream().isEmpty() && function.equals("failure")) return Boolean.FALSE;
                return Unknown.VALUE;
            }
        };
        try {
            Object v = Expressions.parse(condition).condition(known);
            return v == Unknown.VALUE ? Plan.WhenDecision.AT_RUN_TIME : String.valueOf(v);
        } catch (ExpressionException e) {
            return "malformed: " + e.getMessage();
        }
    }
}

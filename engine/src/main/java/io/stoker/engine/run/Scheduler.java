package io.stoker.engine.run;

import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.expr.Unknown;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what starts when: a pipe group is decided once every task outside it that it waits for has ended (its
 * members' {@code when} picks who runs; a reused group is taken over instead), then waits in the ready queue for
 * parallel slots. Decisions are made under the run's lock; groups run on their own threads.
 */
final class Scheduler {
    private final RunExecution run;
    private final Map<String, TaskRun> tasks;
    private final AttemptRunner runner;
    private final ApprovalGates gates;
    private final List<PipeGroup> groups = new ArrayList<>();
    // guarded by the run's lock
    private final Deque<PipeGroup> ready = new ArrayDeque<>();
    private int slotsInUse;
    private int reusing;
    private boolean finishing;

    Scheduler(RunExecution run, Map<String, TaskRun> tasks, AttemptRunner runner, ApprovalGates gates) {
        this.run = run;
        this.gates = gates;
        this.tasks = tasks;
        this.runner = runner;
        Map<String, ReusedTask> reused = run.request.reused();
        for (List<String> names : run.graph.groups()) {
            // a pipe is taken over whole or run whole: a reader cannot read a writer that did not run
            boolean whole = names.stream().allMatch(reused::containsKey);
            groups.add(new PipeGroup(names.stream().map(tasks::get).toList(), run.graph.externalUpstream(names), whole));
        }
    }

    /** The tasks taken over from an earlier run (members of reused groups), a task after those it waits for. */
    List<String> reusedInStartOrder() {
        Set<String> reused = new HashSet<>();
        for (PipeGroup g : groups) {
            if (g.reused) g.members.forEach(t -> reused.add(t.name()));
        }
        return run.graph.levels().stream().flatMap(List::stream).filter(reused::contains).toList();
    }

        /** Whether the run is ending: nothing is left to decide or run. */
    boolean finishing() {
        synchronized (run) {
            return finishing;
        }
    }

    /** After a cancel or the job timeout: nothing more is decided or started. */
    void decideNoMore() {
        synchronized (run) {
            ready.clear();
            for (PipeGroup g : groups) g.decided = true;
        }
    }

    /** Re-plans after any change: decides groups, starts those that fit, ends the run when nothing is left. */
    void afterChange() {
        boolean done;
        List<PipeGroup> toLaunch = new ArrayList<>();
        List<PipeGroup> toReuse = new ArrayList<>();
        List<TaskRun> toAsk = new ArrayList<>();
        synchronized (run) {
            if (finishing) return;
            boolean progress = true;
            while (progress) {
                progress = false;
                for (PipeGroup g : groups) {
                    if (g.decided || !g.external.stream().allMatch(u -> tasks.get(u) == null || tasks.get(u).state().isFinal())) continue;
                    g.decided = true;
                    progress = true;
                    if (g.reused) {
                        reusing++;
                        toReuse.add(g);
                    } else {
                        decide(g, toAsk);
                    }
                }
            }
            while (!ready.isEmpty()) {
                PipeGroup g = ready.peek();
                int need = g.toRun.size();
                if (slotsInUse > 0 && slotsInUse + need > run.request.parallel()) break;
                ready.poll();
                slotsInUse += need;
                toLaunch.add(g);
            }
            done = slotsInUse == 0 && reusing == 0 && ready.isEmpty()
                    && tasks.values().stream().allMatch(t -> t.state().isFinal());
            if (done) finishing = true;
        }
        gates.ask(toAsk);
        for (PipeGroup g : toReuse) run.ports.threads().run(() -> reuse(g));
        for (PipeGroup g : toLaunch) run.ports.threads().run(() -> launch(g));
        if (done) run.complete();
    }

    private void launch(PipeGroup g) {
        try {
            runner.run(g);
        } finally {
            synchronized (run) {
                slotsInUse -= g.toRun.size();
            }
            afterChange();
        }
    }

    private void reuse(PipeGroup g) {
        try {
            runner.reuse(g);
        } finally {
            synchronized (run) {
                reusing--;
            }
            afterChange();
        }
    }

    /** Decides which members of a group run (their {@code when}) and queues it. Under the lock. */
    private void decide(PipeGroup g, List<TaskRun> toAsk) {
        List<TaskRun> toRun = new ArrayList<>();
        for (TaskRun t : g.members) {
            String input = t.task.input();
            TaskRun writer = input == null ? null : tasks.get(input);
            if (writer != null && writer.state() == TaskState.SKIPPED) {
                run.finish(t, new Outcome.Skipped("its pipe writer '" + input + "' was skipped"));
                continue;
            }
            String skip = whenSkipReason(t, g);
            if (skip != null) run.finish(t, new Outcome.Skipped(skip));
            else toRun.add(t);
        }
        g.toRun = List.copyOf(toRun);
        if (toRun.isEmpty()) return;
        if (gates.hold(g, toAsk)) return;
        release(g);
    }

    /** Queues a decided group for slots: at once, or once its approval gates were approved. Under the lock. */
    void release(PipeGroup g) {
        run.queue(g.toRun);
        ready.add(g);
    }

    /** Whether nothing is queued, running or being reused: the run only waits (for gates). */
    boolean idle() {
        synchronized (run) {
            return slotsInUse == 0 && reusing == 0 && ready.isEmpty();
        }
    }

    /** Null when the task is to run, else why it is skipped. */
    private String whenSkipReason(TaskRun t, PipeGroup g) {
        String when = t.task.when();
        Object verdict;
        try {
            verdict = when == null ? run.environment.status(t, g, "success")
                    : Expressions.parse(when).condition(run.environment.scope(t, g));
        } catch (ExpressionException e) {
            return "its when '" + when + "' is malformed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "its when '" + when + "' could not be evaluated: " + e.getMessage();
        }
        if (Boolean.TRUE.equals(verdict)) return null;
        if (when == null) {
            for (String u : t.task.upstream()) {
                TaskRun up = tasks.get(u);
                if (up != null && up.state() != TaskState.SUCCEEDED && !g.contains(up)) {
                    return "needed task '" + u + "' " + up.state().label();
                }
            }
            return "an upstream task did not succeed";
        }
        return "when '" + when + "' is " + (verdict == Unknown.VALUE ? "unknown" : "false");
    }
}

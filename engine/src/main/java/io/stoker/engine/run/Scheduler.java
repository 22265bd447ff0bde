package io.stoker.engine.run;

import io.stoker.expr.Expression;
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
import java.util.concurrent.CompletableFuture;

/**
 * Decides what starts when: a pipe group is decided once every task outside it that it waits for has ended (its
 * members' {@code when} picks who runs; a reused group is taken over instead), then waits in the ready queue for
 * parallel slots. Decisions are made under the run's lock; groups run on their own threads. A task that waits for a
 * run its trigger step started gives its slot back meanwhile and takes one again, before the groups still queued,
 * when it has a process to run next: a slot is for running something, and a wait that held one could wait for ever
 * for a run that needs it.
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
    /** Tasks running without a slot: each waits for a run it triggered, or for a slot to go on after that. */
    private final Set<TaskRun> slotless = new java.util.LinkedHashSet<>();
    /** Slotless tasks that want a slot again, first come first served, before the ready groups. */
    private final Deque<Reclaim> reclaims = new ArrayDeque<>();
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
        carryOut(plan());
    }

    /** What a re-plan decided under the lock, to be carried out outside it. */
    record Plan(List<PipeGroup> toLaunch, List<PipeGroup> toReuse, List<TaskRun> toAsk, boolean done) {
        static final Plan NOTHING = new Plan(List.of(), List.of(), List.of(), false);
    }

    /**
     * Decides groups and grants slots (the first half of {@link #afterChange}): what it decides is in the run's
     * record at once (gates opened, tasks skipped or queued), so a caller holding the lock saves it in one go.
     */
    Plan plan() {
        boolean done;
        List<PipeGroup> toLaunch = new ArrayList<>();
        List<PipeGroup> toReuse = new ArrayList<>();
        List<TaskRun> toAsk = new ArrayList<>();
        synchronized (run) {
            if (finishing) return Plan.NOTHING;
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
            // a stopping run grants no slot: the stop cancels the waits instead
            while (!reclaims.isEmpty() && !run.stopping() && (slotsInUse == 0 || slotsInUse < run.request.parallel())) {
                Reclaim r = reclaims.poll();
                // a wait that was cancelled (the run stops, the task's time is up) takes no slot
                if (r.granted().complete(null)) {
                    slotsInUse++;
                    r.group().slotsHeld++;
                    slotless.remove(r.task());
                }
            }
            while (!ready.isEmpty() && reclaims.isEmpty()) {
                PipeGroup g = ready.peek();
                int need = g.toRun.size();
                if (slotsInUse > 0 && slotsInUse + need > run.request.parallel()) break;
                ready.poll();
                slotsInUse += need;
                g.slotsHeld = need;
                toLaunch.add(g);
            }
            done = slotsInUse == 0 && reusing == 0 && ready.isEmpty()
                    && tasks.values().stream().allMatch(t -> t.state().isFinal());
            if (done) finishing = true;
        }
        return new Plan(toLaunch, toReuse, toAsk, done);
    }

    /** Carries out a {@link #plan()} outside the lock: asks the gates it opened, reuses and launches its groups. */
    void carryOut(Plan plan) {
        gates.ask(plan.toAsk());
        for (PipeGroup g : plan.toReuse()) run.ports.threads().run(() -> reuse(g));
        for (PipeGroup g : plan.toLaunch()) run.ports.threads().run(() -> launch(g));
        if (plan.done()) run.complete();
    }

    private void launch(PipeGroup g) {
        try {
            runner.run(g);
        } finally {
            synchronized (run) {
                slotsInUse -= g.slotsHeld;
                g.slotsHeld = 0;
                g.toRun.forEach(slotless::remove);
            }
            afterChange();
        }
    }

    /**
     * A lone task is about to wait for a run it triggers: its slot goes back (another task of the run, or the
     * server's next run, may use it meanwhile). Nothing when it holds none.
     */
    void giveBack(PipeGroup g, TaskRun t) {
        synchronized (run) {
            if (g.slotsHeld == 0) return;
            g.slotsHeld--;
            slotsInUse--;
            slotless.add(t);
        }
        afterChange();
    }

    /**
     * The task has a process to run again: completes at once when it holds its slot, else once a slot is free (it
     * goes before the groups still queued). Cancelling the future gives up the wait, and the slot is not taken.
     */
    CompletableFuture<Void> takeAgain(PipeGroup g, TaskRun t) {
        CompletableFuture<Void> granted = new CompletableFuture<>();
        synchronized (run) {
            if (!slotless.contains(t)) return CompletableFuture.completedFuture(null);
            reclaims.add(new Reclaim(g, t, granted));
        }
        afterChange();
        return granted;
    }

    /** The tasks running without a slot (waiting for a run they triggered). */
    Set<String> slotless() {
        synchronized (run) {
            return slotless.stream().map(TaskRun::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /** A slotless task's wait for a slot. */
    private record Reclaim(PipeGroup group, TaskRun task, CompletableFuture<Void> granted) {
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

    /**
     * Decides which members of a group run (those the run's selection holds, then their {@code when}) and queues it.
     * Under the lock.
     */
    private void decide(PipeGroup g, List<TaskRun> toAsk) {
        List<TaskRun> toRun = new ArrayList<>();
        for (TaskRun t : g.members) {
            if (!run.request.selection().includes(t.name())) {
                run.finish(t, new Outcome.Skipped(TaskSelection.SKIP_REASON));
                continue;
            }
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

    /**
     * Whether the run only waits: nothing holds a slot, is queued or being reused, and some task waits at its gate
     * or for a run it triggered.
     */
    boolean onlyWaits() {
        synchronized (run) {
            return slotsInUse == 0 && reusing == 0 && ready.isEmpty() && reclaims.isEmpty()
                    && (!slotless.isEmpty() || tasks.values().stream().anyMatch(t -> t.state() == TaskState.WAITING));
        }
    }

    /**
     * Null when the task is to run, else why it is skipped, naming what decided it: a needed task that did not
     * succeed when the implicit {@code success()} is what failed (the task's own {@code when} was never asked), its
     * {@code when} otherwise.
     */
    private String whenSkipReason(TaskRun t, PipeGroup g) {
        String when = t.task.when();
        Object verdict;
        try {
            Object upstreamSucceeded = run.environment.status(t, g, "success");
            if (when == null) {
                verdict = upstreamSucceeded;
            } else {
                Expression condition = Expressions.parse(when);
                if (!condition.usesStatusFunction() && Boolean.FALSE.equals(upstreamSucceeded)) {
                    return upstreamSkipReason(t, g);
                }
                verdict = condition.condition(run.environment.scope(t, g));
            }
        } catch (ExpressionException e) {
            return "its when '" + when + "' is malformed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "its when '" + when + "' could not be evaluated: " + e.getMessage();
        }
        if (Boolean.TRUE.equals(verdict)) return null;
        if (when == null) return upstreamSkipReason(t, g);
        return "when '" + when + "' is " + (verdict == Unknown.VALUE ? "unknown" : "false");
    }

    /** Why the implicit {@code success()} is false: the first needed task outside the pipe that did not succeed. */
    private String upstreamSkipReason(TaskRun t, PipeGroup g) {
        for (String u : t.task.upstream()) {
            TaskRun up = tasks.get(u);
            if (up != null && !up.passed() && !g.contains(up)) {
                return "needed task '" + u + "' " + up.state().label();
            }
        }
        return "an upstream task did not succeed";
    }
}

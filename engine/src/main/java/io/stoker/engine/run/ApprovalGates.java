package io.stoker.engine.run;

import io.stoker.engine.approval.ApprovalRequest;
import io.stoker.engine.approval.Decision;
import io.stoker.engine.approval.Gate;
import io.stoker.model.Approval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A run's approval gates: opens a gate when its task is decided to run (the task waits, without a slot), asks the
 * {@link io.stoker.engine.approval.ApprovalPort}, and applies the first of the decision, the gate's timeout (which
 * rejects) or the run's stop (a cancel, or the job's timeout: a gate's deadline is never after the job's). Decisions are applied on an engine thread, never on the decider's.
 */
final class ApprovalGates {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalGates.class);

    private final RunExecution run;
    // guarded by the run's lock
    private final Map<TaskRun, Open> open = new HashMap<>();

    private record Open(PipeGroup group, CompletableFuture<Decision> asked, ScheduledFuture<?> timer) {
    }

    ApprovalGates(RunExecution run) {
        this.run = run;
    }

    /** Under the lock: the group's tasks with a gate wait at it; true when there was one (the group is not queued). */
    boolean hold(PipeGroup g, List<TaskRun> toAsk) {
        List<TaskRun> gated = new ArrayList<>();
        for (TaskRun t : g.toRun) {
            if (t.task.approval() == null) continue;
            Gate before = run.request.resumed().gates().get(t.name());
            if (before != null && before.verdict() == Decision.Verdict.APPROVED) t.gate(before); // not asked again
            else gated.add(t);
        }
        if (gated.isEmpty()) return false;
        g.gates = gated.size();
        for (TaskRun t : gated) {
            Gate before = run.request.resumed().gates().get(t.name());
            if (before != null && before.isWaiting()) { // it waited when the server stopped: it waits again as it was
                run.waitAtGate(t, before, true);
                open.put(t, new Open(g, null, null));
                toAsk.add(t);
                continue;
            }
            Approval a = t.task.approval();
            Instant own = run.ports.clock().instant().plusMillis(a.timeoutMillis());
            // the job's timeout ends the run (timed out) before a longer wait would reject: that is the deadline
            Instant job = run.jobDeadline();
            Instant deadline = job != null && job.isBefore(own) ? job : own;
            run.waitAtGate(t, Gate.waiting(question(a, t, g), a.approvers(), deadline), false);
            open.put(t, new Open(g, null, null));
            toAsk.add(t);
        }
        return true;
    }

    /**
     * The question with its {@code ${{ }}} rendered (a Jenkins {@code input "Deploy ${VERSION}?"} ported), against
     * what {@link TaskScope#withoutSecrets()} holds; as written when it does not render.
     */
    private String question(Approval a, TaskRun t, PipeGroup g) {
        try {
            return run.environment.scope(t, g).withoutSecrets().render(a.question());
        } catch (io.stoker.expr.ExpressionException | RuntimeException e) {
            return a.question();
        }
    }

    /** Outside the lock: asks the port for each opened gate and starts its timeout. */
    void ask(List<TaskRun> opened) {
        for (TaskRun t : opened) {
            Gate gate = t.gate();
            var ctx = run.request.context();
            CompletableFuture<Decision> asked;
            try {
                asked = run.ports.approvals().ask(new ApprovalRequest(run.key(), ctx.project(), ctx.job(), t.name(),
                        gate.question(), gate.approvers(), gate.deadline()));
            } catch (RuntimeException e) {
                asked = CompletableFuture.failedFuture(e);
            }
            long millis = t.task.approval().timeoutMillis();
            Instant job = run.jobDeadline();
            // until the deadline, not for the timeout from now: a gate opened again after a restart keeps its first
            // deadline, and one that passed while the server was down rejects at once
            long left = Math.max(0, gate.deadline().toEpochMilli() - run.ports.clock().millis());
            // a wait the job's timeout cuts short rejects nothing: the job's timer stops the run at the gate's deadline
            ScheduledFuture<?> timer = job != null && job.equals(gate.deadline()) ? null
                    : run.ports.timer().schedule(() -> onThread(() -> decide(t, Decision.rejected(null,
                    "no decision within " + RunExecution.human(millis)))), left, TimeUnit.MILLISECONDS);
            boolean stillOpen;
            synchronized (run) {
                Open o = open.get(t);
                stillOpen = o != null;
                if (stillOpen) open.put(t, new Open(o.group(), asked, timer));
            }
            if (!stillOpen) { // decided or stopped meanwhile
                asked.cancel(true);
                if (timer != null) timer.cancel(false);
                continue;
            }
            asked.whenComplete((d, e) -> {
                if (e instanceof CancellationException) return;
                if (e != null) LOG.warn("run {}: asking for the approval of {} failed: {}", run.key(), t.name(), e.toString());
                Decision decision = e != null ? Decision.rejected(null, "cannot ask for a decision: " + e.getMessage()) : d;
                onThread(() -> decide(t, decision));
            });
        }
    }

    private void onThread(Runnable r) {
        run.ports.threads().run(r);
    }

    /** Applies a decision once: approved tasks queue with their group, a rejected one fails. */
    void decide(TaskRun t, Decision d) {
        Open o;
        synchronized (run) {
            o = open.remove(t);
            if (o == null || t.state() != TaskState.WAITING) return;
            run.decideGate(t, d);
            PipeGroup g = o.group();
            if (d.verdict() == Decision.Verdict.APPROVED) {
                if (--g.gates == 0 && g.toRun.stream().allMatch(m -> m.state() == TaskState.WAITING
                        || m.state() == TaskState.PENDING)) {
                    run.scheduler().release(g);
                }
            } else {
                String why = "rejected" + (d.by() == null ? "" : " by " + d.by()) + (d.comment().isEmpty() ? "" : ": " + d.comment());
                run.finish(t, new Outcome.Failed(null, why));
                for (TaskRun m : g.toRun) {
                    if (!m.state().isFinal()) run.finish(m, new Outcome.Cancelled("task '" + t.name() + "' of its pipe was rejected"));
                    Open other = open.remove(m);
                    if (other != null) cancel(other);
                }
            }
        }
        cancel(o);
        run.scheduler().afterChange();
    }

    /** The run stops: every gate still open stops waiting (its task was cancelled under the lock). */
    void stopAll() {
        List<Open> all;
        synchronized (run) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(ApprovalGates::cancel);
    }

    private static void cancel(Open o) {
        if (o.asked() != null) o.asked().cancel(true);
        if (o.timer() != null) o.timer().cancel(false);
    }
}

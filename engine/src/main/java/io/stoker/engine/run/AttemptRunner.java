package io.stoker.engine.run;

import io.stoker.model.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Runs a decided pipe group: a lone task attempt by attempt with its retries, its steps segment by segment (shell
 * segments as processes, trigger steps through {@link TriggerSteps}, image steps through {@link ImageStepRunner}); a pipe's members all at once, writers'
 * stdout pumped into readers' stdin, with pipefail. A reused group is ended with its earlier results instead.
 */
final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final RunExecution run;
    private final RunArtifacts artifacts;
    private final TriggerSteps triggers;
    private final ImageStepRunner images;

    AttemptRunner(RunExecution run, RunArtifacts artifacts) {
        this.run = run;
        this.artifacts = artifacts;
        this.triggers = new TriggerSteps(run);
        this.images = new ImageStepRunner(run);
    }

    /** Runs the group's tasks to their end; an engine error fails those it left unfinished. */
    void run(PipeGroup g) {
        try {
            if (g.toRun.size() == 1) runAlone(g.toRun.getFirst(), g);
            else runPipe(g);
        } catch (Throwable e) {
            LOG.error("run {}: engine error in group {}", run.key(), g.toRun.stream().map(TaskRun::name).toList(), e);
            for (TaskRun t : g.toRun) run.finish(t, new Outcome.Failed(null, "engine error: " + e));
        }
    }

    /** Ends every member with its earlier result: outputs and artifacts as recorded, nothing executed. */
    void reuse(PipeGroup g) {
        for (TaskRun t : g.members) {
            if (t.state().isFinal()) continue; // kept at its resumed run's start, or cancelled meanwhile
            ReusedTask earlier = run.request.reused().get(t.name());
            keep(t, earlier, artifacts.stageReused(t, earlier));
        }
    }

    /**
     * Ends the task with its earlier result, its artifact zip {@code staged} (null for none); a task of its own run
     * resumed after a restart keeps its attempts, times and gate. Nothing when it ended meanwhile (cancelled).
     */
    void keep(TaskRun t, ReusedTask earlier, String staged) {
        boolean resumed = earlier.resumed() != null; // its own run, resumed after a restart
        synchronized (run) {
            if (t.state().isFinal()) return;
            t.outputs(earlier.outputs());
            t.artifacts(staged);
            if (resumed) {
                t.ranBefore(earlier.resumed().attempts(), earlier.resumed().startedAt(), earlier.resumed().endedAt());
                var gate = run.request.resumed().gates().get(t.name());
                if (gate != null) t.gate(gate); // its decision stays on record
            }
            String restored = artifacts.restored(t.name());
            run.finish(t, earlier.outcome(), (resumed ? "ended before the server restarted: the run resumed and "
                    + "keeps its outputs and artifacts" : "reused the outputs and artifacts of run " + earlier.fromRun())
                    + (restored.isEmpty() ? "" : " (" + restored + ")"));
        }
    }

    private void runAlone(TaskRun t, PipeGroup g) throws InterruptedException {
        int max = t.task.retry() + 1;
        Outcome outcome = null;
        for (int attempt = 1; attempt <= max; attempt++) {
            outcome = runAttempt(t, g, attempt, max);
            if (outcome instanceof Outcome.Succeeded || run.stopping()
                    || !(outcome instanceof Outcome.Failed || outcome instanceof Outcome.TimedOut)) break;
            if (attempt < max) {
                run.note(t, "attempt " + attempt + " of " + max + " " + outcome.state().label() + " ("
                        + outcome.reason() + "); trying again");
            }
        }
        run.finish(t, outcome);
    }

    /**
     * One attempt of a task outside a pipe: its step segments in order, each shell segment one process, each
     * trigger step a call of the job trigger port. The first segment that does not succeed ends the attempt.
     * The task's time limit covers the whole attempt; outputs of every segment are kept.
     */
    private Outcome runAttempt(TaskRun t, PipeGroup g, int attempt, int max) throws InterruptedException {
        Outcome refused = run.enterAttempt(t, attempt, max);
        if (refused != null) return refused;
        if (attempt == 1) run.caches.restore(t);
        Deadline deadline = Deadline.forAttempt(t.task);
        List<StepSegment> segments = StepSegment.of(t.task.steps());
        StepSegment lastShell = segments.stream().filter(s -> s instanceof StepSegment.Shell).reduce((a, b) -> b)
                .orElse(null);
        Map<String, String> outputs = new LinkedHashMap<>();
        t.outputs(Map.of());
        if (attempt > 1) artifacts.discard(t);
        t.tests(null); // a retried attempt's reports are its own, or none
        Outcome outcome = new Outcome.Succeeded();
        for (StepSegment segment : segments) {
            synchronized (run) {
                if (run.stopping()) {
                    outcome = t.killedAs() != null ? t.killedAs() : run.stopOutcome();
                    break;
                }
            }
            if (!(segment instanceof StepSegment.Trigger)) {
                Outcome noSlot = takeSlotAgain(t, g, deadline);
                if (noSlot != null) {
                    outcome = noSlot;
                    break;
                }
            }
            // a process's attempt is told once its executor took it; a trigger or image step is the attempt running
            if (!(segment instanceof StepSegment.Shell)) run.tell(t);
            switch (segment) {
                case StepSegment.Shell shell -> {
                    ProcessAttempt a = ProcessAttempt.start(run, t, g, attempt, false, shell.steps(), deadline);
                    if (a.ended() == null) {
                        a.pumpStdout(List.of());
                        outcome = a.await(artifacts, segment == lastShell, attempt == max);
                    } else {
                        outcome = a.ended();
                    }
                    outputs.putAll(t.outputs());
                    t.outputs(outputs);
                }
                case StepSegment.Trigger trigger -> outcome = triggers.run(t, g, trigger.step(), deadline);
                case StepSegment.Image image -> outcome = images.run(t, g, image.step(), deadline);
            }
            if (!(outcome instanceof Outcome.Succeeded)) break;
        }
        if (outcome instanceof Outcome.Succeeded && lastShell == null && !t.task.artifacts().isEmpty()) {
            run.note(t, "no sh step ran, so no artifacts are collected");
        }
        return outcome;
    }

    /**
     * After a trigger step that waited (and gave its slot back), a process runs only once the task has a slot again.
     * Null once it has one; else how the wait ended (a cancel, the job's or the task's time limit).
     */
    private Outcome takeSlotAgain(TaskRun t, PipeGroup g, Deadline deadline) throws InterruptedException {
        var granted = run.scheduler().takeAgain(g, t);
        if (granted.isDone() && !granted.isCancelled()) return null;
        run.note(t, "waiting for a free slot");
        try {
            StepWait.waitFor(run, t, granted, deadline, " while waiting for a free slot");
            return null;
        } catch (java.util.concurrent.CancellationException e) {
            return StepWait.stopped(run, t, "stopped waiting for a free slot");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a slot's grant cannot fail", e.getCause());
        }
    }

    /** A pipe's members start together, one attempt each; a reader fails with its writer (pipefail). */
    private void runPipe(PipeGroup g) throws InterruptedException {
        Map<String, ProcessAttempt> attempts = new LinkedHashMap<>();
        for (TaskRun t : g.toRun) attempts.put(t.name(), startPipeMember(t, g));
        if (attempts.values().stream().anyMatch(a -> a.ended() != null)) {
            // one member could not start: a pipe with a missing end makes no sense, stop the rest; when the run is
            // being stopped, that is why, and the rest end as the run does (cancelled), not as failed
            Outcome instead;
            synchronized (run) {
                instead = run.stopping() ? run.stopOutcome()
                        : new Outcome.Failed(null, "another task of its pipe could not start");
            }
            for (ProcessAttempt a : attempts.values()) {
                if (a.ended() == null) a.kill(instead);
            }
        }
        for (ProcessAttempt a : attempts.values()) {
            if (a.ended() != null) continue;
            List<OutputStream> readers = new ArrayList<>();
            for (String r : run.graph.readers(a.task().name())) {
                ProcessAttempt ra = attempts.get(r);
                if (ra != null && ra.ended() == null) readers.add(ra.stdin());
            }
            a.pumpStdout(readers);
        }
        // each member ends when its own process and streams do, in whatever order they end (a writer that printed
        // a line and exited is not dated at its reader's end, a reader that failed not at its writer's)
        Map<String, CompletableFuture<Outcome>> ends = new HashMap<>();
        for (String name : attempts.keySet()) ends.put(name, new CompletableFuture<>());
        List<Future<?>> members = new ArrayList<>();
        for (ProcessAttempt a : attempts.values()) members.add(run.ports.threads().submit(() -> endMember(a, ends)));
        for (Future<?> m : members) {
            try {
                m.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a pipe member's end cannot fail", e.getCause()); // endMember catches all
            }
        }
    }

    /**
     * Awaits one member of a pipe and finishes it. A reader that failed or timed out ends at once, with its own
     * outcome; one that succeeded ends once its writer has, and fails when its writer did not succeed (pipefail).
     */
    private void endMember(ProcessAttempt a, Map<String, CompletableFuture<Outcome>> ends) {
        TaskRun t = a.task();
        Outcome o;
        try {
            o = a.ended() != null ? a.ended() : a.await(artifacts, true, true);
            String input = t.task.input();
            CompletableFuture<Outcome> writerEnd = input == null ? null : ends.get(input);
            if (writerEnd != null && o instanceof Outcome.Succeeded) {
                Outcome writer = writerEnd.get();
                if (!(writer instanceof Outcome.Succeeded)) {
                    String why = "pipe writer '" + input + "' " + writer.state().label() + " (" + writer.reason() + ")";
                    run.note(t, why + ": this reader fails too (pipefail)");
                    o = new Outcome.Failed(o.exitCode(), why);
                }
            }
        } catch (Throwable e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.error("run {}: engine error in pipe member {}", run.key(), t.name(), e);
            o = new Outcome.Failed(null, "engine error: " + e);
        }
        run.finish(t, o);
        // its readers wait for this: they learn the outcome it really ended with (a cancel may have come first)
        ends.get(t.name()).complete(t.outcome() != null ? t.outcome() : o);
    }

    /** A pipe member's attempt: all its steps in one process (trigger steps are refused by validation). */
    private ProcessAttempt startPipeMember(TaskRun t, PipeGroup g) {
        Outcome refused = run.enterAttempt(t, 1, 1);
        if (refused != null) return ProcessAttempt.ended(t, refused);
        run.caches.restore(t);
        if (t.task.steps().stream().anyMatch(s -> !(s instanceof Step.Sh))) {
            run.note(t, "a trigger or image step cannot run in a task joined by input");
            return ProcessAttempt.ended(t, new Outcome.Failed(null, "trigger step in a pipe"));
        }
        List<Step.Sh> steps = t.task.steps().stream().map(s -> (Step.Sh) s).toList();
        return ProcessAttempt.start(run, t, g, 1, t.task.input() != null, steps, Deadline.forAttempt(t.task));
    }
}

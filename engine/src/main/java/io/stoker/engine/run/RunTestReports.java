package io.stoker.engine.run;

import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.tests.TestReports;

/**
 * A run's test reports: a task's JUnit XML files are read when its attempt ends, succeeded or failed (reports matter
 * most when tests fail), each attempt's replacing the one before; what they say goes into the run record and a line
 * of the task's log.
 */
final class RunTestReports {
    private final RunExecution run;

    RunTestReports(RunExecution run) {
        this.run = run;
    }

    /**
     * Whether a process that ended as {@code outcome} has its task's reports read: a success when it is the attempt's
     * last process, a failure or the task's own time limit (a suite that hung wrote reports for what ran) since no
     * later process of the attempt runs. Not while the run stops (a cancel, the job's time limit), and not when the
     * executor gave up on the attempt (its files maybe not brought back).
     */
    boolean due(TaskRun t, Outcome outcome, boolean gaveUp, boolean lastProcess) {
        if (t.task.testReports().isEmpty() || gaveUp) return false;
        return switch (outcome) {
            case Outcome.Succeeded s -> lastProcess;
            case Outcome.Failed f -> !run.stopping();
            case Outcome.TimedOut o -> !run.stopping();
            default -> false;
        };
    }

    /**
     * Reads the reports into the task; a cancel, the job's timeout or the attempt's {@code deadline} stops the
     * reading (with {@link RunArtifacts#AFTER_TIMEOUT} more after the task's own). Never changes how the task ended.
     */
    void read(TaskRun t, RunningTask process, Outcome outcome, Deadline deadline) {
        Deadline bound = outcome instanceof Outcome.TimedOut ? Deadline.after(RunArtifacts.AFTER_TIMEOUT) : deadline;
        TestReports.Read read = TestReports.read(process, t.task.testReports(), () -> run.stopping() || bound.passed());
        read.notes().forEach(n -> run.note(t, n));
        t.tests(read.summary());
    }
}

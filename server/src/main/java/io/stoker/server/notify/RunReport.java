package io.stoker.server.notify;

import io.stoker.engine.run.RunState;
import io.stoker.model.NotifyEvent;

import java.time.Duration;
import java.util.List;

/**
 * What a notification says about a run, already masked: every receiver kind renders this one record.
 *
 * @param duration   from start (or queueing) to the end, or to now for a run still going
 * @param failedTask the first task that failed or timed out, or null
 * @param lastLines  up to {@link RunReports#LINES} last lines of that task's log
 * @param url        the run page
 * @param waiting    the approval gate a {@code waiting} message is about, else null
 */
public record RunReport(String project, String job, long number, String key, String branch, NotifyEvent event,
                        RunState status, Duration duration, String failedTask, List<String> lastLines, String url,
                        Waiting waiting) {
    public RunReport {
        lastLines = List.copyOf(lastLines);
    }

    /**
     * A gate the run waits at: its task, question, who may decide (empty: the job's developers) and when it rejects
     * on its own. A run with two gates sends two messages, and each must say which gate it is about.
     */
    public record Waiting(String task, String question, List<String> approvers, java.time.Instant deadline) {
        public Waiting {
            approvers = List.copyOf(approvers);
        }
    }

    /** {@code app/build #12 failed}: the subject line and title. */
    public String headline() {
        String what = switch (event) {
            case STARTED -> "started";
            case SUCCEEDED -> "succeeded";
            case FAILED -> status == RunState.TIMEDOUT ? "timed out" : "failed";
            case FIXED -> "is fixed";
            case CANCELLED -> "was cancelled";
            case WAITING -> waiting == null ? "waits for approval" : "waits for approval of " + waiting.task();
        };
        return project + "/" + job + " #" + number + " " + what;
    }

    /** The plain-text body: status line, failed task and its last lines, link. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(headline());
        if (status.isFinal()) b.append(" after ").append(human(duration));
        if (branch != null) b.append(" (branch ").append(branch).append(')');
        b.append('\n');
        b.append("Status: ").append(status.label()).append('\n');
        if (waiting != null) {
            b.append("Question: ").append(waiting.question()).append('\n');
            if (!waiting.approvers().isEmpty()) b.append("Approvers: ").append(String.join(", ", waiting.approvers())).append('\n');
            b.append("Decide by: ").append(waiting.deadline()).append(" (then it is rejected)\n");
        }
        if (failedTask != null) {
            b.append("Failed task: ").append(failedTask).append('\n');
            if (!lastLines.isEmpty()) {
                b.append("\nLast ").append(lastLines.size()).append(" log lines of ").append(failedTask).append(":\n");
                lastLines.forEach(l -> b.append("  ").append(l).append('\n'));
                b.append('\n');
            }
        }
        b.append("Run: ").append(url).append('\n');
        return b.toString();
    }

    /** As the engine writes durations ({@code 1.5s}, {@code 2m3s}, {@code 1h2m3s}), so a message reads like the log. */
    static String human(Duration d) {
        return io.stoker.engine.run.DurationText.of(d);
    }
}

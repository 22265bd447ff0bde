package io.stoker.server.notify;

import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.log.LogFormat;
import io.stoker.engine.log.SecretMask;
import io.stoker.model.NotifyEvent;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.TaskRow;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the {@link RunReport} of a run: its failed task's last log lines read from the end of the log file (the
 * engine masked them when it wrote them) and every text masked again with the run's secret values, so a value that
 * reached a reason or a task name does not leave either.
 */
public final class RunReports {
    /** How many log lines of the failed task a message shows. */
    public static final int LINES = 20;
    private static final int TAIL_BYTES = 64 * 1024;
    private static final int MAX_LINE = 500;

    private final FileLogStore logs;
    private final Supplier<String> baseUrl;
    private final Clock clock;

    public RunReports(FileLogStore logs, Supplier<String> baseUrl, Clock clock) {
        this.logs = logs;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /**
     * What a message tells of a run: names masked with {@code mask}, and the failed task's last lines unless
     * {@code withLog} is false (the run's secrets could not be read to check them); {@code waiting} the gate a
     * {@code waiting} message is about, else null.
     */
    public RunReport report(RunRow run, NotifyEvent event, SecretMask mask, boolean withLog, RunReport.Waiting waiting) {
        TaskRow failed = run.tasks().stream()
                .filter(t -> t.status().isFailure() && !t.allowedFailure()).findFirst().orElse(null);
        List<String> lines = failed == null || !withLog ? List.of() : tail(logs.file(run.key(), failed.name())).stream().map(mask::apply).toList();
        Instant from = run.startedAt() != null ? run.startedAt() : run.createdAt();
        Instant to = run.finishedAt() != null ? run.finishedAt() : clock.instant();
        return new RunReport(mask.apply(run.project()), mask.apply(run.job()), run.number(), run.key(),
                run.branch() == null ? null : mask.apply(run.branch()), event, run.status(), Duration.between(from, to),
                failed == null ? null : mask.apply(failed.name()), lines, baseUrl.get() + "/#/runs/" + run.key(),
                waiting == null ? null : new RunReport.Waiting(mask.apply(waiting.task()), mask.apply(waiting.question()),
                        waiting.approvers().stream().map(mask::apply).toList(), waiting.deadline()));
    }

    /** The last {@link #LINES} lines' text (without time and stream), each cut at {@value #MAX_LINE} characters. */
    static List<String> tail(Path file) {
        if (!Files.isRegularFile(file)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
            int first = start > 0 ? 1 : 0; // the first piece may be a cut line
            List<String> out = new ArrayList<>();
            for (int i = Math.max(first, all.length - LINES); i < all.length; i++) {
                String text = LogFormat.parse(all[i]).text();
                out.add(text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + "…" : text);
            }
            return out;
        } catch (IOException e) {
            return List.of("(the log could not be read: " + e.getMessage() + ")");
        }
    }
}

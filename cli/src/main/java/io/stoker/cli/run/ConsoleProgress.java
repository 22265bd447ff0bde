package io.stoker.cli.run;

import io.stoker.engine.log.LogFeed;
import io.stoker.engine.log.LogFollower;
import io.stoker.engine.log.LogLine;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.run.Outcome;
import io.stoker.engine.run.RunListener;
import io.stoker.engine.run.TaskEvent;
import io.stoker.engine.run.TaskState;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Live progress of a local run on the console: a line when a task starts and ends, and every log line of every
 * task prefixed with its name ({@code build | …}). Engine events are handed to one console thread, so the engine
 * never waits for the terminal.
 */
public final class ConsoleProgress implements RunListener, AutoCloseable {
    private final PrintWriter out;
    private final LogFeed feed;
    private final String runKey;
    private final boolean showOutput;
    private final boolean color;
    private final int width;
    private final ExecutorService console = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-console");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private final Map<String, LogFeed.Subscription> followed = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> ends = new ConcurrentHashMap<>();
    /** Task → done once its start was shown. */
    private final Map<String, CountDownLatch> shown = new ConcurrentHashMap<>();

    public ConsoleProgress(PrintWriter out, LogFeed feed, String runKey, List<String> tasks, boolean showOutput,
                           boolean color) {
        this.out = out;
        this.feed = feed;
        this.runKey = runKey;
        this.showOutput = showOutput;
        this.color = color;
        this.width = Math.min(32, tasks.stream().mapToInt(String::length).max().orElse(4));
    }

    @Override
    public void taskChanged(TaskEvent event) {
        console.execute(() -> show(event));
    }

    private void show(TaskEvent e) {
        String name = pad(e.task());
        switch (e.state()) {
            case RUNNING -> {
                started.putIfAbsent(e.task(), e.time());
                // a retry's event comes with the run's next save, after the new attempt's first lines: with the output
                // shown, the log's own "[stoker] attempt N of M" line says it in its place
                if (e.attempt() > 1) {
                    if (!showOutput) print(paint("33", "↻ ") + name + " attempt " + e.attempt());
                } else {
                    print(paint("36", "▶ ") + name + " started");
                }
                follow(e.task());
                shown(e.task()).countDown();
            }
            case SUCCEEDED, FAILED, TIMEDOUT, CANCELLED -> {
                awaitLog(e.task());
                ended(e);
            }
            case SKIPPED -> print(paint("90", "⊘ ") + name + " skipped" + detail(e.outcome()));
            default -> {
            }
        }
    }

    private void ended(TaskEvent e) {
        String name = pad(e.task());
        switch (e.state()) {
            case SUCCEEDED -> print(paint("32", "✔ ") + name + " succeeded" + took(e));
            // an allowed failure in yellow, as a warning: the run goes on as after a success
            case FAILED, TIMEDOUT -> print(paint(e.allowedFailure() ? "33" : "31", "✘ ") + name + " " + e.state().label()
                    + detail(e.outcome()) + (e.allowedFailure() ? " (allowed to fail)" : "") + took(e));
            default -> print(paint("33", "■ ") + name + " cancelled" + detail(e.outcome()));
        }
    }

    /** Waits (at most {@code limit}) until the start of {@code task} was shown, so what it started shows after it. */
    public void awaitShown(String task, long limit, TimeUnit unit) {
        try {
            shown(task).await(limit, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CountDownLatch shown(String task) {
        return shown.computeIfAbsent(task, t -> new CountDownLatch(1));
    }

    /** A task's last lines come before its end line: wait (bounded) until its log delivered them. */
    private void awaitLog(String task) {
        CountDownLatch end = ends.get(task);
        if (end == null) return;
        try {
            end.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(String task) {
        if (!showOutput || followed.containsKey(task)) return;
        CountDownLatch end = new CountDownLatch(1);
        ends.put(task, end);
        String prefix = pad(task) + paint("90", " │ ");
        followed.put(task, feed.follow(runKey, task, new LogFollower() {
            @Override
            public void line(LogLine line) {
                String text = line.stream() == LogStream.SYSTEM ? paint("90", "[stoker] " + line.text())
                        : line.stream() == LogStream.ERR ? paint("33", line.text()) : line.text();
                print(prefix + text);
            }

            @Override
            public void end() {
                end.countDown();
            }
        }));
    }

    /** Waits (bounded) until every followed log delivered its last line, then stops following. */
    @Override
    public void close() {
        console.shutdown();
        try {
            console.awaitTermination(5, TimeUnit.SECONDS);
            List<CountDownLatch> all = List.copyOf(ends.values());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (CountDownLatch end : all) {
                end.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        followed.values().forEach(LogFeed.Subscription::close);
        out.flush();
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private String took(TaskEvent e) {
        Instant from = started.get(e.task());
        if (from == null) return "";
        Duration d = Duration.between(from, e.time());
        return paint("90", " in " + io.stoker.engine.run.DurationText.of(d));
    }

    private static String detail(Outcome outcome) {
        if (outcome == null) return "";
        // a failed task whose process exited 0 failed for a reason of its own (its pipe writer failed, its artifacts
        // could not be kept): "failed: pipe writer 'w' failed (exit code 3)", not "failed (exit 0): …"
        boolean exitSays = outcome.state() == TaskState.FAILED && outcome.exitCode() != null && outcome.exitCode() != 0;
        String code = exitSays ? " (exit " + outcome.exitCode() + ")" : "";
        String said = outcome.reason() == null ? "" : outcome.reason().strip();
        // "failed (exit 3)", not "failed (exit 3): exit code 3"; "cancelled", not "cancelled: cancelled"
        boolean repeats = said.isEmpty() || said.equals(outcome.state().label()) || said.equals("cancelled")
                || (!code.isEmpty() && said.equals("exit code " + outcome.exitCode()));
        return code + (repeats ? "" : ": " + said);
    }

    private String pad(String task) {
        return task.length() >= width ? task : task + " ".repeat(width - task.length());
    }

    private String paint(String ansi, String text) {
        return color ? "\u001b[" + ansi + "m" + text + "\u001b[0m" : text;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code stoker logs}: a run's or a task's log, whole or followed live. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a run's log, or one task's log.",
                "A run's log has every task's lines, prefixed with [task]. With -f, keep streaming new lines until "
                        + "the run (or the task) ends.",
                "A matrix task's name (test) shows each of its cells' logs in turn, under a line ==> test[os=linux] <== "
                        + "(and on stderr why a cell that ended without running has none); one cell is named test[os=linux]."},
        footer = {"", "Exit codes: 0 done (with -f: the run, or the task, succeeded or was skipped), 1 with -f: it (or a cell of a matrix task) failed,"
                + " timed out or was cancelled; also without -f: it (or a cell) ended so without running (why is said on stderr), 2 refused by the server (unknown run or task) or bad usage, 3 the server"
                + " cannot be reached (with -f: not again within $STOKER_RECONNECT_WITHIN) or failed."})
public final class LogsCommand extends RemoteCommand {
    /** A followed task that ended so makes the exit code 1. */
    private static final java.util.Set<String> FAILED = java.util.Set.of("failed", "timedout", "cancelled");

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Parameters(index = "1", paramLabel = "TASK", arity = "0..1", description = "only this task's log")
    String task;

    @Option(names = {"-f", "--follow"}, description = "stream new lines live until the task or run ends. "
            + FollowStop.HELP + " " + Reconnect.HELP)
    boolean follow;

    @Option(names = "--raw", description = "show lines as stored: time, stream (out, err, system) and text")
    boolean raw;

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        // read once: which cells a matrix task has, and why a task or run that never ran ended
        JsonNode run = client.get("/runs/" + StokerClient.segment(key));
        List<String> cells = task == null ? List.of() : cells(run.path("tasks"));
        if (!cells.isEmpty()) return cells(client, run, cells);
        // the server sends tasks that have already ended whole and in the job's order, then follows the rest live
        if (!follow) {
            RunLog.print(client, key, task, raw, out());
            boolean said = task == null ? saidNotRun("run " + key, run, anyRan(run))
                    : saidTaskNotRun(task, run.path("tasks").path(task));
            return said ? ExitCode.RUN_FAILED : ExitCode.OK;
        }
        // as 'trigger --follow': the outcome ends it and is the exit code, so a script can wait on either
        if (task == null) return RunLog.followToEnd(client, key, raw, out(), err());
        Reconnect reconnect = Reconnect.of(client, err());
        var ended = FollowStop.announcedRun(client, key, reconnect, err(), () -> {
            RunLog.follow(client, key, task, raw, out(), reconnect);
            // the task's end, not the run's: later tasks may run on for long after it
            return RunLog.awaitTask(client, key, task, reconnect);
        });
        saidTaskNotRun(task, ended);
        return FAILED.contains(ended.path("status").asText()) ? ExitCode.RUN_FAILED : ExitCode.OK;
    }

    /**
     * Says on stderr why {@code ended} (a task, or the run) ended without running, as its empty log cannot (a secret
     * its project cannot read, the run cancelled before it); false when it ran, or did not end so.
     */
    private boolean saidNotRun(String what, JsonNode ended, boolean ran) {
        String status = ended.path("status").asText();
        if (ran || !FAILED.contains(status)) return false;
        err().println("stoker: " + what + " did not run: "
                + RunLog.statusWithReason(status, ended.path("reason").asText(null)));
        return true;
    }

    /** {@link #saidNotRun} of a task (or a matrix task's cell) as the run shows it. */
    private boolean saidTaskNotRun(String name, JsonNode ended) {
        return saidNotRun("task " + name + " of run " + key, ended, ended.path("attempts").asInt() > 0);
    }

    /** Whether any task of {@code run} started (a run that could not start has none). */
    private static boolean anyRan(JsonNode run) {
        for (JsonNode t : run.path("tasks")) if (t.path("attempts").asInt() > 0) return true;
        return false;
    }

    /** The cells of the matrix task named {@code task}, in the run's order; empty when it names a task (or nothing). */
    private List<String> cells(JsonNode tasks) {
        if (tasks.has(task)) return List.of();
        List<String> out = new java.util.ArrayList<>();
        tasks.fieldNames().forEachRemaining(t -> {
            if (t.startsWith(task + "[") && t.endsWith("]")) out.add(t);
        });
        return out;
    }

    /**
     * Each cell's log after the other under its name (with -f each followed to its end), and on stderr why a cell
     * that ended without running has none, as for a task; 1 if one did not run (with -f: did not succeed).
     */
    private int cells(StokerClient client, JsonNode run, List<String> cells) {
        if (!follow) {
            boolean notRun = false;
            for (String cell : cells) {
                out().println("==> " + cell + " <==");
                RunLog.print(client, key, cell, raw, out());
                notRun |= saidTaskNotRun(cell, run.path("tasks").path(cell));
            }
            return notRun ? ExitCode.RUN_FAILED : ExitCode.OK;
        }
        Reconnect reconnect = Reconnect.of(client, err());
        boolean failed = FollowStop.announcedRun(client, key, reconnect, err(), () -> {
            boolean any = false;
            for (String cell : cells) {
                out().println("==> " + cell + " <==");
                RunLog.follow(client, key, cell, raw, out(), reconnect);
                JsonNode ended = RunLog.awaitTask(client, key, cell, reconnect);
                saidTaskNotRun(cell, ended);
                any |= FAILED.contains(ended.path("status").asText());
            }
            return any;
        });
        return failed ? ExitCode.RUN_FAILED : ExitCode.OK;
    }
}

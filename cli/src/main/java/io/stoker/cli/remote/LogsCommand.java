package io.stoker.cli.remote;

import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code stoker logs}: a run's or a task's log, whole or followed live. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a run's log, or one task's log.",
                "A run's log has every task's lines, prefixed with [task]. With -f, keep streaming new lines until "
                        + "the run (or the task) ends."},
        footer = {"", "Exit codes: 0 done (with -f: the run, or the task, succeeded or was skipped), 1 with -f: it failed,"
                + " timed out or was cancelled, 2 refused by the server (unknown run or task) or bad usage, 3 the server"
                + " cannot be reached or failed."})
public final class LogsCommand extends RemoteCommand {
    /** A followed task that ended so makes the exit code 1. */
    private static final java.util.Set<String> FAILED = java.util.Set.of("failed", "timedout", "cancelled");

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Parameters(index = "1", paramLabel = "TASK", arity = "0..1", description = "only this task's log")
    String task;

    @Option(names = {"-f", "--follow"}, description = "stream new lines live until the task or run ends. "
            + FollowStop.HELP)
    boolean follow;

    @Option(names = "--raw", description = "show lines as stored: time, stream (out, err, system) and text")
    boolean raw;

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        // the server sends tasks that have already ended whole and in the job's order, then follows the rest live
        if (!follow) {
            RunLog.print(client, key, task, raw, out());
            return ExitCode.OK;
        }
        // as 'trigger --follow': the outcome ends it and is the exit code, so a script can wait on either
        if (task == null) return RunLog.followToEnd(client, key, raw, out(), err());
        String ended = FollowStop.announcedRun(client, key, err(), () -> {
            RunLog.follow(client, key, task, raw, out());
            // the task's end, not the run's: later tasks may run on for long after it
            return RunLog.awaitTaskEnd(client, key, task);
        });
        return FAILED.contains(ended) ? ExitCode.RUN_FAILED : ExitCode.OK;
    }
}

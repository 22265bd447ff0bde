package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code stoker logs}: a run's or a task's log, whole or followed live. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a run's log, or one task's log.",
                "A run's log has every task's lines, prefixed with [task]. With -f, keep streaming new lines until "
                        + "the run (or the task) ends."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class LogsCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Parameters(index = "1", paramLabel = "TASK", arity = "0..1", description = "only this task's log")
    String task;

    @Option(names = {"-f", "--follow"}, description = "stream new lines live until the task or run ends")
    boolean follow;

    @Option(names = "--raw", description = "show lines as stored: time, stream (out, err, system) and text")
    boolean raw;

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        // the server sends tasks that have already ended whole and in the job's order, then follows the rest live
        if (follow) RunLog.follow(client, key, task, raw, out());
        else RunLog.print(client, key, task, raw, out());
        return 0;
    }
}

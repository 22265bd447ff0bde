package io.stoker.cli.remote;

import io.stoker.cli.ExitCode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The options of the commands that start a run ({@code trigger}, {@code rerun}): {@code --queue}, {@code --follow}, {@code --raw}. */
public final class RunStartOptions {

    @Option(names = "--queue",
            description = "queue the run when the job allows only so many runs at once and they are going (else refused as busy)")
    boolean queue;

    @Option(names = {"-f", "--follow"}, description = "stream the run's log until it ends; exit with its outcome. "
            + FollowStop.HELP + " " + Reconnect.HELP)
    boolean follow;

    @Option(names = "--raw", description = "with --follow: show log lines as stored, with time and stream")
    boolean raw;

    /** With {@code --follow}, streams the started run's log to its end and gives its exit code; else 0 at once. */
    int followIfAsked(StokerClient client, String key, PrintWriter out, PrintWriter err) {
        return follow ? RunLog.followToEnd(client, key, raw, out, err) : ExitCode.OK;
    }
}

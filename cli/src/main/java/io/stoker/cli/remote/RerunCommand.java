package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker rerun}: runs an earlier run again (its commit, parameters and Jobfile), whole or from one task on. */
@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = {"Run an earlier run again: the same commit, parameters and job as it had.",
                "With --from TASK, the tasks upstream of TASK keep the earlier run's results (outputs and artifacts) "
                        + "and only TASK and what follows it run again."},
        footer = {"", "Examples:",
                "  stoker rerun shop/build#12",
                "  stoker rerun shop/build#12 --from deploy --follow",
                "",
                "Exit codes: 0 queued (with --follow: the run succeeded), 1 with --follow: the run did not succeed, "
                        + "2 refused (unknown run or task, a busy job without --queue) or bad usage, 3 the server "
                        + "cannot be reached or failed."})
public final class RerunCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String run;

    @Option(names = "--from", paramLabel = "TASK", description = "run again from this task on")
    String from;

    @Option(names = "--queue",
            description = "queue the run when the job allows only so many runs at once and they are going (else refused as busy)")
    boolean queue;

    @Option(names = {"-f", "--follow"}, description = "stream the new run's log until it ends; exit with its outcome")
    boolean follow;

    @Option(names = "--raw", description = "with --follow: show log lines as stored, with time and stream")
    boolean raw;

    @Override
    int call(StokerClient client) {
        String key = RunRef.key(client, run);
        StringBuilder path = new StringBuilder("/runs/" + StokerClient.segment(key) + "/rerun");
        if (from != null) path.append("?from=").append(StokerClient.segment(from));
        if (queue) path.append(from != null ? "&" : "?").append("queue=true");
        JsonNode queued = client.post(path.toString(), StokerClient.map());
        String newKey = queued.path("key").asText();
        out().println("run " + newKey + " (#" + queued.path("number").asText() + ") reruns " + run
                + (from == null ? "" : " from " + from) + ": " + queued.path("status").asText());
        out().flush();
        if (!follow) return ExitCode.OK;
        return RunLog.followToEnd(client, newKey, raw, out());
    }
}

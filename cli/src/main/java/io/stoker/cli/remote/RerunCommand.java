package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker rerun}: runs an earlier run again (its commit, parameters and Jobfile), whole or from one task on. */
@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = {"Run an earlier run again: the same commit, parameters and job as it had.",
                "With --from TASK, only TASK and the tasks after it (those that need it, directly or not) run "
                        + "again. The tasks upstream of TASK that succeeded keep the earlier run's results (their "
                        + "outputs, and their artifacts unpacked into the workspace; not other files they left there), "
                        + "and so do the tasks beside it, as they ended (a failed one stays failed), unless they need "
                        + "a task that runs again. A matrix task's name (test) starts from all its cells; one cell is "
                        + "named test[os=linux]."},
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

    @Mixin
    RunStartOptions start;

    @Override
    int call(StokerClient client) {
        String key = RunRef.key(client, run);
        StringBuilder path = new StringBuilder("/runs/" + StokerClient.segment(key) + "/rerun");
        if (from != null) path.append("?from=").append(StokerClient.segment(from));
        if (start.queue) path.append(from != null ? "&" : "?").append("queue=true");
        JsonNode queued = client.post(path.toString(), StokerClient.map(), refused ->
                "busy".equals(refused.error())
                        ? refused.withoutDetails().toCli("the job of " + run + " is busy: " + TriggerCommand.busy(refused)
                        + "; use --queue to queue this rerun")
                        : client.refused(refused));
        String newKey = queued.path("key").asText();
        out().println("run " + newKey + " (#" + queued.path("number").asText() + ") reruns " + run
                + (from == null ? "" : " from " + from) + ": " + queued.path("status").asText());
        out().flush();
        return start.followIfAsked(client, newKey, out(), err());
    }
}

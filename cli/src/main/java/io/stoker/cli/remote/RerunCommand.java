package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code stoker rerun}: runs an earlier run again (its commit, parameters and Jobfile), whole, from one task on, or
 * its failed tasks.
 */
@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = {"Run an earlier run again: the same commit, parameters and job as it had.",
                "With --from TASK, only TASK and the tasks after it (those that need it, directly or not) run "
                        + "again. The tasks upstream of TASK that succeeded keep the earlier run's results (their "
                        + "outputs, and their artifacts unpacked into the workspace; not other files they left there), "
                        + "and so do the tasks beside it, as they ended (a failed one stays failed), unless they need "
                        + "a task that runs again. A matrix task's name (test) starts from all its cells; one cell is "
                        + "named test[os=linux].",
                "With --failed, the tasks that failed, timed out or were cancelled in the ended run run again, "
                        + "with the tasks after them; the others keep the earlier run's results, as with --from."},
        footer = {"", "Examples:",
                "  stoker rerun shop/build#12",
                "  stoker rerun shop/build#12 --from deploy --follow",
                "  stoker rerun shop/build#12 --failed",
                "",
                "Exit codes: 0 queued (with --follow: the run succeeded), 1 with --follow: the run did not succeed, "
                        + "2 refused (unknown run or task, a busy job without --queue, --failed on a run that is still going "
                        + "or in which no task failed) or bad usage, 3 the server "
                        + "cannot be reached (with --follow: not again within $STOKER_RECONNECT_WITHIN) or failed."})
public final class RerunCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String run;

    @Option(names = "--from", paramLabel = "TASK", description = "run again from this task on")
    String from;

    @Option(names = "--failed", description = "run again the tasks that failed, timed out or were cancelled, and "
            + "those after them (not with --from)")
    boolean failed;

    @Mixin
    RunStartOptions start;

    @Override
    int call(StokerClient client) {
        if (failed && from != null) throw new ParameterException(spec.commandLine(),
                "--failed and --from name two different starts: give one of them");
        String key = RunRef.key(client, run);
        List<String> query = new ArrayList<>();
        if (from != null) query.add("from=" + StokerClient.segment(from));
        if (failed) query.add("failed=true");
        if (start.queue) query.add("queue=true");
        String path = "/runs/" + StokerClient.segment(key) + "/rerun" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        JsonNode queued = client.post(path, StokerClient.map(), refused ->
                "busy".equals(refused.error())
                        ? refused.withoutDetails().toCli("the job of " + run + " is busy: " + TriggerCommand.busy(refused)
                        + "; use --queue to queue this rerun")
                        : client.refused(refused));
        String newKey = queued.path("key").asText();
        out().println("run " + newKey + " (#" + queued.path("number").asText() + ") reruns " + run
                + (from == null ? "" : " from " + from) + (failed ? ", its failed tasks" : "") + ": "
                + queued.path("status").asText());
        out().flush();
        return start.followIfAsked(client, newKey, out(), err());
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker targets PROJECT}: what each deploy target of a project runs now, and how its latest attempt went. */
@Command(name = "targets", mixinStandardHelpOptions = true,
        description = {"Show what each deploy target of a project runs now: the version of its last good deployment, "
                + "since when (it was judged good), by whom, the run that deployed it (by its number, #3, a run of "
                + "job deploy-TARGET), and its latest attempt: good when that was it, or a later deployment running, "
                + "bad, cancelled or interrupted (its version, when and its run), or, when it runs an automatic "
                + "rollback, the deployment that failed or was cancelled and was rolled back. The Jobfile's targets "
                + "come first (never deployed ones too), then targets it no longer declares that have deployments."},
        footer = {"", "Examples:", "  stoker targets shop", "  stoker targets shop --json",
                "", "'stoker deployments PROJECT --to TARGET' lists a target's history; "
                + "'stoker logs PROJECT/deploy-TARGET#3' the log of its run #3.",
                "", RemoteCommand.EXIT_CODES})
public final class TargetsCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode reply = client.get("/projects/" + StokerClient.segment(project) + "/targets");
        if (json) {
            out().println(reply.toPrettyString());
            return 0;
        }
        Table t = new Table("TARGET", "VERSION", "SINCE", "BY", "RUN", "LATEST");
        for (JsonNode target : reply.path("targets")) {
            JsonNode current = target.path("current");
            t.row(target.path("target").asText() + (target.path("declared").asBoolean() ? "" : " (not in the Jobfile)"),
                    current.path("version").asText(null), InstantText.of(current.path("endedAt")), by(current),
                    current.isObject() ? DeploymentRunName.of(current) : null, latest(target));
        }
        if (t.isEmpty()) {
            out().println("project " + project + " has no deploy targets; declare one in its Jobfile: "
                    + "deploy('staging') { run '…' }");
        } else {
            t.print(out());
        }
        return 0;
    }

    /** Who deployed it, and how when not asked for as a plain deploy: {@code stoker (auto-rollback)}. */
    private static String by(JsonNode deployment) {
        if (deployment.isMissingNode() || deployment.isNull()) return null;
        String reason = deployment.path("reason").asText();
        return deployment.path("by").asText() + ("deploy".equals(reason) ? "" : " (" + reason + ")");
    }

    /**
     * The latest attempt in words: {@code good}, {@code never deployed}, {@code bad: 1.4.3 at … by bob, run #4}, and
     * {@code …, rolled back} for one an automatic rollback (what the target runs) undid.
     */
    private static String latest(JsonNode target) {
        String state = target.path("state").asText();
        JsonNode latest = target.path("latest");
        if (latest.isMissingNode() || latest.isNull()) return state.replace('-', ' ');
        boolean going = "running".equals(state);
        boolean rolledBack = target.path("rolledBack").asBoolean();
        return state + ": " + latest.path("version").asText() + (going ? " since " : " at ")
                + InstantText.of(going ? latest.path("startedAt") : latest.path("endedAt")) + " by " + by(latest)
                + ", run " + DeploymentRunName.of(latest) + (rolledBack ? ", rolled back" : "");
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;


/** {@code stoker project refresh}: makes the server read the project's Jobfile again. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Make the server read a project's Jobfile again.",
                "A git project's branch is fetched and its Jobfile compiled at the new commit; a freestyle project's "
                        + "stored Jobfile is recompiled."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ProjectRefreshCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String name;

    @Override
    int call(StokerClient client) {
        JsonNode p = client.post("/projects/" + StokerClient.segment(name) + "/refresh", null);
        String commit = ProjectListCommand.shortSha(p.path("commit").asText(null));
        out().println("refreshed project " + name + (commit == null ? "" : " at " + commit) + " with jobs: "
                + ProjectListCommand.jobs(p));
        return 0;
    }
}

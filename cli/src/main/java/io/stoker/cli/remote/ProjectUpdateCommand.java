package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code stoker project update}: gives an existing project a new Jobfile or repository; its runs stay. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Replace an existing project's source: a new local Jobfile's text, or another git repository or"
                + " branch.", "The project keeps its runs, secrets, members and webhook secret, and unless given its"
                + " branch and git credentials."},
        footer = {"", "Examples:",
                "  stoker project update nightly --jobfile ./Jobfile",
                "  stoker project update shop --git https://github.com/acme/shop.git \\",
                "      --branch release",
                "", "An invalid Jobfile is refused with its file:line:col diagnostics and the project is left as it was.",
                RemoteCommand.EXIT_CODES})
public final class ProjectUpdateCommand extends ProjectSourceCommand {

    @Override
    int call(StokerClient client) {
        JsonNode p = client.put("/projects/" + StokerClient.segment(name), body(), e -> client.refused(jobfileNamed(e)));
        out().println("updated project " + p.path("name").asText() + " (" + p.path("kind").asText() + ") with jobs: "
                + ProjectListCommand.jobs(p));
        return 0;
    }
}

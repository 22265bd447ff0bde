package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;

/** {@code stoker project update}: gives an existing project a new Jobfile or repository; its runs stay. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Replace an existing project's source: a new local Jobfile's text, or another git repository or"
                + " branch (--branch alone: a git project's URL and credentials stay).", "The project keeps its runs, secrets, members and webhook secret, and unless given its"
                + " branch and git credentials."},
        footer = {"", "Examples:",
                "  stoker project update nightly --jobfile ./Jobfile",
                "  stoker project update shop --git https://github.com/acme/shop.git \\",
                "      --branch release",
                "  stoker project update shop --branch release",
                "", "An invalid Jobfile is refused with its file:line:col diagnostics and the project is left as it was.",
                RemoteCommand.EXIT_CODES})
public final class ProjectUpdateCommand extends ProjectSourceCommand {

    /** Set when only --branch or --credentials was given: the project must be a git one already. */
    private String onlyOption;

    @Override
    Object withoutUrl(String option, String branch, String credentials) {
        onlyOption = option;
        // a PUT is a partial update: the URL it leaves out stays
        return StokerClient.map("branch", branch, "credentials", credentials);
    }

    @Override
    int call(StokerClient client) {
        Object body = body();
        if (onlyOption != null) {
            // the server would say "'branch' is only for git projects" about a field the user did not type
            JsonNode before = client.get("/projects/" + StokerClient.segment(name));
            if (!"git".equals(before.path("kind").asText())) {
                throw CliException.invalid("project '" + name + "' is " + before.path("kind").asText() + ": "
                        + onlyOption + " is only for git projects (--git URL makes it one)");
            }
        }
        JsonNode p = client.put("/projects/" + StokerClient.segment(name), body, e -> client.refused(jobfileNamed(e)));
        out().println("updated project " + p.path("name").asText() + " (" + p.path("kind").asText() + ") with jobs: "
                + ProjectListCommand.jobs(p));
        return 0;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker deployments PROJECT [--to TARGET]}: the deployment history, newest first. */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = {"List a project's deployments, newest first: id, target, version, state (running, good, bad, "
                + "cancelled, interrupted), why (deploy, rollback, auto-rollback), who, when, and the run with its logs."},
        footer = {"", "Examples:", "  stoker deployments shop", "  stoker deployments shop --to staging --json",
                "", RemoteCommand.EXIT_CODES})
public final class DeploymentsCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Option(names = "--to", paramLabel = "TARGET", description = "only this deploy target")
    String target;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most this many (1-500, default 50)")
    int limit;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        String query = "?limit=" + limit + (target == null ? "" : "&target=" + StokerClient.segment(target));
        JsonNode page = client.get("/projects/" + StokerClient.segment(project) + "/deployments" + query);
        if (json) {
            out().println(page.toPrettyString());
            return 0;
        }
        Table t = new Table("ID", "TARGET", "VERSION", "STATE", "WHY", "BY", "STARTED", "RUN");
        for (JsonNode d : page.path("deployments")) {
            t.row(d.path("id").asText(), d.path("target").asText(), d.path("version").asText(),
                    d.path("state").asText(), d.path("reason").asText(), d.path("by").asText(),
                    d.path("startedAt").asText(), d.path("run").asText());
        }
        if (t.isEmpty()) out().println("project " + project + " has no deployments yet; see stoker deploy --help");
        else t.print(out());
        return 0;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker versions NAME}: a project's published versions, newest first. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = {"List a project's published versions, newest first: version, status (new, good, bad), run, "
                + "created time, files and size.",
                "A job publishes a version with 'publish version: …' when its whole run succeeded."},
        footer = {"", "Examples:", "  stoker versions shop", "  stoker versions shop --status good --json",
                "", RemoteCommand.EXIT_CODES})
public final class VersionsCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String project;

    @Option(names = "--status", paramLabel = "STATUS", description = "only versions marked new, good or bad")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most this many (1-500, default 50)")
    int limit;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        String query = "?pageSize=" + limit + (status == null ? "" : "&status=" + StokerClient.segment(status));
        JsonNode page = client.get("/projects/" + StokerClient.segment(project) + "/versions" + query);
        if (json) {
            out().println(page.toPrettyString());
            return 0;
        }
        Table t = new Table("VERSION", "STATUS", "RUN", "CREATED", "FILES", "SIZE");
        for (JsonNode v : page.path("versions")) {
            t.row(v.path("version").asText(), v.path("status").asText(), v.path("run").asText(),
                    v.path("createdAt").asText(), v.path("files").asText(), v.path("size").asText());
        }
        if (t.isEmpty()) out().println("project " + project + " has no versions yet; a job publishes one with 'publish'");
        else t.print(out());
        return 0;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/** {@code stoker jobs}: every job of every project with its last run's status. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List every job of every project on the server with its last run's status.",
        footer = {"", "Trigger one with 'stoker trigger PROJECT/JOB'.", RemoteCommand.EXIT_CODES})
public final class JobsCommand extends RemoteCommand {

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode jobs = client.get("/jobs");
        if (json) {
            out().println(jobs.toPrettyString());
            return 0;
        }
        Table t = new Table("JOB", "TASKS", "CONCURRENCY", "LAST STATUS", "DESCRIPTION");
        for (JsonNode j : jobs) {
            int concurrency = j.path("concurrency").asInt(0);
            t.row(j.path("project").asText() + "/" + j.path("name").asText(), j.path("tasks").asText(),
                    concurrency > 0 ? concurrency : "any", j.path("lastStatus").asText("never run"),
                    j.path("description").asText(null));
        }
        if (t.isEmpty()) out().println("no jobs; add a project with 'stoker project add'");
        else t.print(out());
        return 0;
    }
}

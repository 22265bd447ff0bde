package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code stoker jobs}: every job of every project with its last run's status. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List every job of every project on the server (or of PROJECT) with its last run's status and"
                + " its cron or poll schedule's next firing (ISO-8601, in the server's time zone, which the last line"
                + " names).",
        footer = {"", "Trigger one with 'stoker trigger PROJECT/JOB'.", RemoteCommand.EXIT_CODES})
public final class JobsCommand extends RemoteCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROJECT", description = "only this project's jobs")
    String project;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        // a mistyped project is refused by the server (with its name), not shown as a project without jobs
        if (project != null) client.get("/projects/" + StokerClient.segment(project));
        JsonNode jobs = client.get("/jobs");
        if (project != null) jobs = ofProject(jobs);
        if (json) {
            out().println(jobs.toPrettyString());
            return 0;
        }
        Table t = new Table("JOB", "TASKS", "CONCURRENCY", "LAST STATUS", "NEXT FIRING", "DESCRIPTION");
        String zone = null;
        for (JsonNode j : jobs) {
            int concurrency = j.path("concurrency").asInt(0);
            String next = next(j.path("schedules"));
            if (next != null) zone = j.path("timeZone").asText(null);
            t.row(j.path("project").asText() + "/" + j.path("name").asText(), j.path("tasks").asText(),
                    concurrency > 0 ? concurrency : "any", j.path("lastStatus").asText("never run"), next,
                    j.path("description").asText(null));
        }
        if (t.isEmpty() && project != null) out().println("project " + project + " has no jobs");
        else if (t.isEmpty()) out().println("no jobs; add a project with 'stoker project add'");
        else t.print(out());
        if (zone != null) out().println("cron and poll schedules are read in the server's time zone, " + zone);
        return 0;
    }

    /** The jobs of {@link #project} among {@code jobs}. */
    private JsonNode ofProject(JsonNode jobs) {
        com.fasterxml.jackson.databind.node.ArrayNode kept = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (JsonNode j : jobs) if (project.equals(j.path("project").asText())) kept.add(j);
        return kept;
    }

    /** The job's earliest next firing with the kind of its schedule ({@code 2026-05-05T02:30+02:00 (cron)}), or null. */
    static String next(JsonNode schedules) {
        java.time.OffsetDateTime first = null;
        String kind = null;
        for (JsonNode s : schedules) {
            String at = s.path("nextFiring").asText(null);
            if (at == null) continue;
            java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(at);
            if (first == null || t.isBefore(first)) {
                first = t;
                kind = s.path("kind").asText();
            }
        }
        return first == null ? null : first + " (" + kind + ")";
    }
}

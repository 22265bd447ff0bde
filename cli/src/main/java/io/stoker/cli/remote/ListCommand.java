package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/** {@code stoker list [FILTER]}: projects at a glance, with their last run and latest version. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the server's projects whose name contains FILTER: the last run (job, number, status) and "
                + "the latest published version.",
        footer = {"", "Examples:", "  stoker list", "  stoker list shop --json", "", RemoteCommand.EXIT_CODES})
public final class ListCommand extends RemoteCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILTER", description = "part of a project's name (any case)")
    String filter;

    @Option(names = "--json", description = "print JSON: [{name, kind, lastRun: {key, job, number, status}, latestVersion: {version, status}}]")
    boolean json;

    @Override
    int call(StokerClient client) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (JsonNode p : client.get("/projects")) {
            String name = p.path("name").asText();
            if (filter != null && !name.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT))) continue;
            String segment = StokerClient.segment(name);
            ObjectNode row = rows.addObject();
            row.put("name", name);
            row.put("kind", p.path("kind").asText());
            JsonNode run = client.get("/runs?project=" + segment + "&pageSize=1").path("runs").path(0);
            row.set("lastRun", run.isMissingNode() ? null : JsonNodeFactory.instance.objectNode()
                    .put("key", run.path("key").asText()).put("job", run.path("job").asText())
                    .put("number", run.path("number").asLong()).put("status", run.path("status").asText()));
            JsonNode version = client.get("/projects/" + segment + "/versions?pageSize=1").path("versions").path(0);
            row.set("latestVersion", version.isMissingNode() ? null : JsonNodeFactory.instance.objectNode()
                    .put("version", version.path("version").asText()).put("status", version.path("status").asText()));
        }
        if (json) {
            out().println(rows.toPrettyString());
            return 0;
        }
        Table t = new Table("PROJECT", "KIND", "LAST RUN", "STATUS", "LATEST VERSION");
        for (JsonNode r : rows) {
            JsonNode run = r.path("lastRun");
            JsonNode v = r.path("latestVersion");
            t.row(r.path("name").asText(), r.path("kind").asText(),
                    run.isNull() ? "-" : run.path("job").asText() + " #" + run.path("number").asText(),
                    run.isNull() ? "-" : run.path("status").asText(),
                    v.isNull() ? "-" : v.path("version").asText() + " (" + v.path("status").asText() + ")");
        }
        if (t.isEmpty()) out().println(filter == null ? "no projects; add one with 'stoker project add'" : "no project matches '" + filter + "'");
        else t.print(out());
        return 0;
    }
}

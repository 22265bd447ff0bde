package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stoker cluster}: the servers sharing the server's database, with their heartbeats and the runs they hold. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "List the servers sharing this server's database (a cluster on PostgreSQL; on H2 the server "
                + "alone): id, version, address, last heartbeat, alive, runs held and the pull agents connected to it. '*' marks the server that answered.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ClusterCommand extends RemoteCommand {

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode cluster = client.get("/cluster");
        if (json) {
            out().println(cluster.toPrettyString());
            return 0;
        }
        String self = cluster.path("self").asText();
        Table t = new Table("ID", "VERSION", "ADDRESS", "LAST HEARTBEAT", "ALIVE", "RUNS HELD", "PULL AGENTS");
        for (JsonNode s : cluster.path("servers")) {
            String id = s.path("id").asText();
            t.row(id.equals(self) ? id + " *" : id, s.path("version").asText(), s.path("address").asText(),
                    s.path("lastHeartbeat").asText(), s.path("alive").asBoolean() ? "yes" : "no",
                    s.path("runsHeld").asText(), pullAgents(s.path("pullAgents")));
        }
        t.print(out());
        out().flush();
        return 0;
    }

    private static String pullAgents(JsonNode names) {
        if (!names.isArray() || names.isEmpty()) return "-";
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEach(n -> out.add(n.asText()));
        return String.join(",", out);
    }
}

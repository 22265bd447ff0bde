package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker agent list}: the agents with their status, slots, labels and current tasks. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the agents (ssh: the server dials them; pull: they dial the server): status (online, offline, blocked) and why, busy/executors, labels "
                + "and the tasks running on each; --json adds each one's pinned host key.",
                "LABELS shows the agent's name (agent 'NAME' selects it), the labels it was given, and how many automatic "
                        + "ones 'stoker agent install' added (+9 auto); 'stoker agent show NAME' and --json list them all."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentListCommand extends RemoteCommand {

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode agents = client.get("/agents");
        if (json) {
            out().println(agents.toPrettyString());
            return 0;
        }
        Table t = new Table("NAME", "ADDRESS", "STATUS", "MODE", "BUSY", "LABELS", "TASKS");
        List<String> reasons = new ArrayList<>();
        boolean automatic = false;
        for (JsonNode a : agents) {
            String status = a.path("status").asText();
            boolean pull = "pull".equals(a.path("mode").asText());
            t.row(a.path("name").asText(), pull ? "from " + a.path("host").asText() : a.path("user").asText() + "@"
                    + a.path("host").asText() + ":" + a.path("port").asText(), status,
                    a.hasNonNull("mode") ? a.path("mode").asText() : "-",
                    a.path("busy").asText() + "/" + a.path("executors").asText(),
                    AgentLabelsText.column(a), tasks(a));
            automatic |= a.path("automaticLabels").size() > 0;
            if (!"online".equals(status) && a.hasNonNull("statusReason")) {
                reasons.add(a.path("name").asText() + ": " + a.path("statusReason").asText());
            }
            if (a.hasNonNull("modeReason")) {
                reasons.add(a.path("name").asText() + ": shell mode: " + a.path("modeReason").asText());
            }
        }
        if (t.isEmpty()) {
            out().println("no agents; add one with 'stoker agent add', or start one with 'stoker agent run'");
            return 0;
        }
        t.print(out());
        if (automatic) {
            out().println();
            out().println("+N auto: labels from 'stoker agent install' (os:, arch:, tool:…); "
                    + "'stoker agent show NAME' lists them all");
        }
        if (!reasons.isEmpty()) {
            out().println();
            reasons.forEach(out()::println);
        }
        out().flush();
        return 0;
    }

    private static String tasks(JsonNode agent) {
        List<String> out = new ArrayList<>();
        agent.path("tasks").forEach(t -> out.add(t.path("run").asText() + "/" + t.path("task").asText()));
        return String.join(" ", out);
    }
}

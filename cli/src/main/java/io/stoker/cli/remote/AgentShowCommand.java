package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code stoker agent show}: one agent in full, every label and the tools its install found among them. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show one agent: address, status and mode (and why), slots, its labels in full (its name, the "
                + "labels it was given, the automatic ones from 'stoker agent install'), the tools the install found "
                + "(and those on the PATH that did not run), work directory, host key and current tasks."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentShowCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Option(names = "--json", description = "print the server's JSON instead")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode a = client.get("/agents/" + StokerClient.segment(name));
        if (json) {
            out().println(a.toPrettyString());
            return 0;
        }
        PrintWriter out = out();
        boolean pull = "pull".equals(a.path("mode").asText());
        out.println("agent " + a.path("name").asText() + ": " + (pull ? "pull agent from " + a.path("host").asText()
                : a.path("user").asText() + "@" + a.path("host").asText() + ":" + a.path("port").asText()) + ", "
                + a.path("status").asText() + (a.hasNonNull("statusReason") ? " (" + a.path("statusReason").asText() + ")" : "")
                + (a.hasNonNull("mode") ? ", " + a.path("mode").asText() : "")
                + ", busy " + a.path("busy").asText() + "/" + a.path("executors").asText());
        if (a.hasNonNull("modeReason")) out.println("shell mode: " + a.path("modeReason").asText());
        List<String> labels = new ArrayList<>();
        labels.add(a.path("name").asText() + " (its name)");
        labels.addAll(AgentLabelsText.userLabels(a));
        out.println("labels: " + String.join(", ", labels));
        List<String> automatic = AgentLabelsText.strings(a.path("automaticLabels"));
        out.println("automatic labels: " + (automatic.isEmpty() ? pull ? "none (a pull agent announces its own)"
                : "none yet; 'stoker agent install " + name + "' adds them" : String.join(", ", automatic)));
        JsonNode facts = a.path("facts");
        if (facts.isObject()) {
            out.println("installed " + InstantText.of(a.path("installedAt"), "?") + ": " + facts.path("os").asText() + "/"
                    + facts.path("arch").asText() + ", " + io.stoker.model.Plural.of(facts.path("cpus").asInt(), "CPU") + ", shell "
                    + facts.path("shell").asText());
            AgentLabelsText.tools(facts, out);
        }
        if (a.hasNonNull("workDir")) out.println("work directory: " + a.path("workDir").asText());
        if (a.hasNonNull("hostKey")) out.println("host key: " + a.path("hostKey").asText());
        List<String> tasks = new ArrayList<>();
        a.path("tasks").forEach(t -> tasks.add(t.path("run").asText() + "/" + t.path("task").asText()));
        out.println("tasks: " + (tasks.isEmpty() ? "none" : String.join(" ", tasks)));
        out.flush();
        return 0;
    }
}

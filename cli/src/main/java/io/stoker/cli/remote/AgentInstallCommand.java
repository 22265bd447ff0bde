package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker agent install}: checks an agent over SSH and prints what it found. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Check an agent over SSH (shell, OS, architecture, CPUs, free disk, tools), prepare its work "
                + "directory, and record what it found as automatic labels (os:linux, arch:amd64, tool:git, …)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentInstallCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Override
    int call(StokerClient client) {
        JsonNode r = client.post("/agents/" + StokerClient.segment(name) + "/install", null);
        JsonNode f = r.path("facts");
        out().println("agent " + name + ": " + f.path("os").asText() + "/" + f.path("arch").asText() + ", "
                + f.path("cpus").asText() + " CPU(s), " + disk(f.path("freeDiskBytes").asLong(-1)) + " free, shell "
                + f.path("shell").asText());
        List<String> tools = new ArrayList<>();
        f.path("tools").fieldNames().forEachRemaining(tools::add);
        for (String t : tools) out().println("  " + t + ": " + f.path("tools").path(t).asText());
        List<String> labels = new ArrayList<>();
        r.path("labels").forEach(l -> labels.add(l.asText()));
        out().println("automatic labels: " + String.join(", ", labels));
        out().flush();
        return 0;
    }

    private static String disk(long bytes) {
        if (bytes < 0) return "unknown disk";
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 1 ? String.format(java.util.Locale.ROOT, "%.1f GiB", gib)
                : String.format(java.util.Locale.ROOT, "%d MiB", bytes / (1024 * 1024));
    }
}

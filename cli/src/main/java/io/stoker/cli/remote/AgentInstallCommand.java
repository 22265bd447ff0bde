package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.agent.ssh.SshAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code stoker agent install}: checks an agent over SSH and prints what it found. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Check an agent over SSH (shell, OS, architecture, CPUs, free disk, tools), prepare its work "
                + "directory, and record what it found as automatic labels (os:linux, arch:amd64, tool:git, …).",
                "A tool gets its tool: label only when its version command runs (exits 0 within 8s); one found on "
                        + "the PATH that does not (mvn without Java) is printed as 'found but did not run' with the "
                        + "first line of its error."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentInstallCommand extends RemoteCommand {
    /**
     * How long the answer may take: longer than the server's install may (its wait for the SSH login, then the host's
     * check), or a slow host's install would be reported as a server that did not answer while it still ran.
     */
    static final Duration ANSWER_WITHIN = SshAgent.Settings.DEFAULTS.installLimit().plusSeconds(30);

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Override
    int call(StokerClient client) {
        JsonNode r = client.post("/agents/" + StokerClient.segment(name) + "/install", null, ANSWER_WITHIN);
        JsonNode f = r.path("facts");
        out().println("agent " + name + ": " + f.path("os").asText() + "/" + f.path("arch").asText() + ", "
                + io.stoker.model.Plural.of(f.path("cpus").asInt(), "CPU") + ", " + disk(f.path("freeDiskBytes").asLong(-1)) + " free, shell "
                + f.path("shell").asText());
        AgentLabelsText.tools(f, out());
        out().println("automatic labels: " + String.join(", ", AgentLabelsText.strings(r.path("labels"))));
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

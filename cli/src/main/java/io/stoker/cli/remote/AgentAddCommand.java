package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code stoker agent add}: registers an SSH agent; the key file's text is sent once and stored encrypted. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Register a machine the server reaches over SSH as an agent.",
                "The private key file's text is sent to the server, which stores it encrypted with its master key "
                        + "and never shows it again. The host key must be pinned with --host-key (the fingerprint "
                        + "'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' prints on the agent), or trusted on "
                        + "first use with --trust-on-first-use."},
        footer = {"", "Examples:",
                "  stoker agent add builder1 --host 10.0.0.5 --user ci --key ~/.ssh/stoker_ci \\",
                "      --label linux --label docker --executors 4 --host-key SHA256:uU0nF4a…",
                "  stoker agent add lab --host lab.local --user ci --key ./lab_key --trust-on-first-use",
                "", RemoteCommand.EXIT_CODES})
public final class AgentAddCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name (letters, digits, _ . -); also a label")
    String name;

    @Option(names = "--host", paramLabel = "HOST", required = true, description = "host name or address")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "22", description = "SSH port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--user", paramLabel = "USER", required = true, description = "the login user on the agent")
    String user;

    @Option(names = "--key", paramLabel = "FILE", required = true,
            description = "the unencrypted private key (OpenSSH or PEM) the server logs in with")
    Path key;

    @Option(names = "--label", paramLabel = "LABEL", description = "a label jobs can ask for (repeatable)")
    List<String> labels = List.of();

    @Option(names = "--executors", paramLabel = "N", defaultValue = "1",
            description = "how many tasks it runs at once, 1..64 (default: ${DEFAULT-VALUE})")
    int executors;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where workspaces live on the agent, absolute or relative to the login's home (default: stoker-agent)")
    String workDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    HostKey hostKey;

    static final class HostKey {
        @Option(names = "--host-key", paramLabel = "SHA256:…", required = true,
                description = "pin the agent's host key fingerprint")
        String fingerprint;

        @Option(names = "--trust-on-first-use", required = true,
                description = "accept the first host key seen and pin it (a changed key later blocks the agent)")
        boolean trustOnFirstUse;
    }

    /** The API's field names as this command's options, so a refusal names what the user typed. */
    private static final Map<String, String> OPTIONS = Map.of("name", "NAME", "host", "--host", "port", "--port",
            "user", "--user", "privateKey", "--key", "labels", "--label", "executors", "--executors",
            "workDir", "--work-dir", "hostKey", "--host-key", "trustOnFirstUse", "--trust-on-first-use");

    static CliException inOptions(ApiError e) {
        ApiError named = e.withOptions(OPTIONS);
        // a first line naming the option says what the details would
        return named == e ? e.toCli() : named.withoutDetails().toCli();
    }

    @Override
    int call(StokerClient client) {
        String keyText;
        try {
            keyText = Files.readString(key, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.invalid("cannot read the key file " + key + ": " + io.stoker.cli.FileProblem.reason(e));
        }
        Object body = StokerClient.map("name", name, "host", host, "port", port, "user", user, "privateKey", keyText,
                "labels", labels, "executors", executors, "workDir", workDir, "hostKey", hostKey.fingerprint,
                "trustOnFirstUse", hostKey.trustOnFirstUse ? Boolean.TRUE : null);
        JsonNode a = client.post("/agents", body, AgentAddCommand::inOptions);
        out().println("added agent " + a.path("name").asText() + " (" + a.path("user").asText() + "@"
                + a.path("host").asText() + ":" + a.path("port").asText() + ", "
                + io.stoker.model.Plural.of(a.path("executors").asInt(), "executor") + ", labels: " + labelsOrNone(AgentLabelsText.userLabels(a)) + ")");
        out().println("run 'stoker agent install " + name + "' to check it and add its automatic labels");
        return 0;
    }

    /** The given labels, or "none" rather than an empty gap (its name selects it anyway). */
    private static String labelsOrNone(java.util.List<String> labels) {
        return labels.isEmpty() ? "none" : String.join(",", labels);
    }
}

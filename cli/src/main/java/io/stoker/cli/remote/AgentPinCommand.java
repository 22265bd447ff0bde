package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker agent pin}: pins a host key, which also unblocks an agent whose key changed or never matched its pin. */
@Command(name = "pin", mixinStandardHelpOptions = true,
        description = {"Pin an agent's host key fingerprint after checking it on the machine "
                + "('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'). Unblocks an agent blocked by a "
                + "changed key, or by a pin that never matched (a fingerprint given wrong)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentPinCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Option(names = "--host-key", paramLabel = "SHA256:…", required = true, description = "the fingerprint to pin")
    String hostKey;

    @Override
    int call(StokerClient client) {
        JsonNode a = client.put("/agents/" + StokerClient.segment(name) + "/host-key",
                StokerClient.map("hostKey", hostKey));
        // the status is this server's new connection's: with its reason, "offline" reads as what it is (not yet
        // connected, refused, …), not as news about the machine
        String reason = a.path("statusReason").asText("");
        out().println("pinned " + a.path("hostKey").asText() + " for agent " + name + " (" + a.path("status").asText()
                + (reason.isEmpty() ? "" : ": " + reason) + ")");
        return 0;
    }
}

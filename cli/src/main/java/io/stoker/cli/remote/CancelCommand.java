package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;


/** {@code stoker cancel}: cancels a queued or running run. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a queued or running run.",
                "A queued run never starts; a running one has its tasks stopped. A finished run cannot be cancelled "
                        + "(exit 2)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class CancelCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        JsonNode reply = client.delete("/runs/" + StokerClient.segment(key));
        String status = reply.path("status").asText();
        out().println("run " + key + " " + status + ("cancelling".equals(status) ? " (its tasks are being stopped)" : ""));
        return 0;
    }
}

package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker agent remove}: unregisters an agent. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove an agent from the server and close its connection.",
                "An agent running tasks is refused unless --force: then their processes there are killed and those attempts fail (and are retried on "
                        + "another agent when the task has retry).",
                "A pull agent dials the server again while its token is valid: stop it on its machine, or revoke its token first."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentRemoveCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Option(names = "--force", description = "remove it even while it runs tasks")
    boolean force;

    @Override
    int call(StokerClient client) {
        String path = "/agents/" + StokerClient.segment(name);
        boolean pull = "pull".equals(client.get(path).path("mode").asText(""));
        client.delete(path + (force ? "?force=true" : ""));
        out().println("removed agent " + name);
        if (pull) {
            // its connection is closed, but the program on its machine dials again with its token
            out().println(name + " is a pull agent: it connects again while its token is valid; stop it on its "
                    + "machine, or revoke its token (stoker agent token revoke NAME) and remove it again");
        }
        return 0;
    }
}

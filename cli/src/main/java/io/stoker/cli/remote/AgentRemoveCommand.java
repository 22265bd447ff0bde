package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker agent remove}: unregisters an agent. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove an agent from the server and close its connection.",
                "An agent running tasks is refused unless --force: then their processes there are killed and those attempts fail (and are retried on "
                        + "another agent when the task has retry)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class AgentRemoveCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the agent's name")
    String name;

    @Option(names = "--force", description = "remove it even while it runs tasks")
    boolean force;

    @Override
    int call(StokerClient client) {
        client.delete("/agents/" + StokerClient.segment(name) + (force ? "?force=true" : ""));
        out().println("removed agent " + name);
        return 0;
    }
}

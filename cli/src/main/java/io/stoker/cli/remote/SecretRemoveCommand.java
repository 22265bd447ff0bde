package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker secret remove}: deletes a secret. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Delete a secret from the server.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class SecretRemoveCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the secret's name")
    String name;

    @Option(names = "--project", paramLabel = "P", description = "the project the secret belongs to (default: global)")
    String project;

    @Override
    int call(StokerClient client) {
        client.delete(StokerClient.query("/secrets/" + StokerClient.segment(name), StokerClient.map("project", project)));
        out().println("removed " + (project == null ? "global" : "project " + project + "'s") + " secret " + name);
        return 0;
    }
}

package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;


/** {@code stoker project remove} (or {@code delete}): deletes a project. */
@Command(name = "remove", aliases = "delete", mixinStandardHelpOptions = true,
        description = "Delete a project and its jobs from the server ('delete' is the same command): its runs "
                + "(logs, artifacts), versions and deployment history go with it, and the services deployed for it "
                + "on the server's machine are stopped. A project with runs not ended is refused: cancel them first.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ProjectRemoveCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String name;

    @Override
    int call(StokerClient client) {
        client.delete("/projects/" + StokerClient.segment(name));
        out().println("removed project " + name);
        return 0;
    }
}

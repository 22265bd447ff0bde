package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code stoker project remove}: deletes a project. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Delete a project and its jobs from the server.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ProjectRemoveCommand extends RemoteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String name;

    @Override
    public Integer call() {
        client().delete("/projects/" + StokerClient.segment(name));
        out().println("removed project " + name);
        return 0;
    }
}

package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stoker project}: the verbs on the server's projects. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Manage the server's projects: a git repository with a Jobfile, or a stored ('freestyle') Jobfile.",
        subcommands = {ProjectAddCommand.class, ProjectUpdateCommand.class, ProjectListCommand.class,
                ProjectRemoveCommand.class, ProjectRefreshCommand.class, ProjectMemberCommand.class},
        footer = {"", "Run 'stoker project COMMAND --help' for a command's options."})
public final class ProjectCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }
}

package io.stoker.cli;

import io.stoker.cli.local.GraphCommand;
import io.stoker.cli.local.RunCommand;
import io.stoker.cli.local.ValidateCommand;
import io.stoker.cli.server.ServerCommand;
import picocli.CommandLine.Command;

/** The top-level command; each verb is a subcommand. */
@Command(name = "stoker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Stoker: a self-hosted CI/CD server. Jobfiles (a Groovy DSL, or YAML/JSON) compile into validated",
                "task graphs that run locally with the same semantics as on the server."},
        subcommands = {ValidateCommand.class, GraphCommand.class, RunCommand.class, ServerCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a run failed, 2 invalid Jobfile, parameter or option.",
                "Run 'stoker COMMAND --help' for a command's options."})
public final class StokerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stoker agent}: the verbs on the server's agents, and {@code run}, which makes this machine a pull agent. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Manage the server's agents: machines it reaches over SSH to run tasks whose 'agent' label "
                + "expression they match, or machines that dial the server themselves ('stoker agent run', "
                + "with a token from 'stoker agent token create'). Tasks without one (or with agent 'local') run on "
                + "the server itself."},
        subcommands = {AgentAddCommand.class, AgentListCommand.class, AgentShowCommand.class,
                AgentRemoveCommand.class, AgentInstallCommand.class, AgentPinCommand.class, AgentRunCommand.class, AgentTokenCommand.class},
        footer = {"", "Run 'stoker agent COMMAND --help' for a command's options."})
public final class AgentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }
}

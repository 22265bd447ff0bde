package io.stoker.cli.remote;

import picocli.CommandLine.Command;

/** {@code stoker approve RUN TASK}: lets a task waiting at its approval gate run. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a task waiting at its approval gate: it runs.",
                "You must be among the gate's approvers (a user or role name in the Jobfile) or an admin (else exit 2); "
                        + "a task that is not waiting cannot be decided (exit 2)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ApproveCommand extends DecideCommand {
    @Override
    String verb() {
        return "approve";
    }
}

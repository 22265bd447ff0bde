package io.stoker.cli.remote;

import picocli.CommandLine.Command;

/** {@code stoker reject RUN TASK}: fails a task waiting at its approval gate. */
@Command(name = "reject", mixinStandardHelpOptions = true,
        description = {"Reject a task waiting at its approval gate: it fails and the tasks that need it are skipped.",
                "You must be among the gate's approvers (a user or role name in the Jobfile) or an admin (else exit 2); "
                        + "a task that is not waiting cannot be decided (exit 2)."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class RejectCommand extends DecideCommand {
    @Override
    String verb() {
        return "reject";
    }
}

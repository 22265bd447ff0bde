package io.stoker.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command made only of subcommands ({@code stoker}, {@code stoker project}, …) does when none is named: it
 * shows them on stderr and exits 2, as picocli does for a missing subcommand, so a script whose command word came out
 * empty does not pass for a success.
 */
public final class CommandGroup {
    private CommandGroup() {
    }

    /** Prints {@code spec}'s usage to stderr and returns the refusal to throw. */
    public static CliException noCommand(CommandSpec spec) {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliException.invalid("'" + spec.qualifiedName() + "' needs one of the commands listed above");
    }
}

package io.stoker.cli.remote;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stoker secret}: the verbs on the server's secret store. */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Manage the server's secrets: stored encrypted, given to the jobs that declare them, masked in logs."
                + " Without --project a secret is global (admin role); with it, the project's own (developer role).",
        subcommands = {SecretSetCommand.class, SecretGrantCommand.class, SecretListCommand.class, SecretRemoveCommand.class},
        footer = {"", "Run 'stoker secret COMMAND --help' for a command's options."})
public final class SecretCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }
}

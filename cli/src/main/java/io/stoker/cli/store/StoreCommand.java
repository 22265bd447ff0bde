package io.stoker.cli.store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stoker store}: what an operator does to a stopped server's store. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Work on a stopped server's store: move the embedded H2 store into PostgreSQL.",
        subcommands = {StoreMoveCommand.class},
        footer = {"", "Run 'stoker store COMMAND --help' for a command's options."})
public final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }
}

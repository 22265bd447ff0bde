package io.stoker.cli;

import picocli.CommandLine;

/** The {@code stoker} command. Exit codes: 0 success, 1 a run failed, 2 invalid input or usage. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; specs call this in process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        // picocli probes for Groovy closures in annotations, which initialises the whole Groovy runtime (~1 s)
        // before any command runs; Stoker's commands are plain Java.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cmd = new CommandLine(new StokerCommand());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CommandLineMistake) {
                // a mistake the command found in its own options reads as those picocli finds, hint and all
                return commandLine.getParameterExceptionHandler().handleParseException(
                        new CommandLine.ParameterException(commandLine, ex.getMessage()),
                        parseResult.originalArgs().toArray(String[]::new));
            }
            if (ex instanceof CliException cli) {
                commandLine.getErr().println("stoker: " + cli.getMessage());
                return cli.exitCode();
            }
            commandLine.getErr().println("stoker: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 3;
        });
        // picocli reports usage mistakes with exit 2, which is also our "invalid input"
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("stoker: " + UsageMistake.describe(ex, args));
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.INVALID;
        });
        HelpText.printWithoutGlue(cmd);
        return cmd;
    }
}

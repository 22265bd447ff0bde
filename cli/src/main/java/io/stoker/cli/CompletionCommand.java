package io.stoker.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stoker completion}: the bash/zsh completion script picocli generates from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for stoker.",
                "Load it in the current shell with: source <(stoker completion)",
                "or install it: stoker completion > /etc/bash_completion.d/stoker"})
public final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("stoker", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}

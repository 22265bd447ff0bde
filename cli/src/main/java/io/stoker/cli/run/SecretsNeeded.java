package io.stoker.cli.run;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The secrets a local run of a job will ask for, as {@code --dry-run} shows them: every one the job (or the
 * selected part of it) declares, and those the {@code --secrets-file} given does not hold, which a real run would
 * refuse to start without.
 *
 * @param declared the secrets the job declares, in the order it declares them
 * @param missing  the declared secrets the secrets file lacks (all of them without a file)
 */
public record SecretsNeeded(List<String> declared, List<String> missing) {
    public SecretsNeeded {
        declared = List.copyOf(declared);
        missing = List.copyOf(missing);
    }

    public static SecretsNeeded of(Collection<String> declared, Set<String> given) {
        return new SecretsNeeded(List.copyOf(declared), declared.stream().filter(s -> !given.contains(s)).toList());
    }

    /** The plan's line, or null when the job declares no secret. */
    String line() {
        if (declared.isEmpty()) return null;
        String line = "secrets: " + String.join(", ", declared);
        if (missing.isEmpty()) return line + " (all in the --secrets-file)";
        return line + " — a run needs " + String.join(", ", missing) + " in a --secrets-file (NAME=value lines)";
    }
}

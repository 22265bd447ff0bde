package io.stoker.cli.remote;

import io.stoker.cli.CliException;

import java.util.List;

/**
 * The server asks for the API's {@code target} field when a project has no single deploy target: in the CLI's words
 * that is {@code --to}, shared by {@code deploy} and {@code rollback}.
 */
final class MissingTarget {
    private MissingTarget() {
    }

    /** The refusal in the CLI's words; {@code what} is what has no target ("to roll back", "to deploy to"). */
    static CliException refused(StokerClient client, ApiError e, String project, String target, String what) {
        if (target != null || e.status() != 400 || !e.message().startsWith("'target' is required")) return client.refused(e);
        List<String> targets = e.details().stream().filter(d -> d.startsWith("target: "))
                .map(d -> d.substring("target: ".length())).toList();
        return CliException.invalid(targets.isEmpty() ? "project '" + project + "' has no deploy target " + what
                : "project '" + project + "' has " + targets.size() + " deploy targets: name one with --to ("
                + String.join(", ", targets) + ")");
    }
}

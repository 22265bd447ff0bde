package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code stoker rollback PROJECT [--to TARGET]}: deploys the target's previous good version again. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Deploy a target's previous good version again: the newest version that worked there and is "
                + "not the one deployed now. Without --to, the project's only deploy target.",
                "Waits for the verdict and shows it, unless --no-wait."},
        footer = {"", "Examples:", "  stoker rollback shop", "  stoker rollback shop --to staging",
                "", "Exit codes: 0 rolled back and good (with --no-wait: accepted), 1 it turned out bad or was "
                + "interrupted, 2 refused by the server (no earlier good version, unknown target, several targets and "
                + "no --to) or bad usage, 3 the server cannot be reached or failed, 4 still running when --timeout ended (it "
                + "goes on: stoker deployments PROJECT shows its verdict)."})
public final class RollbackCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Option(names = "--to", paramLabel = "TARGET", description = "the deploy target (needed when there are several)")
    String target;

    @Mixin
    DeploymentFollow follow;

    @Override
    int call(StokerClient client) {
        follow.check();
        JsonNode d = client.post("/projects/" + StokerClient.segment(project) + "/deployments/rollback",
                target == null ? java.util.Map.of() : StokerClient.map("target", target), e -> refused(client, e));
        return follow.report(client, d, this);
    }

    private CliException refused(StokerClient client, ApiError e) {
        return MissingTarget.refused(client, e, project, target, "to roll back");
    }
}

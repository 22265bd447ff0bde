package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code stoker rollback PROJECT [--to TARGET]}: deploys the target's previous good version again. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Deploy a target's previous good version again: the newest version that worked there and is "
                + "not the one deployed now. Without --to, the project's only deploy target.",
                "Waits for the verdict and shows it, unless --no-wait."},
        footer = {"", "Examples:", "  stoker rollback shop", "  stoker rollback shop --to staging",
                "", "Exit codes: 0 rolled back and good (with --no-wait: accepted), 1 it turned out bad or the wait "
                + "timed out, 2 refused by the server (no earlier good version, unknown target, several targets and "
                + "no --to) or bad usage, 3 the server cannot be reached or failed."})
public final class RollbackCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Option(names = "--to", paramLabel = "TARGET", description = "the deploy target (needed when there are several)")
    String target;

    @Option(names = "--no-wait", description = "return once the deployment is queued")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "how long to wait for the verdict (default 900)")
    long timeout;

    @Option(names = "--json", description = "print the server's JSON for the deployment instead of progress lines")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode d = client.post("/projects/" + StokerClient.segment(project) + "/deployments/rollback",
                target == null ? java.util.Map.of() : StokerClient.map("target", target));
        return DeployCommand.report(client, d, json, noWait, Duration.ofSeconds(timeout), this);
    }
}

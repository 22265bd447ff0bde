package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options {@code deploy} and {@code rollback} share (a picocli mixin): whether to wait for the verdict, how long,
 * and JSON instead of progress lines; {@link #report} prints the accepted deployment and follows it.
 */
final class DeploymentFollow {

    @Option(names = "--no-wait", description = "return once the deployment is queued")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "how long to wait for the verdict (default 900)")
    long timeout;

    @Option(names = "--json", description = "print the server's JSON for the deployment instead of progress lines")
    boolean json;

    /** Prints deployment {@code d} as the server accepted it and, unless told not to, follows it to its verdict. */
    int report(StokerClient client, JsonNode d, RemoteCommand cmd) {
        if (json) {
            cmd.out().println(d.toPrettyString());
            return 0;
        }
        cmd.out().println("started: " + DeploymentWatch.describe(d));
        if (noWait) return 0;
        cmd.out().flush();
        return new DeploymentWatch(client, cmd.out()).follow(d, Duration.ofSeconds(timeout));
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options {@code deploy} and {@code rollback} share (a picocli mixin): whether to wait for the verdict, how long,
 * and JSON instead of progress lines; {@link #report} prints the accepted deployment and follows it.
 */
final class DeploymentFollow {

    @Option(names = "--no-wait", description = "return once the deployment is queued (Ctrl-C while waiting stops the "
            + "waiting; the deployment goes on)")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "how long to wait for the verdict (default 900)")
    long timeout;

    @Option(names = "--json", description = "print the server's JSON for the deployment instead of progress lines: "
            + "once judged (the exit code says how), or as accepted with --no-wait")
    boolean json;

    /** Refuses a wait that could never see a verdict, before the server is asked to deploy anything. */
    void check() {
        if (timeout < 1) throw CliException.usage("--timeout must be at least 1 second, not " + timeout);
    }

    /** Prints deployment {@code d} as the server accepted it and, unless told not to, follows it to its verdict. */
    int report(StokerClient client, JsonNode d, RemoteCommand cmd) {
        if (json) {
            if (noWait) {
                cmd.out().println(d.toPrettyString());
                return 0;
            }
            // a script reading the JSON must get the verdict, and the exit code must mean what it does without --json
            var watch = new DeploymentWatch(client, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    Reconnect.of(client, cmd.err()));
            int exit = followAnnounced(watch, d, cmd);
            cmd.out().println(watch.lastSeen(d).toPrettyString());
            return exit;
        }
        cmd.out().println("started: " + DeploymentWatch.describe(d));
        if (noWait) return 0;
        cmd.out().flush();
        return followAnnounced(new DeploymentWatch(client, cmd.out(), Reconnect.of(client, cmd.err())), d, cmd);
    }

    /** Follows {@code d}; Ctrl-C meanwhile leaves it going and says where its verdict will show. */
    private int followAnnounced(DeploymentWatch watch, JsonNode d, RemoteCommand cmd) {
        return FollowStop.announced(DeploymentWatch.describe(d), "stoker deployments " + d.path("project").asText()
                + " shows its verdict", cmd.err(), () -> watch.follow(d, Duration.ofSeconds(timeout)));
    }
}

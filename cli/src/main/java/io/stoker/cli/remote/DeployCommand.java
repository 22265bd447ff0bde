package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker deploy PROJECT VERSION [--to TARGET]}: deploys a published version to a deploy target. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy a published version of a project to one of its Jobfile's deploy targets, as a run of "
                + "its own: the previous deployment there is stopped, the version's files copied, its command started "
                + "and watched.",
                "A failing healthcheck (or a non-zero exit) marks the version bad and the target gets its last good "
                        + "version back automatically; a passing one (or a clean exit) marks it good.",
                "Without --to, the Jobfile's only deploy target; a Jobfile with several needs --to.",
                "Waits for the verdict and shows it, unless --no-wait."},
        footer = {"", "Examples:", "  stoker deploy shop 1.4.2 --to staging", "  stoker deploy shop 1.4.2 --to staging --no-wait --json",
                "", "Exit codes: 0 deployed and good (with --no-wait: accepted), 1 the version was bad (rolled back "
                + "when the target had a good version), the deployment was interrupted (the server restarted, or its run could not start), 2 refused by the server (unknown project, version or target) or bad usage, 3 the "
                + "server cannot be reached or failed, 4 still running when --timeout ended (it goes on: stoker deployments "
                + "PROJECT shows its verdict)."})
public final class DeployCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Parameters(index = "1", paramLabel = "VERSION", description = "a published version of it (see stoker versions)")
    String version;

    @Option(names = "--to", paramLabel = "TARGET",
            description = "the deploy target, as the Jobfile names it (needed when there are several)")
    String target;

    @Mixin
    DeploymentFollow follow;

    @Override
    int call(StokerClient client) {
        follow.check();
        JsonNode d = client.post("/projects/" + StokerClient.segment(project) + "/deployments",
                StokerClient.map("version", version, "target", target),
                e -> MissingTarget.refused(client, e, project, target, "to deploy to"));
        return follow.report(client, d, this);
    }
}

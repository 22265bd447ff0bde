package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stoker deployments PROJECT [--to TARGET]}: the deployment history, newest first. */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = {"List a project's deployments, newest first: id, target, version, state (running, good, bad, "
                + "cancelled, interrupted), why (deploy, rollback, auto-rollback), who, when, and the run that did "
                + "it by its number (#3: 'stoker logs PROJECT/deploy-TARGET#3' shows its log; its key once the run "
                + "was discarded). --json keeps the run's key beside its number and job."},
        footer = {"", "Examples:", "  stoker deployments shop", "  stoker deployments shop --to staging --json",
                "", RemoteCommand.EXIT_CODES})
public final class DeploymentsCommand extends ProjectPageCommand {

    @Option(names = "--to", paramLabel = "TARGET",
            description = "only this deploy target (one the Jobfile declares, or one with deployments: another is refused)")
    String target;

    @Override
    String path() {
        return "/deployments?limit=" + limit + (target == null ? "" : "&target=" + StokerClient.segment(target));
    }

    @Override
    Table table(JsonNode page) {
        Table t = new Table("ID", "TARGET", "VERSION", "STATE", "WHY", "BY", "STARTED", "RUN");
        for (JsonNode d : page.path("deployments")) {
            t.row(d.path("id").asText(), d.path("target").asText(), d.path("version").asText(),
                    d.path("state").asText(), d.path("reason").asText(), d.path("by").asText(),
                    InstantText.of(d.path("startedAt")), DeploymentRunName.of(d));
        }
        return t;
    }

    @Override
    String empty() {
        return target == null ? "project " + project + " has no deployments yet; see stoker deploy --help"
                : "project " + project + " has no deployments to target '" + target + "'; see stoker deploy --help";
    }
}

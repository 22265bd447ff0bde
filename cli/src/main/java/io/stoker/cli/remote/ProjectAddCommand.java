package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;

/** {@code stoker project add}: creates a project from a git URL or from a local Jobfile's text. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Create a project on the server from a git repository or a local Jobfile.",
                "With --git the server mirrors the repository and reads its Jobfile at each build; with --jobfile it "
                        + "stores the file's text ('freestyle')."},
        footer = {"", "Examples:",
                "  stoker project add shop https://github.com/acme/shop.git",
                "  stoker project add shop --git https://github.com/acme/shop.git --branch main",
                "  stoker project add private --git https://git.example.com/acme/app.git --credentials ci-bot",
                "  stoker project add nightly --jobfile ./Jobfile",
                "", "An invalid Jobfile is refused with its file:line:col diagnostics. 'stoker project update' changes"
                        + " an existing project's source (its runs stay).", RemoteCommand.EXIT_CODES})
public final class ProjectAddCommand extends ProjectSourceCommand {

    @Override
    Object withoutUrl(String option, String branch, String credentials) {
        throw CliException.usage(option + " needs the repository's URL: GIT_URL or --git URL");
    }

    @Override
    int call(StokerClient client) {
        JsonNode p = client.post("/projects", body(), e -> e.status() == 409
                ? e.toCli(e.message() + "; 'stoker project update " + name + " …' gives it a new Jobfile or repository")
                : jobfileNamed(e).toCli());
        out().println("created project " + p.path("name").asText() + " (" + p.path("kind").asText() + ") with jobs: "
                + ProjectListCommand.jobs(p));
        return 0;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
                "", "An invalid Jobfile is refused with its file:line:col diagnostics.", RemoteCommand.EXIT_CODES})
public final class ProjectAddCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GIT_URL",
            description = "the repository URL, as with --git (the repository's HEAD branch, no credentials)")
    String gitUrl;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Git git;

        @Option(names = "--jobfile", paramLabel = "FILE", required = true,
                description = "a local Jobfile (Groovy, .yaml or .json) to store on the server")
        Path jobfile;
    }

    static final class Git {
        @Option(names = "--git", paramLabel = "URL", required = true,
                description = "the repository URL (https, ssh or file) the server fetches")
        String url;

        @Option(names = "--branch", paramLabel = "BRANCH", description = "the branch to build (default: the repository's HEAD)")
        String branch;

        @Option(names = "--credentials", paramLabel = "NAME",
                description = "for a private repository: the name of a secret holding username:token "
                        + "(stoker secret set NAME; a global secret for the first fetch)")
        String credentials;
    }

    @Override
    int call(StokerClient client) {
        if ((gitUrl == null) == (source == null)) {
            throw CliException.invalid("give the project's source once: GIT_URL, --git URL or --jobfile FILE");
        }
        Object body;
        if (source == null) {
            body = StokerClient.map("name", name, "gitUrl", gitUrl);
        } else if (source.git != null) {
            body = StokerClient.map("name", name, "gitUrl", source.git.url, "branch", source.git.branch,
                    "credentials", source.git.credentials);
        } else {
            Path file = source.jobfile;
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.invalid("cannot read the Jobfile " + file + ": " + e.getMessage());
            }
            // the file name picks the syntax (Jobfile.yaml, Jobfile.json, else Groovy) and names it in diagnostics
            body = StokerClient.map("name", name, "jobfile", text, "file", file.getFileName().toString());
        }
        JsonNode p = client.post("/projects", body);
        out().println("created project " + p.path("name").asText() + " (" + p.path("kind").asText() + ") with jobs: "
                + ProjectListCommand.jobs(p));
        return 0;
    }
}

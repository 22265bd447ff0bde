package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stoker secret grant}: changes which projects may read a global secret, its value untouched. Values are never
 * shown, so an admin must be able to change a grant without knowing the value.
 */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = {"Change which projects may read a global secret (admin role); its value stays as it is.",
                "  stoker secret grant SIGNING_KEY --to web --to api",
                "  stoker secret grant SIGNING_KEY --all-projects"},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class SecretGrantCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the global secret's name")
    String name;

    @Option(names = "--to", paramLabel = "PROJECT", split = ",",
            description = "a project that may read it (repeat, or separate with commas); the others may not")
    List<String> projects;

    @Option(names = "--all-projects", description = "every project may read it, those made later too")
    boolean allProjects;

    @Override
    int call(StokerClient client) {
        if (allProjects == (projects != null)) {
            throw CliException.usage("give --to PROJECT (once or more) or --all-projects, not "
                    + (allProjects ? "both" : "neither"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projects", allProjects ? null : projects); // null: every project (StokerClient.map drops nulls)
        JsonNode s = client.put("/secrets/" + StokerClient.segment(name), body);
        out().println("global secret " + name + " may be read by " + SecretListCommand.readers(s));
        return 0;
    }
}

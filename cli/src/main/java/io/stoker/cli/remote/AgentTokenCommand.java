package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stoker agent token}: the tokens pull agents connect with (admins). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage the tokens pull agents connect with ('stoker agent run --token'); admins only.",
        subcommands = {AgentTokenCommand.Create.class, AgentTokenCommand.ListTokens.class, AgentTokenCommand.Revoke.class})
public final class AgentTokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an agent token and print it (the only time it is shown).",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class Create extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int call(StokerClient client) {
            JsonNode t = client.post("/agent-tokens", StokerClient.map("name", name));
            out().println(t.path("token").asText());
            err().println("created agent token '" + name + "'; it is not shown again");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the agent tokens (never their values).",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class ListTokens extends RemoteCommand {
        @Override
        int call(StokerClient client) {
            Table table = new Table("NAME", "CREATED BY", "CREATED", "LAST USED");
            for (JsonNode t : client.get("/agent-tokens")) {
                table.row(t.path("name").asText(), t.path("createdBy").asText(), InstantText.of(t.path("createdAt")),
                        t.path("lastUsedAt").isTextual() ? InstantText.of(t.path("lastUsedAt")) : "-");
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an agent token: agents presenting it are refused from their next connection on.",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class Revoke extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int call(StokerClient client) {
            client.delete("/agent-tokens/" + StokerClient.segment(name));
            out().println("revoked agent token '" + name + "'");
            return 0;
        }
    }
}

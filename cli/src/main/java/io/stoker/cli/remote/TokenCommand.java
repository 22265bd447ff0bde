package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


/** {@code stoker token}: named API tokens for scripts. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage your named API tokens (for scripts: send as 'Authorization: Bearer TOKEN' or STOKER_TOKEN).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it (the only time it is shown).", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Create extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--expires-in-days", paramLabel = "N", description = "1 to 3650 (default: never)") Integer days;
        @Option(names = "--role", paramLabel = "ROLE", description = "limit the token to viewer or developer (at most "
                + "your own role; default: your role, whatever it becomes); a limited token cannot make or revoke "
                + "tokens, change a password or log out") String role;

        @Override
        int call(StokerClient client) {
            JsonNode t = client.post("/tokens", StokerClient.map("name", name, "expiresInDays", days, "role", role),
                    e -> client.refused(e.withOptions(java.util.Map.of("expiresInDays", "--expires-in-days", "role", "--role"))));
            out().println(t.path("token").asText());
            err().println("created token '" + name + "'" + (t.path("expiresAt").isTextual()
                    ? ", expires " + InstantText.of(t.path("expiresAt")) : ", does not expire") + "; it is not shown again");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tokens (admins: --user).", footer = {"", RemoteCommand.EXIT_CODES})
    static final class ListTokens extends RemoteCommand {
        @Option(names = "--user", paramLabel = "USER", description = "another user's tokens (admins)") String user;

        @Override
        int call(StokerClient client) {
            Table table = new Table("NAME", "USER", "ROLE", "CREATED", "LAST USED", "EXPIRES");
            for (JsonNode t : client.get(StokerClient.query("/tokens", StokerClient.map("user", user)))) {
                table.row(t.path("name").asText(), t.path("user").asText(),
                        t.path("role").isTextual() ? t.path("role").asText() : "user's",
                        InstantText.of(t.path("createdAt")),
                        t.path("lastUsedAt").isTextual() ? InstantText.of(t.path("lastUsedAt")) : "-",
                        t.path("expiresAt").isTextual() ? InstantText.of(t.path("expiresAt")) : "never");
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Revoke extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--user", paramLabel = "USER", description = "another user's token (admins)") String user;

        @Override
        int call(StokerClient client) {
            client.delete(StokerClient.query("/tokens/" + StokerClient.segment(name), StokerClient.map("user", user)));
            out().println("revoked token '" + name + "'");
            return 0;
        }
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker secret list}: names and scopes of one scope's secrets; the server never sends values. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the global secrets, or a project's with --project: name, scope, source and who may read"
                + " it. Values are never shown.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class SecretListCommand extends RemoteCommand {

    @Option(names = "--project", paramLabel = "P", description = "list this project's secrets (default: the global ones)")
    String project;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode secrets = client.get(StokerClient.query("/secrets", StokerClient.map("project", project)));
        if (json) {
            out().println(secrets.toPrettyString());
            return 0;
        }
        Table t = new Table("NAME", "SCOPE", "SOURCE", "READABLE BY", "UPDATED");
        for (JsonNode s : secrets) {
            String source = "vault".equals(s.path("source").asText())
                    ? "vault " + s.path("vault").path("path").asText() + "#" + s.path("vault").path("key").asText()
                    : "stored";
            t.row(s.path("name").asText(), s.path("scope").asText(), source, readers(s), InstantText.of(s.path("updatedAt")));
        }
        if (t.isEmpty()) out().println("no " + (project == null ? "global secrets" : "secrets in project " + project)
                + "; add one with 'stoker secret set NAME" + (project == null ? "" : " --project " + project) + "'");
        else t.print(out());
        return 0;
    }

    /** Who may read secret {@code s}: its project, or a global one's grants ("every project" without a list). */
    static String readers(JsonNode s) {
        if (!"global".equals(s.path("scope").asText())) return s.path("project").asText();
        if (!s.path("projects").isArray()) return "every project";
        List<String> names = new ArrayList<>();
        s.path("projects").forEach(p -> names.add(p.asText()));
        return String.join(", ", names);
    }
}

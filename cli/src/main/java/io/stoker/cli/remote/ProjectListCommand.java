package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker project list}: the server's projects as a table. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the server's projects: name, kind (git or freestyle), source, branch, commit and jobs.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ProjectListCommand extends RemoteCommand {

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        JsonNode projects = client.get("/projects");
        if (json) {
            out().println(projects.toPrettyString());
            return 0;
        }
        Table t = new Table("NAME", "KIND", "SOURCE", "BRANCH", "COMMIT", "JOBS");
        for (JsonNode p : projects) {
            boolean git = "git".equals(p.path("kind").asText());
            t.row(p.path("name").asText(), p.path("kind").asText(),
                    git ? p.path("gitUrl").asText() : p.path("file").asText(),
                    p.path("branch").asText(null), shortSha(p.path("commit").asText(null)), jobs(p));
        }
        if (t.isEmpty()) out().println("no projects; add one with 'stoker project add'");
        else t.print(out());
        return 0;
    }

    static String jobs(JsonNode project) {
        List<String> names = new ArrayList<>();
        project.path("jobs").forEach(j -> names.add(j.asText()));
        return String.join(", ", names);
    }

    static String shortSha(String sha) {
        return sha == null || sha.length() <= 10 ? sha : sha.substring(0, 10);
    }
}

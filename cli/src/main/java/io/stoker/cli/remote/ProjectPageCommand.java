package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A list the server keeps per project, as a table or the server's JSON: what {@code versions} and
 * {@code deployments} share (the project, {@code --limit}, {@code --json}).
 */
abstract class ProjectPageCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most this many (1-500, default 50)")
    int limit;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    final int call(StokerClient client) {
        // checked here, so the mistake is named as typed (the server's query parameters have other names)
        if (limit < 1 || limit > 500) throw CliException.invalid("--limit must be from 1 to 500, not " + limit);
        JsonNode page = client.get("/projects/" + StokerClient.segment(project) + path());
        if (json) {
            out().println(page.toPrettyString());
            return 0;
        }
        Table t = table(page);
        if (t.isEmpty()) out().println(empty());
        else t.print(out());
        // a table cut at --limit reads as the whole list unless it says so
        long total = page.path("total").asLong(-1);
        int shown = t.size();
        if (shown > 0 && total > shown) {
            out().println("the newest " + shown + " of " + total + (total <= 500 ? "; --limit " + total + " shows them all"
                    : "; --limit 500 shows the newest 500"));
        }
        return 0;
    }

    /** The list's path under the project, with its query ({@code /versions?pageSize=50}). */
    abstract String path();

    /** The page's rows. */
    abstract Table table(JsonNode page);

    /** What is printed when there is no row. */
    abstract String empty();
}

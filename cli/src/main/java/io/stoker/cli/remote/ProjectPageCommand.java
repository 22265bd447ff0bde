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
        if (limit < 1 || limit > 500) throw CliException.usage("--limit must be from 1 to 500, not " + limit);
        check();
        JsonNode page = client.get("/projects/" + StokerClient.segment(project) + path());
        if (json) {
            out().println(page.toPrettyString());
            return 0;
        }
        Table t = table(page);
        long total = page.path("total").asLong(-1);
        if (t.isEmpty()) {
            out().println(total > 0 ? beyond(total) : empty());
            return 0;
        }
        t.print(out());
        // a table cut at --limit reads as the whole list unless it says so
        String more = more(t.size(), total);
        if (more != null) out().println(more);
        return 0;
    }

    /** Checks the command's own options before the server is asked; the default has none beyond --limit. */
    void check() {
    }

    /** The line under a table of {@code shown} rows of {@code total}, or null when it shows them all. */
    String more(int shown, long total) {
        if (total <= shown) return null;
        return "the newest " + shown + " of " + total + (total <= 500 ? "; --limit " + total + " shows them all"
                : "; --limit 500 shows the newest 500");
    }

    /** What is printed when a list of {@code total} rows has none on the page asked for. */
    String beyond(long total) {
        return empty();
    }

    /** The list's path under the project, with its query ({@code /versions?pageSize=50}). */
    abstract String path();

    /** The page's rows. */
    abstract Table table(JsonNode page);

    /** What is printed when there is no row. */
    abstract String empty();
}

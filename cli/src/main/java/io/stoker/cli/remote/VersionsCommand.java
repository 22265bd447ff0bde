package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker versions PROJECT}: a project's published versions, newest first. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = {"List a project's published versions, newest first: version, status (new, good, bad), the "
                + "deploy targets a bad one failed on, run, created time, files and size.",
                "A job publishes a version with 'publish version: …' when its whole run succeeded."},
        footer = {"", "Examples:", "  stoker versions shop", "  stoker versions shop --status good --json",
                "", RemoteCommand.EXIT_CODES})
public final class VersionsCommand extends ProjectPageCommand {

    @Option(names = "--status", paramLabel = "STATUS", description = "only versions marked new, good or bad")
    String status;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1",
            description = "the page to show, --limit versions to a page (default: ${DEFAULT-VALUE}, the newest)")
    int page;

    @Override
    void check() {
        // checked here, so the mistake is named as typed (the server would name its query parameter, 'page')
        if (page < 1 || page > RunsCommand.MAX_PAGE) {
            throw io.stoker.cli.CliException.usage("--page must be a whole number from 1 to " + RunsCommand.MAX_PAGE
                    + ", not " + page);
        }
    }

    @Override
    String path() {
        return "/versions?pageSize=" + limit + (page == 1 ? "" : "&page=" + page)
                + (status == null ? "" : "&status=" + StokerClient.segment(status));
    }

    @Override
    String more(int shown, long total) {
        if (page == 1) {
            String all = super.more(shown, total);
            return all == null ? null : all + "; --page 2 shows the next " + Math.min(limit, total - shown);
        }
        long first = (long) (page - 1) * limit + 1;
        long last = first + shown - 1;
        return (first == last ? "version " + first : "versions " + first + "-" + last) + " of " + total + " (page " + page + " of " + pages(total) + ")"
                + (last < total ? "; --page " + (page + 1) + " shows the next " + Math.min(limit, total - last) : "");
    }

    @Override
    String beyond(long total) {
        return "no versions on page " + page + ": the last page is " + pages(total) + " ("
                + io.stoker.model.Plural.of(total, "version") + " at --limit " + limit + ")";
    }

    private long pages(long total) {
        return (total + limit - 1) / limit;
    }

    @Override
    Table table(JsonNode page) {
        Table t = new Table("VERSION", "STATUS", "FAILED ON", "RUN", "CREATED", "FILES", "SIZE");
        for (JsonNode v : page.path("versions")) {
            List<String> failedOn = new ArrayList<>();
            v.path("failedOn").forEach(target -> failedOn.add(target.asText()));
            t.row(v.path("version").asText(), v.path("status").asText(), failedOn.isEmpty() ? "-" : String.join(",", failedOn),
                    v.path("run").asText(), InstantText.of(v.path("createdAt")), v.path("files").asText(), v.path("size").asText());
        }
        return t;
    }

    @Override
    String empty() {
        return "project " + project + " has no versions yet; a job publishes one with 'publish'";
    }
}

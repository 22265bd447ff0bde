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

    @Override
    String path() {
        return "/versions?pageSize=" + limit + (status == null ? "" : "&status=" + StokerClient.segment(status));
    }

    @Override
    Table table(JsonNode page) {
        Table t = new Table("VERSION", "STATUS", "FAILED ON", "RUN", "CREATED", "FILES", "SIZE");
        for (JsonNode v : page.path("versions")) {
            List<String> failedOn = new ArrayList<>();
            v.path("failedOn").forEach(target -> failedOn.add(target.asText()));
            t.row(v.path("version").asText(), v.path("status").asText(), failedOn.isEmpty() ? "-" : String.join(",", failedOn),
                    v.path("run").asText(), v.path("createdAt").asText(), v.path("files").asText(), v.path("size").asText());
        }
        return t;
    }

    @Override
    String empty() {
        return "project " + project + " has no versions yet; a job publishes one with 'publish'";
    }
}

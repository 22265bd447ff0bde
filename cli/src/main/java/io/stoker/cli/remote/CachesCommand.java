package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.model.Plural;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stoker caches PROJECT [--delete KEY | --delete-all]}: a project's task caches, and dropping them. */
@Command(name = "caches", mixinStandardHelpOptions = true,
        description = {"List a project's task caches, most recently used first: scope (branch NAME, pull request N, "
                + "no branch), key, size in bytes and when last used (saved or restored).",
                "--delete KEY drops the caches of one key in every scope, --delete-all every cache of the project: "
                        + "the next run of each task that misses saves its cache afresh (the developer role and "
                        + "membership of the project; audited)."},
        footer = {"", "Examples:", "  stoker caches shop", "  stoker caches shop --delete deps-1a2b3c4d",
                "  stoker caches shop --delete-all",
                "", "Exit codes: 0 done, 2 refused by the server (unknown project, no cache of that key, not allowed) "
                + "or bad usage, 3 the server cannot be reached or failed."})
public final class CachesCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's name")
    String project;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Drop drop;

    /** What to drop: one key's caches or all of them. */
    static final class Drop {
        @Option(names = "--delete", paramLabel = "KEY",
                description = "drop the caches of this full key (as listed, e.g. deps-1a2b3c4d) in every scope")
        String key;

        @Option(names = "--delete-all", description = "drop every cache of the project")
        boolean all;
    }

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    @Override
    int call(StokerClient client) {
        String path = "/projects/" + StokerClient.segment(project) + "/caches";
        if (drop != null) {
            if (drop.key != null && drop.key.isBlank()) {
                throw io.stoker.cli.CliException.usage("--delete takes a cache's key as stoker caches " + project
                        + " lists it, not an empty text; --delete-all drops every cache");
            }
            JsonNode reply = client.delete(StokerClient.query(path, StokerClient.map("key", drop.key)));
            if (json) {
                out().println(reply.toPrettyString());
                return 0;
            }
            int dropped = reply.path("dropped").asInt();
            out().println("dropped " + Plural.of(dropped, "cache") + (drop.key == null ? "" : " of key " + drop.key)
                    + " of project " + project);
            return 0;
        }
        JsonNode caches = client.get(path);
        if (json) {
            out().println(caches.toPrettyString());
            return 0;
        }
        Table t = new Table("SCOPE", "KEY", "SIZE", "LAST USED");
        for (JsonNode c : caches) {
            t.row(c.path("scope").asText(), c.path("key").asText(), c.path("bytes").asText(), c.path("lastUsed").asText());
        }
        if (t.isEmpty()) out().println("project " + project + " has no caches; a task keeps one with 'cache' (see the README's Caches)");
        else t.print(out());
        return 0;
    }
}

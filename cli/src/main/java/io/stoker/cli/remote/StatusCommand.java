package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker status}: one run with a table of its tasks. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run: its status, trigger, commit and parameters, a table of its tasks, and the images"
                + " its tasks ran in and pushed, with their digests.",
        footer = {"", RemoteCommand.EXIT_CODES})
public final class StatusCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Option(names = "--json", description = "print the server's JSON for the run")
    boolean json;

    private static final java.util.Set<String> EXITED = java.util.Set.of("succeeded", "failed");

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        JsonNode run = client.get("/runs/" + StokerClient.segment(key));
        if (json) {
            out().println(run.toPrettyString());
            return 0;
        }
        out().println(RunLog.outcome(run));
        line("trigger", run.path("trigger").asText(null));
        line("branch", run.path("branch").asText(null));
        line("commit", run.path("commit").asText(null));
        List<String> params = new ArrayList<>();
        run.path("parameters").properties().forEach(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
        line("parameters", params.isEmpty() ? null : String.join(" ", params));
        line("created", run.path("createdAt").asText(null));
        line("started", run.path("startedAt").asText(null));
        line("finished", run.path("finishedAt").asText(null));
        out().println();
        Table t = new Table("TASK", "STATUS", "EXIT", "ATTEMPTS", "STARTED", "FINISHED", "REASON");
        run.path("tasks").properties().forEach(e -> {
            JsonNode task = e.getValue();
            String status = task.path("status").asText();
            // an exit code means something only for a process that ran to its end
            String exit = EXITED.contains(status) ? task.path("exitCode").asText(null) : null;
            t.row(e.getKey(), status, exit, task.path("attempts").asText(null), task.path("startedAt").asText(null),
                    task.path("finishedAt").asText(null), RunLog.reasonBeside(status, task.path("reason").asText(null)));
        });
        t.print(out());
        Table images = new Table("TASK", "IMAGE", "USE", "DIGEST");
        boolean any = false;
        for (var e : run.path("tasks").properties()) {
            for (JsonNode image : e.getValue().path("images")) {
                images.row(e.getKey(), image.path("reference").asText(), image.path("use").asText(),
                        image.path("digest").asText());
                any = true;
            }
        }
        if (any) {
            out().println();
            images.print(out());
        }
        return 0;
    }

    private void line(String label, String value) {
        if (value != null && !value.isBlank()) out().printf("  %-11s %s%n", label + ":", value);
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code stoker approve} and {@code stoker reject} share: the run, the task, the comment, one line out. */
abstract class DecideCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Parameters(index = "1", paramLabel = "TASK", arity = "0..1",
            description = "the task waiting at its approval gate; left out, the one task of the run that waits at one")
    String task;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "why, kept with the decision and in the audit log")
    String comment;

    /** {@code approve} or {@code reject}: the last segment of the API path. */
    abstract String verb();

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        if (task == null) task = waitingTask(client);
        Map<String, Object> body = new LinkedHashMap<>();
        if (comment != null) body.put("comment", comment);
        JsonNode reply = client.post("/runs/" + StokerClient.segment(key) + "/tasks/" + StokerClient.segment(task)
                + "/" + verb(), body);
        String how = reply.path("decision").asText();
        out().println("task " + task + " of run " + key + " " + how + " by " + reply.path("decidedBy").asText()
                + ("approved".equals(how) ? " (it runs now)" : " (it fails; tasks that need it are skipped)"));
        return 0;
    }

    /** The one task of the run waiting at its gate, for a command that names none; refused when none or several wait. */
    private String waitingTask(StokerClient client) {
        List<String> waiting = new ArrayList<>();
        for (var e : client.get("/runs/" + StokerClient.segment(key)).path("tasks").properties()) {
            if ("waiting".equals(e.getValue().path("approval").path("status").asText())) waiting.add(e.getKey());
        }
        if (waiting.size() == 1) return waiting.getFirst();
        throw io.stoker.cli.CliException.invalid(waiting.isEmpty()
                ? "run " + key + " has no task waiting at an approval gate (stoker status " + key + " shows its gates)"
                : "run " + key + " has " + waiting.size() + " tasks waiting at an approval gate: name one of "
                + String.join(", ", waiting) + " (stoker " + verb() + " " + key + " TASK)");
    }
}

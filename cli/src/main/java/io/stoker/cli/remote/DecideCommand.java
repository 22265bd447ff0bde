package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code stoker approve} and {@code stoker reject} share: the run, the task, the comment, one line out. */
abstract class DecideCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Parameters(index = "1", paramLabel = "TASK", description = "the task waiting at its approval gate")
    String task;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "why, kept with the decision and in the audit log")
    String comment;

    /** {@code approve} or {@code reject}: the last segment of the API path. */
    abstract String verb();

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        Map<String, Object> body = new LinkedHashMap<>();
        if (comment != null) body.put("comment", comment);
        JsonNode reply = client.post("/runs/" + StokerClient.segment(key) + "/tasks/" + StokerClient.segment(task)
                + "/" + verb(), body);
        String how = reply.path("decision").asText();
        out().println("task " + task + " of run " + key + " " + how + " by " + reply.path("decidedBy").asText()
                + ("approved".equals(how) ? " (it runs now)" : " (it fails; tasks that need it are skipped)"));
        return 0;
    }
}

package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.Map;

/** {@code stoker tests}: the failed test cases a run's JUnit XML reports named. */
@Command(name = "tests", mixinStandardHelpOptions = true,
        description = {"List the failed test cases of a run: task, class and name, failure or error, the report file "
                + "that said it, and the message.",
                "Read from the JUnit XML files its tasks name with testReports in the Jobfile, when their steps end "
                        + "(succeeded or failed). Each task keeps the details of its first 100 failed cases; 'stoker "
                        + "status RUN' shows every task's counts."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class TestsCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Option(names = "--task", paramLabel = "TASK", description = "only this task's failed cases")
    String task;

    @Option(names = "--detail", description = "print each case's detail (its stack trace, cut short) under it")
    boolean detail;

    @Option(names = "--json", description = "print the server's JSON")
    boolean json;

    @Override
    int call(StokerClient client) {
        key = RunRef.key(client, key);
        Map<String, String> query = new HashMap<>();
        query.put("task", task);
        JsonNode reply = client.get(StokerClient.query("/runs/" + StokerClient.segment(key) + "/tests", query));
        if (json) {
            out().println(reply.toPrettyString());
            return 0;
        }
        JsonNode failures = reply.path("failures");
        if (failures.isEmpty()) {
            String which = "run " + key + (task == null ? "" : ", task " + task);
            out().println(reported(client) ? which + ": no failed tests in its test reports"
                    : which + ": no test reports (a task's testReports in the Jobfile collects them)");
        }
        for (JsonNode f : failures) {
            String cls = f.path("className").asText("");
            String file = f.path("file").asText("");
            out().printf("%s  %s%s  %s%s%n", f.path("task").asText(), cls.isEmpty() ? "" : cls + ".",
                    f.path("name").asText(), f.path("kind").asText(), file.isEmpty() ? "" : "  (" + file + ")");
            String message = f.path("message").asText("");
            if (!message.isBlank()) out().println("    " + message.strip().replace("\n", "\n    "));
            String more = f.path("detail").asText("");
            if (detail && !more.isBlank()) out().println("      " + more.strip().replace("\n", "\n      "));
        }
        long notKept = reply.path("notKept").asLong();
        if (notKept > 0) out().println("… and " + notKept + " more failed cases, counted but not kept");
        return 0;
    }

    /** Whether the run (or {@link #task}) has test reports at all: a run without them has no failed tests either. */
    private boolean reported(StokerClient client) {
        for (var t : client.get("/runs/" + StokerClient.segment(key)).path("tasks").properties()) {
            if ((task == null || task.equals(t.getKey())) && t.getValue().has("tests")) return true;
        }
        return false;
    }
}

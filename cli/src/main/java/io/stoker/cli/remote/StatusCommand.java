package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.engine.run.DurationText;
import io.stoker.engine.tests.TestSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code stoker status}: one run with a table of its tasks. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run: its status, the server running it, trigger and who started it, branch or tag, pull request, commit, parameters and the tasks its trigger selected, who cancelled it, a table of its tasks"
                + " (a task starting waits for an agent: its REASON says for which, and why each is busy or away),"
                + " each approval gate's question (who may decide until when, or who decided), and the images its"
                + " tasks ran in (with their image IDs) and pushed (with the registry's manifest digests, which pull);"
                + " and each task's test counts when its Jobfile names testReports (the failed cases: stoker tests RUN).",
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
        // while it runs: the server whose log and agents to look at
        JsonNode server = run.path("server");
        if (server.isObject()) {
            String id = server.path("id").asText();
            line("server", server.path("address").asText(id) + " (" + id + ")");
        }
        line("trigger", run.path("trigger").asText(null));
        // the user whose token or session started it, or whom a git host's push names; none for cron, poll…
        line("started by", run.path("startedBy").asText(null));
        String rerunOf = run.path("rerunOf").asText(null);
        if (rerunOf != null) {
            String from = run.path("rerunFrom").asText(null);
            line("rerun of", rerunOf + (from != null ? " from " + from
                    : run.path("rerunFailed").asBoolean() ? ", its failed tasks" : ""));
        }
        line("branch", run.path("branch").asText(null));
        line("tag", run.path("tag").asText(null));
        line("pr", pullRequest(run.path("pr")));
        line("commit", run.path("commit").asText(null));
        List<String> params = new ArrayList<>();
        run.path("parameters").properties().forEach(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
        line("parameters", params.isEmpty() ? null : String.join(" ", params));
        // a run of some tasks: the others were skipped, and it published no version
        List<String> selected = new ArrayList<>();
        run.path("selectedTasks").forEach(n -> selected.add(n.asText()));
        line("only", selected.isEmpty() ? null : io.stoker.cli.run.SelectedTasks.phrase(selected));
        line("created", InstantText.of(run.path("createdAt")));
        line("started", InstantText.of(run.path("startedAt")));
        line("finished", InstantText.of(run.path("finishedAt")));
        // the first start stays "started"; a restart that queued the run again started it once more
        line("restarted", InstantText.of(run.path("restartedAt")));
        String cancelledBy = run.path("cancelledBy").asText(null);
        if (cancelledBy != null) line("cancelled", "by " + cancelledBy + " at " + InstantText.of(run.path("cancelledAt"), "?"));
        out().println();
        Table t = new Table("TASK", "STATUS", "EXIT", "ATTEMPTS", "STARTED", "FINISHED", "REASON");
        run.path("tasks").properties().forEach(e -> {
            JsonNode task = e.getValue();
            String status = task.path("status").asText();
            // an exit code means something only for a process that ran to its end
            String exit = EXITED.contains(status) ? task.path("exitCode").asText(null) : null;
            // failed, but the Jobfile allows it: the run went on as after a success
            String shown = task.path("allowedFailure").asBoolean() ? status + " (allowed to fail)" : status;
            t.row(e.getKey(), shown, exit, task.path("attempts").asText(null), InstantText.of(task.path("startedAt")),
                    InstantText.of(task.path("finishedAt")), RunLog.reasonBeside(status, task.path("reason").asText(null)));
        });
        t.print(out());
        printTests(run.path("tasks"));
        printGates(run.path("tasks"));
        Table images = new Table("TASK", "IMAGE", "USE", "ID / DIGEST");
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

    /** A pull or merge request's run: {@code #7 into main}, and whether a fork's run went without secrets. */
    static String pullRequest(JsonNode pr) {
        if (!pr.isObject()) return null;
        return "#" + pr.path("number").asText() + " into " + pr.path("targetBranch").asText()
                + (pr.path("secretsWithheld").asBoolean() ? " (a fork's: secrets withheld)" : "");
    }

    /** Each task's test counts, from the JUnit XML reports its Jobfile names; nothing when no task has any. */
    private void printTests(JsonNode tasks) {
        boolean first = true;
        boolean failed = false;
        for (var e : tasks.properties()) {
            JsonNode tests = e.getValue().path("tests");
            if (!tests.isObject()) continue;
            if (first) {
                out().println();
                out().println("tests:");
                first = false;
            }
            int failedCases = tests.path("failed").asInt();
            int errors = tests.path("errors").asInt();
            out().printf("  %s: %s in %s%n", e.getKey(),
                    TestSummary.counts(tests.path("total").asInt(), failedCases, errors, tests.path("skipped").asInt()),
                    DurationText.of(tests.path("durationMs").asLong()));
            failed |= failedCases + errors > 0;
        }
        if (failed) out().println("  the failed cases: stoker tests " + key);
    }

    /** Each task's approval gate, as the run's page shows it: what is asked of whom until when, or who decided. */
    private void printGates(JsonNode tasks) {
        boolean first = true;
        for (var e : tasks.properties()) {
            JsonNode gate = e.getValue().path("approval");
            if (gate.isMissingNode() || gate.isNull()) continue;
            if (first) {
                out().println();
                out().println("approvals:");
                first = false;
            }
            out().printf("  %s: %s%n", e.getKey(), gate.path("question").asText());
            String status = gate.path("status").asText();
            List<String> approvers = new ArrayList<>();
            gate.path("approvers").forEach(a -> approvers.add(a.asText()));
            if (status.equals("waiting")) {
                out().printf("    waiting for %s; rejected if undecided by %s%n", approvers.isEmpty()
                        ? "anyone who may change the run" : "one of: " + String.join(", ", approvers)
                        + " (or an admin)", InstantText.of(gate.path("deadline"), "?"));
                out().printf("    stoker approve %s %s   |   stoker reject %s %s%n", key, e.getKey(), key, e.getKey());
            } else if (status.equals("undecided")) {
                out().println("    not decided");
            } else {
                String comment = gate.path("comment").asText("");
                out().printf("    %s by %s at %s%s%n", status, gate.path("decidedBy").asText("nobody (no decision in time)"),
                        InstantText.of(gate.path("decidedAt"), "?"), comment.isEmpty() ? "" : ": " + comment);
            }
        }
    }

    private void line(String label, String value) {
        if (value != null && !value.isBlank()) out().printf("  %-11s %s%n", label + ":", value);
    }
}

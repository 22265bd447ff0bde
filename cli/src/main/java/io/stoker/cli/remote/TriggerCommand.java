package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.run.SelectedTasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code stoker trigger}: starts a run of a job and, with {@code --follow}, shows it live to its outcome. */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = {"Start a run of a job on the server and print its key and number.",
                "With --follow, stream the run's log live (every task, lines prefixed with [task]) until it ends; "
                        + "the exit code is then the run's outcome."},
        footer = {"", "Examples:",
                "  stoker trigger shop/build -p greeting=hi --follow",
                "  stoker trigger nightly --queue",
                "  stoker trigger shop v1.4.0                   (the tag v1.4.0; 'latest': the",
                "                                                branch's head)",
                "  stoker trigger shop/release --force-publish  (admins: replace the version",
                "                                                the run publishes)",
                "  stoker trigger shop/build --task test        (test and what it needs; the",
                "                                                others are skipped)",
                "",
                "Exit codes: 0 triggered (with --follow: the run succeeded), 1 with --follow: the run failed, timed "
                        + "out or was cancelled, 2 refused (unknown project, job, parameter or task; a deploy target's job, deploy-TARGET: "
                        + "stoker deploy deploys; a busy "
                        + "concurrency-limited job without --queue, --force-publish without the admin role) or bad usage, "
                        + "3 the server cannot be reached (with --follow: not again within $STOKER_RECONNECT_WITHIN) "
                        + "or failed."})
public final class TriggerCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "PROJECT[/JOB]",
            description = "the job to run; the job name may be left out when the project has only one job")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TAG|latest",
            description = "the revision to build (git projects): a tag (or branch or commit), or 'latest' for the head "
                    + "of the project's branch, which is also what is built when it is left out")
    String revision;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "a job parameter (repeatable; a key given again replaces the value before, so a script can override a default); undeclared or invalid ones are refused")
    java.util.List<String> parameters;

    @Option(names = "--ref", paramLabel = "REF",
            description = "branch, tag or commit to build (git projects; default: the project's branch)")
    String ref;

    @Option(names = "--task", paramLabel = "TASK", description = "run only TASK and what it needs, directly or not"
            + " (its needs and pipe writers); the job's other tasks are skipped and no version is published. A matrix"
            + " task's name selects all its cells, test[jdk=17] one cell; repeat for several")
    List<String> tasks;

    @Option(names = "--force-publish",
            description = "let the run's publish replace a version that exists, instead of failing the run (admins only; audited)")
    boolean forcePublish;

    @Mixin
    RunStartOptions start;

    @Override
    int call(StokerClient client) {
        // the command line's own mistakes are told before the server is asked for the project's only job
        int slash = target.indexOf('/');
        String project = slash < 0 ? target : target.substring(0, slash);
        if (project.isEmpty() || slash == target.length() - 1) {
            throw CliException.usage("expected PROJECT or PROJECT/JOB, not '" + target + "'");
        }
        if (revision != null && ref != null) throw CliException.usage("give the revision once: as TAG or with --ref, not both");
        Map<String, String> values = io.stoker.cli.run.KeyValues.parse(parameters, "-p");
        List<String> named = SelectedTasks.named(tasks);
        String job = slash < 0 ? onlyJob(client, project) : target.substring(slash + 1);
        String buildRef = revision == null || revision.equals("latest") ? ref : revision;

        String path = "/projects/" + StokerClient.segment(project) + "/jobs/" + StokerClient.segment(job) + "/runs"
                + (start.queue ? "?queue=true" : "");
        JsonNode queued = client.post(path, StokerClient.map("parameters", values, "ref", buildRef,
                "forcePublish", forcePublish ? Boolean.TRUE : null, "tasks", named), refused ->
                "busy".equals(refused.error())
                        ? refused.withoutDetails().toCli("job " + project + "/" + job + " is busy: " + busy(refused)
                        + "; use --queue to queue this run")
                        : client.refused(refused.withOptions(Map.of("tasks", "--task"))));
        String key = queued.path("key").asText();
        out().println("run " + key + " (#" + queued.path("number").asText() + ", " + project + "/" + job + ") "
                + queued.path("status").asText());
        out().flush();
        return start.followIfAsked(client, key, out(), err());
    }

    private static String onlyJob(StokerClient client, String project) {
        JsonNode p = client.get("/projects/" + StokerClient.segment(project));
        List<String> jobs = new ArrayList<>();
        p.path("jobs").forEach(j -> jobs.add(j.asText()));
        if (jobs.size() == 1) return jobs.getFirst();
        if (jobs.isEmpty()) throw CliException.invalid("project " + project + " has no jobs");
        throw CliException.invalid("project " + project + " has " + jobs.size() + " jobs; name one as PROJECT/JOB:"
                + jobs.stream().map(j -> System.lineSeparator() + "  " + project + "/" + j).reduce("", String::concat));
    }

    /** Why a job is busy, in the CLI's words, from the refusal's {@code concurrency} detail. */
    static String busy(ApiError refused) {
        String limit = refused.detail("concurrency");
        if (limit == null || !limit.matches("\\d+")) return "it allows only so many runs at once and they are going";
        int n = Integer.parseInt(limit);
        return "it allows " + n + " run" + (n == 1 ? "" : "s") + " at a time (concurrency " + n + ") and "
                + (n == 1 ? "one is" : "they are") + " going";
    }
}

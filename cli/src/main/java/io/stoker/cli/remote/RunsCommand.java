package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code stoker runs}: a page of runs, newest first, filtered like {@code GET /runs}. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List runs, newest first, 50 to a page, optionally filtered.",
                "The REF column is the branch a run was built from, or tag:NAME for a tag push's run."},
        footer = {"", "Run statuses (for --status): queued running succeeded failed timedout cancelled.",
                RemoteCommand.EXIT_CODES})
public final class RunsCommand extends RemoteCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROJECT[/JOB]",
            description = "only runs of this project, or of this job of it: the same as --project P or --job P/J")
    String scope;

    @Option(names = "--project", paramLabel = "P", description = "only runs of this project")
    String project;

    @Option(names = "--job", paramLabel = "J",
            description = "only runs of jobs with this name; PROJECT/JOB (as trigger takes it) also names the project")
    String job;

    @Option(names = "--status", paramLabel = "S", description = "only runs with this status")
    String status;

    @Option(names = "--branch", paramLabel = "B", description = "only runs built from this branch")
    String branch;

    @Option(names = "--trigger", paramLabel = "T",
            description = "only runs started this way: api, rerun, push, pull-request, webhook, cron, poll, upstream, startup, deploy or shuttle")
    String trigger;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "the page to show (default: ${DEFAULT-VALUE})")
    int page;

    @Option(names = "--json", description = "print the server's JSON instead of a table")
    boolean json;

    /** What a run's status can be; the server's filter takes a task's states too, which match no run. */
    static final java.util.List<String> STATUSES = java.util.Arrays.stream(io.stoker.engine.run.RunState.values())
            .map(io.stoker.engine.run.RunState::label).toList();

    /** The server's last page number (its {@code page} query parameter's bound). */
    static final int MAX_PAGE = 1_000_000;

    @Override
    int call(StokerClient client) {
        // checked here, so the mistake is named as typed (the server would name its query parameter, 'page')
        if (page < 1 || page > MAX_PAGE) {
            throw io.stoker.cli.CliException.usage("--page must be a whole number from 1 to " + MAX_PAGE + ", not " + page);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw io.stoker.cli.CliException.usage("unknown status '" + status + "': a run's status is one of "
                    + String.join(", ", STATUSES));
        }
        scope();
        splitJob();
        JsonNode reply = client.get(StokerClient.query("/runs", StokerClient.map("project", project, "job", job,
                "status", status, "branch", branch, "trigger", trigger, "page", page)));
        if (json) {
            out().println(reply.toPrettyString());
            return 0;
        }
        long total = reply.path("total").asLong();
        // an empty list for a mistyped project would read as "it has no runs yet": the server says which it is
        if (total == 0 && project != null) checkJob(client.get("/projects/" + StokerClient.segment(project)));
        Table t = new Table("KEY", "#", "JOB", "STATUS", "TRIGGER", "REF", "COMMIT", "CREATED");
        for (JsonNode r : reply.path("runs")) {
            t.row(r.path("key").asText(), r.path("number").asText(), r.path("project").asText() + "/" + r.path("job").asText(),
                    r.path("status").asText(), r.path("trigger").asText(null), ref(r),
                    ProjectListCommand.shortSha(r.path("commit").asText(null)), InstantText.of(r.path("createdAt")));
        }
        int size = Math.max(1, reply.path("pageSize").asInt(50));
        long pages = Math.max(1, (total + size - 1) / size);
        if (total == 0) {
            out().println("no runs");
            return 0;
        }
        String runs = total + " run" + (total == 1 ? "" : "s");
        if (t.isEmpty()) {
            out().println("no runs on page " + page + ": the last page is " + pages + " (" + runs + ")");
            return 0;
        }
        t.print(out());
        out().println("page " + page + " of " + pages + " (" + runs + ")");
        return 0;
    }

    /**
     * A job the project does not have matches no run, which would read as "it has not run yet": refused with the
     * jobs it has. A deploy target's job ({@code deploy-TARGET}) is not among the Jobfile's jobs, nor is a job
     * since removed from it (whose runs the project keeps, so it does not come here).
     */
    private void checkJob(JsonNode projectReply) {
        if (job == null || job.startsWith("deploy-")) return;
        java.util.List<String> jobs = new java.util.ArrayList<>();
        projectReply.path("jobs").forEach(j -> jobs.add(j.asText()));
        if (jobs.isEmpty() || jobs.contains(job)) return;
        throw io.stoker.cli.CliException.invalid("project '" + project + "' has no job '" + job + "' (jobs: "
                + String.join(", ", jobs) + ")");
    }

    /**
     * {@code stoker runs shop/build} as {@code --job shop/build}, {@code stoker runs shop} as {@code --project shop}:
     * how {@code trigger}, {@code status} and {@code jobs} name them (it was refused as an unexpected argument).
     */
    private void scope() {
        if (scope == null) return;
        if (scope.isEmpty()) throw io.stoker.cli.CliException.usage("PROJECT[/JOB] is empty: name a project or PROJECT/JOB");
        if (scope.indexOf('/') < 0) {
            if (project != null && !project.equals(scope)) {
                throw io.stoker.cli.CliException.usage("PROJECT[/JOB] names project '" + scope + "', but --project says '"
                        + project + "'");
            }
            project = scope;
            return;
        }
        if (job != null) {
            throw io.stoker.cli.CliException.usage("name the job once: PROJECT/JOB '" + scope + "' or --job " + job);
        }
        job = scope;
    }

    /**
     * {@code --job shop/build} as {@code --project shop --job build}: a job's name holds no '/', and that is how
     * {@code trigger} and {@code status} name a job (it matched no run before, and said "no runs").
     */
    private void splitJob() {
        if (job == null || job.indexOf('/') < 0) return;
        String p = job.substring(0, job.indexOf('/'));
        String j = job.substring(job.indexOf('/') + 1);
        if (p.isEmpty() || j.isEmpty() || j.indexOf('/') >= 0) {
            throw io.stoker.cli.CliException.usage("--job takes a job's name or PROJECT/JOB, not '" + job + "'");
        }
        if (project != null && !project.equals(p)) {
            throw io.stoker.cli.CliException.usage("--job " + job + " names project '" + p + "', but --project says '"
                    + project + "'");
        }
        project = p;
        job = j;
    }

    /** What a run was built from: its branch, or {@code tag:NAME} for a tag's run (which has no branch), else none. */
    static String ref(JsonNode run) {
        String branch = run.path("branch").asText(null);
        if (branch != null) return branch;
        String tag = run.path("tag").asText(null);
        return tag == null ? null : "tag:" + tag;
    }
}

package io.stoker.cli.local;

import io.stoker.cli.ExitCode;
import io.stoker.cli.graph.DotGraph;
import io.stoker.server.job.JsonGraph;
import io.stoker.cli.graph.TextTree;
import io.stoker.cli.run.SelectedTasks;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code stoker graph}: draws a job's task graph. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Draw a Jobfile's task graph: a text tree (default), Graphviz DOT or JSON.",
                "Without --job, every job is drawn (text) or the only job is (dot, json; and with --task)."})
public final class GraphCommand implements Callable<Integer> {

    public enum Format { text, dot, json }

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the Jobfile, a directory holding one (default: the current directory), or - to read it "
                    + "from stdin (its syntax told by its start: { is JSON, a top-level key such as jobs: YAML, else "
                    + "Groovy; problems shown as stdin:LINE:COL)")
    Path file;

    @Option(names = {"-j", "--job"}, paramLabel = "JOB", description = "the job to draw")
    String job;

    @Option(names = "--task", paramLabel = "TASK", description = "draw only TASK and what it needs, directly or not,"
            + " as stoker run --task runs them (a matrix task's name: all its cells); repeat for several")
    List<String> tasks;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, dot or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Jobfile jobfile = JobfileSource.locateOrStdin(file, System.in).compile(spec.commandLine().getErr());
        // a task is a task of one job: --task draws the one chosen as for any format
        List<Job> jobs = job == null && format == Format.text && (tasks == null || tasks.isEmpty()) ? jobfile.jobs()
                : List.of(JobfileSource.chooseJob(jobfile, job));
        if (tasks != null && !tasks.isEmpty()) {
            jobs = List.of(SelectedTasks.of(jobs.getFirst(), tasks).cut(jobs.getFirst()));
        }
        var out = spec.commandLine().getOut();
        for (Job j : jobs) {
            out.print(switch (format) {
                case text -> TextTree.render(j);
                case dot -> DotGraph.render(j);
                case json -> JsonGraph.render(j);
            });
        }
        out.flush();
        return ExitCode.OK;
    }
}

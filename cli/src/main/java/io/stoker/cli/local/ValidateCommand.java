package io.stoker.cli.local;

import io.stoker.cli.ExitCode;
import io.stoker.model.Jobfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code stoker validate}: compiles a Jobfile and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Compile and validate a Jobfile without running anything.",
                "Prints 'OK: N jobs, M tasks', or every problem as FILE:LINE:COL: message and exits 2."})
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the Jobfile, a directory holding one (default: the current directory), or - to read it "
                    + "from stdin (its syntax told by its start: { is JSON, a top-level key such as jobs: YAML, else "
                    + "Groovy; problems shown as stdin:LINE:COL)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Jobfile jobfile = JobfileSource.locateOrStdin(file, System.in).compile(spec.commandLine().getErr());
        int jobs = jobfile.jobs().size();
        int tasks = jobfile.taskCount();
        spec.commandLine().getOut().printf("OK: %d %s, %d %s%n", jobs, jobs == 1 ? "job" : "jobs",
                tasks, tasks == 1 ? "task" : "tasks");
        return ExitCode.OK;
    }
}

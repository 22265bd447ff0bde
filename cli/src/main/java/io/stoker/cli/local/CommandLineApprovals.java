package io.stoker.cli.local;

import io.stoker.cli.CliException;
import io.stoker.engine.approval.ApprovalPort;
import io.stoker.engine.approval.ApprovalRequest;
import io.stoker.engine.approval.Decision;
import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A local run's approval gates: nobody else is there to ask, so the person running it decides up front. The gates of
 * the tasks named with {@code --approve} (a matrix task's name covers its cells), or every gate with
 * {@code --approve-all}, are approved in their name; the others are rejected, saying how to approve them, and the run
 * takes its failure path as on a server where someone rejected them.
 *
 * @param approved the task names approved (names or matrix base names)
 * @param all      every gate approved
 * @param user     who approves: the person running the command
 */
record CommandLineApprovals(Set<String> approved, boolean all, String user) implements ApprovalPort {

    /** The approvals asked for, refusing a name that is no gated task of {@code job}. */
    static CommandLineApprovals of(List<String> names, boolean all, Job job) {
        Set<String> gated = new TreeSet<>();
        for (Task t : job.tasks()) {
            if (t.approval() == null) continue;
            gated.add(t.name());
            gated.add(t.baseName());
        }
        Set<String> approved = new TreeSet<>(names == null ? List.of() : names);
        for (String name : approved) {
            if (!gated.contains(name)) {
                throw CliException.invalid("--approve " + name + ": job '" + job.name() + "' has no task '" + name
                        + "' with an approval gate" + (gated.isEmpty() ? " (it has no gates)"
                        : " (gated: " + String.join(", ", gated) + ")"));
            }
        }
        return new CommandLineApprovals(Set.copyOf(approved), all, System.getProperty("user.name", "you"));
    }

    @Override
    public CompletableFuture<Decision> ask(ApprovalRequest request) {
        if (all || approved.contains(request.task()) || approved.contains(baseName(request.task()))) {
            return CompletableFuture.completedFuture(Decision.approved(user,
                    all ? "approved on the command line (--approve-all)" : "approved on the command line (--approve)"));
        }
        return CompletableFuture.completedFuture(Decision.rejected(null, "nobody can approve in a local run: "
                + "pass --approve " + baseName(request.task()) + " (or --approve-all) to approve it as you run it"));
    }

    /** A matrix cell's task name without its cell ({@code test[PY=3.12]} → {@code test}). */
    private static String baseName(String task) {
        int cell = task.indexOf('[');
        return cell > 0 ? task.substring(0, cell) : task;
    }
}

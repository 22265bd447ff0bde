package io.stoker.server.retention;

import io.stoker.server.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;

/**
 * The runs of a project that is deleted go with it, as a Jenkins job's builds do: a new project that takes the name
 * starts from run #1 and can rerun nothing of the old one (whose plan, secrets and members were another's). A project
 * with runs still going is not deleted: they are cancelled first, by the user.
 */
public final class DeletedProjectRuns {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedProjectRuns.class);

    private final RetentionRepository runs;
    private final RunRetention retention;

    public DeletedProjectRuns(RetentionRepository runs, RunRetention retention) {
        this.runs = runs;
        this.retention = retention;
    }

    /** Refuses (409) the deletion of a project that has runs queued, running or waiting. */
    public void refuseWhileGoing(String project) throws SQLException {
        List<String> going = runs.going(project);
        if (!going.isEmpty()) {
            throw new Refused.Conflict("runs-going", "project '" + project + "' has " + going.size()
                    + (going.size() == 1 ? " run" : " runs") + " not ended: cancel " + (going.size() == 1 ? "it" : "them")
                    + " first (stoker cancel KEY), then delete the project", going);
        }
    }

    /** Deletes the finished runs of a deleted project: their rows, tasks, log streams, logs and artifacts. */
    public void forget(String project) throws SQLException {
        int discarded = retention.discard(runs.finishedOf(project));
        if (discarded > 0) LOG.info("project {} deleted with its {}", project, io.stoker.model.Plural.of(discarded, "run"));
    }
}

package io.stoker.server.trigger;

import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.project.ProjectService;
import io.stoker.server.project.StoredJob;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs a starting server queues: the {@code PROJECT/JOB}s given with {@code --run} and every job that says
 * {@code runOnStartup true}, each once, with trigger {@code startup}. A {@code --run} naming no job is a start error
 * (checked by {@link #check} before the server listens); a run that cannot be queued later is logged and skipped.
 */
public final class StartupRuns {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRuns.class);

    private StartupRuns() {
    }

    /** Fails with the reason when a {@code --run} names a project or job that does not exist. */
    public static void check(ProjectService projects, List<String> explicit) throws Exception {
        for (String run : explicit) {
            String[] pj = run.split("/", 2);
            try {
                projects.job(pj[0], pj[1]);
            } catch (Problem | Refused e) {
                throw new IllegalArgumentException("--run " + run + ": " + e.getMessage());
            }
        }
    }

    /** Queues the startup runs; returns their keys. */
    public static List<String> start(ProjectService projects, RunService runs, List<String> explicit) throws Exception {
        Set<String> wanted = new LinkedHashSet<>(explicit);
        for (StoredJob j : projects.jobs()) {
            if (j.job().triggers().onStartup()) wanted.add(j.project() + "/" + j.job().name());
        }
        List<String> keys = new ArrayList<>();
        for (String run : wanted) {
            String[] pj = run.split("/", 2);
            String why = explicit.contains(run) ? "--run" : "runOnStartup";
            try {
                var queued = runs.trigger(pj[0], pj[1], Map.of(), null, Map.of("startup", Map.of("reason", why)),
                        "startup", true);
                keys.add(queued.key());
                LOG.info("startup run {} of {} queued ({})", queued.number(), run, why);
            } catch (Problem | Refused e) {
                LOG.warn("startup run of {} not queued: {}", run, e.getMessage());
            }
        }
        return keys;
    }
}

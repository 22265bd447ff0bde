package io.stoker.server.console;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every job's last runs in one query (a window over the runs index), for the dashboard: the last run's key, status
 * and duration, and a health score from the last five runs, as Jenkins shows its weather icons. A cancelled run says
 * nothing of the job's health (a person stopped it), so it is left out, as Jenkins leaves aborted builds out.
 */
public final class JobHealth {
    /** Runs looked at per job. */
    public static final int RECENT = 5;
    /** The ends that count towards health: a run that ended on its own, not one a person cancelled. */
    private static final Set<String> JUDGED = Set.of("succeeded", "failed", "timedout");

    /**
     * @param health percent of the recent runs that ended on their own (not cancelled) that succeeded; null with none
     */
    public record Summary(String lastRun, Long lastNumber, String lastStatus, Long lastDurationMillis, Integer health,
                          List<String> recent) {
    }

    private final Database db;

    public JobHealth(Database db) {
        this.db = db;
    }

    /** Keyed by {@code project/job}. */
    public Map<String, Summary> all() throws SQLException {
        Map<String, List<Object[]>> byJob = new LinkedHashMap<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT project, job, run_key, status, started_at, finished_at, number FROM (SELECT project, job, "
                        + "run_key, status, started_at, finished_at, number, ROW_NUMBER() OVER (PARTITION BY project, job ORDER BY id "
                        + "DESC) AS n FROM runs) r WHERE n <= ? ORDER BY project, job, n")) {
            s.setInt(1, RECENT);
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                byJob.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new ArrayList<>())
                        .add(new Object[]{rs.getString(3), rs.getString(4), rs.getTimestamp(5), rs.getTimestamp(6), rs.getLong(7)});
            }
        }
        Map<String, Summary> out = new LinkedHashMap<>();
        byJob.forEach((job, rows) -> out.put(job, summary(rows)));
        return out;
    }

    static Summary summary(List<Object[]> newestFirst) {
        Object[] last = newestFirst.getFirst();
        Timestamp started = (Timestamp) last[2];
        Timestamp finished = (Timestamp) last[3];
        Long duration = started != null && finished != null ? finished.getTime() - started.getTime() : null;
        List<String> recent = newestFirst.stream().map(r -> (String) r[1]).toList();
        List<String> done = recent.stream().filter(JUDGED::contains).toList();
        Integer health = done.isEmpty() ? null
                : (int) (100 * done.stream().filter("succeeded"::equals).count() / done.size());
        return new Summary((String) last[0], (Long) last[4], (String) last[1], duration, health, recent);
    }
}

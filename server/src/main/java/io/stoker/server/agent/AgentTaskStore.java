package io.stoker.server.agent;

import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskState;
import io.stoker.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Which agent each running task holds an executor slot on, as the store records it ({@code task_states.agent}).
 * A server knows only the slots it handed out itself; in a cluster the others' are read here, so "this agent is
 * busy" and the executors shown are the same through every server.
 */
public final class AgentTaskStore implements AgentRouter.Placements, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTaskStore.class);
    private static final String TASK = "WHERE run_id = (SELECT id FROM runs WHERE run_key = ?) AND name = ?";

    private final Database db;
    /** Writes the slots given back, in order and off the threads that end attempts (SSH threads among them). */
    private final ExecutorService writes = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("agent-task-store").daemon().factory());

    public AgentTaskStore(Database db) {
        this.db = db;
    }

    /** The task took a slot on {@code agent}: stored before the attempt starts there (failures are only logged). */
    @Override
    public void started(CurrentTask task, String agent) {
        try {
            update("UPDATE task_states SET agent = ? " + TASK, agent, task.run(), task.task());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("run {} task {}: cannot store that it runs on agent {}: {}", task.run(), task.task(), agent, e.toString());
        }
    }

    /** The task gave its slot on {@code agent} back (written a moment later, after what was asked before). */
    @Override
    public void ended(CurrentTask task, String agent) {
        try {
            writes.execute(() -> {
                try {
                    update("UPDATE task_states SET agent = NULL " + TASK + " AND agent = ?", task.run(), task.task(), agent);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("run {} task {}: cannot store that it left agent {}: {}", task.run(), task.task(), agent,
                            e.toString());
                }
            });
        } catch (RejectedExecutionException closing) {
            // the server stops; its runs are failed or taken over, which ends their tasks' rows too
        }
    }

    /** The running tasks of running runs holding a slot on an agent, by agent name (any server's runs). */
    public Map<String, List<CurrentTask>> running() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT t.agent, r.run_key, t.name FROM task_states t "
                     + "JOIN runs r ON r.id = t.run_id WHERE t.agent IS NOT NULL AND t.status = ? AND r.status = ? "
                     + "ORDER BY r.run_key, t.name")) {
            s.setString(1, TaskState.RUNNING.label());
            s.setString(2, RunState.RUNNING.label());
            Map<String, List<CurrentTask>> out = new TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new CurrentTask(rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    private void update(String sql, String... values) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) s.setString(i + 1, values[i]);
            s.executeUpdate();
        }
    }

    @Override
    public void close() {
        writes.shutdown();
        try {
            if (!writes.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("agent task writes still pending at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.stoker.server.run;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.approval.Decision;
import io.stoker.engine.approval.Gate;
import io.stoker.engine.image.ImageDigest;
import io.stoker.engine.tests.TestSummary;
import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskRecord;
import io.stoker.engine.run.TaskState;
import io.stoker.model.Job;
import io.stoker.model.Task;
import io.stoker.server.db.Database;
import io.stoker.server.db.Dialect;
import io.stoker.server.db.Json;
import io.stoker.server.git.GitMirrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs and task states in the store (H2 or PostgreSQL), plain JDBC. Blocking; thread-safe. */
public final class RunRepository {
    /** How many runs' models {@link #model} keeps read (a model never changes once its run is stored). */
    private static final int MODELS_KEPT = 256;
    /**
     * The columns a {@link RunRow} is made of. Not the model: a large object, which H2 copies into every result that
     * holds it and keeps for minutes (see {@link Database}), and which a row does not use.
     */
    private static final String ROW_COLUMNS = "id, run_key, number, project, job, trigger_kind, git_url, commit_sha,"
            + " branch, parameters, metadata, status, reason, rerun_of, rerun_from, created_at, started_at, finished_at,"
            + " pr_number, pr_target_branch, secrets_withheld, force_publish, cancelled_by, cancel_asked_at, restarted_at, tag,"
            + " selected_tasks, rerun_failed";

    private final Database db;
    /** The last models read or stored, by run key: each read costs a large-object read and a JSON parse. */
    private final Cache<String, Job> models = Caffeine.newBuilder().maximumSize(MODELS_KEPT).build();
    private final String holder;

    /** The store of a single server: every run it saves is its own. */
    public RunRepository(Database db) {
        this(db, null);
    }

    /**
     * The store of one server of a cluster: {@code holder} is its id; the engine's saves of a run another server
     * holds now (it took the run over when this one's lease ran out) are dropped.
     */
    public RunRepository(Database db, String holder) {
        this.db = db;
        this.holder = holder;
    }

    /**
     * Takes the credentials out of the git URLs that runs of a version before this one stored as their project's URL
     * was given ({@code https://user:token@host/…}); how many. Once at the server's start.
     */
    public int dropGitUrlCredentials() throws SQLException {
        int dropped = 0;
        try (Connection c = db.connection();
             PreparedStatement read = c.prepareStatement("SELECT id, git_url FROM runs WHERE LOWER(git_url) LIKE 'http%://%@%' "
                     // only URLs with credentials: ssh://git@host/… and git@host:path, kept as they are, are not read
                     // again at every start
                     + "OR git_url LIKE '%://%:%@%'");
             PreparedStatement write = c.prepareStatement("UPDATE runs SET git_url = ? WHERE id = ? AND git_url = ?")) {
            ResultSet rs = read.executeQuery();
            while (rs.next()) {
                String given = rs.getString(2);
                String bare = GitMirrors.withoutCredentials(given);
                if (bare.equals(given)) continue;
                write.setString(1, bare);
                write.setLong(2, rs.getLong(1));
                write.setString(3, given);
                dropped += write.executeUpdate();
            }
        }
        return dropped;
    }

    /**
     * Inserts a queued run with its next per-job number and a pending row per task; returns the number. Within one
     * server the lock orders the numbering; another server on the same PostgreSQL database may take the number
     * first, and the unique (project, job, number) key then sends this one round again with the next.
     */
    public long insert(NewRun run, Instant now) throws SQLException {
        return insertUnlessFired(run, now).orElseThrow(() -> new SQLException("firing " + run.firing()
                + " queued a run already", "23505"));
    }

    /**
     * Inserts like {@link #insert}, unless a run of the same {@link NewRun#firing} is stored already (another server
     * handled the same cron tick or poll): empty then, and nothing is written.
     */
    public synchronized java.util.OptionalLong insertUnlessFired(NewRun run, Instant now) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                java.util.OptionalLong number = insertOnce(run, now);
                // the dispatcher starts the run with this model: it needs no read of what was just written
                if (number.isPresent()) models.put(run.key(), run.job());
                return number;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || attempt == NUMBER_ATTEMPTS) throw e;
            }
        }
    }

    private static final int NUMBER_ATTEMPTS = 5;

    private java.util.OptionalLong insertOnce(NewRun run, Instant now) throws SQLException {
        return db.inTransaction(c -> {
            if (run.firing() != null) {
                // a unique key: of two servers inserting the same firing at once one fails, and its retry ends here
                try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM runs WHERE firing = ?")) {
                    s.setString(1, run.firing());
                    if (s.executeQuery().next()) return java.util.OptionalLong.empty();
                }
            }
            long number;
            // the last entry of the unique (project, job, number) index: one index read however many runs the job
            // has (H2 scans every run of the job for MAX(number) under a WHERE; it reads an index backwards only
            // when the ORDER BY names all of the index's columns)
            try (PreparedStatement s = c.prepareStatement("SELECT number FROM runs WHERE project = ? AND job = ?"
                    + " ORDER BY project DESC, job DESC, number DESC FETCH FIRST ROW ONLY")) {
                s.setString(1, run.project());
                s.setString(2, run.job().name());
                ResultSet rs = s.executeQuery();
                number = rs.next() ? rs.getLong(1) + 1 : 1;
            }
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (run_key, project, job, number, trigger_kind, "
                    + "commit_sha, branch, parameters, metadata, model, status, rerun_of, rerun_from, created_at, git_url, "
                    + "pr_number, pr_target_branch, secrets_withheld, force_publish, firing, tag, selected_tasks, "
                    // queued untold: a kill before its tellers queued their messages leaves it to the next start
                    + "rerun_failed, queued_told) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    new String[]{"id"})) {
                s.setString(1, run.key());
                s.setString(2, run.project());
                s.setString(3, run.job().name());
                s.setLong(4, number);
                s.setString(5, run.trigger());
                s.setString(6, run.commit());
                s.setString(7, run.branch());
                s.setString(8, Json.write(run.parameters()));
                s.setString(9, new StoredMetadata(run.metadata(), run.startedBy()).json());
                s.setString(10, Json.write(run.job()));
                s.setString(11, States.sql(RunState.QUEUED));
                s.setString(12, run.rerunOf());
                s.setString(13, run.rerunFrom());
                s.setObject(14, time(now));
                // a run never fetches (its project's mirror does): it keeps its URL without the credentials in it
                s.setString(15, run.gitUrl() == null ? null : GitMirrors.withoutCredentials(run.gitUrl()));
                if (run.pr() == null) s.setNull(16, java.sql.Types.BIGINT); else s.setLong(16, run.pr().number());
                s.setString(17, run.pr() == null ? null : run.pr().targetBranch());
                s.setBoolean(18, run.pr() != null && run.pr().secretsWithheld());
                s.setBoolean(19, run.forcePublish());
                s.setString(20, run.firing());
                s.setString(21, run.tag());
                s.setString(22, run.selectedTasks().isEmpty() ? null : Json.write(run.selectedTasks()));
                s.setBoolean(23, run.rerunFailed());
                s.executeUpdate();
                ResultSet keys = s.getGeneratedKeys();
                keys.next();
                id = keys.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO task_states (run_id, name, position, status) VALUES (?, ?, ?, ?)")) {
                int i = 0;
                for (Task t : run.job().tasks()) {
                    s.setLong(1, id);
                    s.setString(2, t.name());
                    s.setInt(3, i++);
                    s.setString(4, States.sql(TaskState.PENDING));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return java.util.OptionalLong.of(number);
        });
    }

    public Optional<RunRow> find(String key) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM runs WHERE run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            return Optional.of(row(rs, tasks(c, rs.getLong("id"))));
        }
    }

    /** The run numbered {@code number} of a project's job (numbers count per job from 1). */
    public Optional<RunRow> find(String project, String job, long number) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM runs WHERE project = ? AND job = ? AND number = ?")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setLong(3, number);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            return Optional.of(row(rs, tasks(c, rs.getLong("id"))));
        }
    }

    /** The numbers of the runs with these keys, by key; a key of no run (deleted since) is left out. */
    public Map<String, Long> numbers(java.util.Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) return Map.of();
        Map<String, Long> out = new java.util.HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key, number FROM runs WHERE run_key IN ("
                     + String.join(", ", java.util.Collections.nCopies(keys.size(), "?")) + ")")) {
            int i = 1;
            for (String key : keys) s.setString(i++, key);
            ResultSet rs = s.executeQuery();
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    /** The compiled job a run was queued with. */
    public Optional<Job> model(String key) throws SQLException {
        Job kept = models.getIfPresent(key);
        if (kept != null) return Optional.of(kept);
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT model FROM runs WHERE run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            Job job = Json.job(rs.getString(1));
            models.put(key, job);
            return Optional.of(job);
        }
    }

    /** A page of runs, newest first, without their tasks; and the total count matching. */
    public Page list(RunFilter f) throws SQLException {
        PageQuery q = PageQuery.of(f);
        try (Connection c = db.connection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement(q.count())) {
                q.bind(s);
                ResultSet rs = s.executeQuery();
                rs.next();
                total = rs.getLong(1);
            }
            List<RunRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(q.page())) {
                int next = q.bind(s);
                s.setInt(next, f.pageSize());
                s.setLong(next + 1, (long) (f.page() - 1) * f.pageSize());
                ResultSet rs = s.executeQuery();
                while (rs.next()) rows.add(row(rs, List.of()));
            }
            return new Page(rows, total);
        }
    }

    /**
     * The statements of {@link #list}: the count, and the page (its filter's arguments, then limit and offset).
     * Newest first in words an index's order matches: a column the filter fixes can lead the order without changing
     * it, and then H2 reads the page from the (project, job, id) or (status, id) index; ordered by {@code id} alone it
     * read every run of the job (or with the status) and sorted them for each page (5,001 rows for a page of 20).
     */
    record PageQuery(String count, String page, List<String> args) {
        static PageQuery of(RunFilter f) {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (f.project() != null) { where.append(" AND project = ?"); args.add(f.project()); }
            if (f.job() != null) { where.append(" AND job = ?"); args.add(f.job()); }
            if (f.status() != null) { where.append(" AND status = ?"); args.add(f.status()); }
            if (f.branch() != null) { where.append(" AND branch = ?"); args.add(f.branch()); }
            if (f.trigger() != null) { where.append(" AND trigger_kind = ?"); args.add(f.trigger()); }
            // keyset: what is older than that run, so runs added meanwhile do not shift the next page
            if (f.before() != null) { where.append(" AND id < (SELECT id FROM runs WHERE run_key = ?)"); args.add(f.before()); }
            String order = f.project() != null && f.job() != null ? "project DESC, job DESC, id DESC"
                    : f.status() != null ? "status DESC, id DESC" : "id DESC";
            return new PageQuery("SELECT COUNT(*) FROM runs" + where,
                    "SELECT " + ROW_COLUMNS + " FROM runs" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
                    List.copyOf(args));
        }

        /** Sets the filter's arguments; answers the index of the next parameter (the page's limit). */
        int bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < args.size(); i++) s.setString(i + 1, args.get(i));
            return args.size() + 1;
        }
    }

    /** One page of runs and how many match in all. */
    public record Page(List<RunRow> runs, long total) {
    }

    /** A queued run's place in the queue: its row id (queue order) and key. */
    public record Queued(long id, String key) {
    }

    /**
     * The queue page's statement (status, after id, limit). It orders by {@code status, id}, the (status, id) index's
     * own order: ordered by {@code id} alone, H2 read every queued run and sorted them for each page (3,001 rows
     * scanned for a page of 32 with 3,000 queued), so a dispatch cost the queue's length.
     */
    static final String QUEUE_PAGE = "SELECT id, run_key FROM runs WHERE status = ? AND id > ? ORDER BY status, id LIMIT ?";

    /**
     * Up to {@code limit} queued runs after row {@code afterId}, oldest first: a range of the (status, id) index, so a
     * dispatcher that needs the first few runs does not read the whole queue.
     */
    public List<Queued> queuedAfter(long afterId, int limit) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(QUEUE_PAGE)) {
            s.setString(1, States.sql(RunState.QUEUED));
            s.setLong(2, afterId);
            s.setInt(3, limit);
            ResultSet rs = s.executeQuery();
            List<Queued> out = new ArrayList<>();
            while (rs.next()) out.add(new Queued(rs.getLong(1), rs.getString(2)));
            return out;
        }
    }

    /** Keys of queued runs, oldest first. */
    public List<String> queuedKeys() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs WHERE status = ? ORDER BY status, id")) {
            s.setString(1, States.sql(RunState.QUEUED));
            ResultSet rs = s.executeQuery();
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    /**
     * The number of the oldest run of a job that a trigger of this kind queued and that is queued still, if any (a
     * schedule's tick folds into it rather than queueing one more).
     */
    public java.util.OptionalLong queuedBy(String project, String job, String trigger) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT number FROM runs WHERE project = ? AND job = ? AND status = ? AND trigger_kind = ? ORDER BY id LIMIT 1")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setString(3, States.sql(RunState.QUEUED));
            s.setString(4, trigger);
            ResultSet rs = s.executeQuery();
            return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
        }
    }

    /** How many runs of a job are queued or running. */
    public int active(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM runs WHERE project = ? AND job = ? AND status IN (?, ?)")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setString(3, States.sql(RunState.QUEUED));
            s.setString(4, States.sql(RunState.RUNNING));
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The keys of the job's runs older than run {@code number} that a push to {@code branch} (with {@code pr} null)
     * or an update of pull request {@code pr} queued and that are still queued or going, oldest first.
     */
    public List<String> supersededBy(String project, String job, String branch, Long pr, long number)
            throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT run_key FROM runs WHERE project = ? AND job = ? AND number < ? AND status IN (?, ?)"
                        + " AND trigger_kind IN ('push', 'pull-request') AND "
                        + (pr == null ? "pr_number IS NULL AND branch = ?" : "pr_number = ?") + " ORDER BY number")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setLong(3, number);
            s.setString(4, States.sql(RunState.QUEUED));
            s.setString(5, States.sql(RunState.RUNNING));
            if (pr == null) s.setString(6, branch); else s.setLong(6, pr);
            ResultSet rs = s.executeQuery();
            List<String> keys = new ArrayList<>();
            while (rs.next()) keys.add(rs.getString(1));
            return keys;
        }
    }

    /** The newest run's status of every job that has run: "project/job" → status. */
    public Map<String, RunState> lastStatuses() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT r.project, r.job, r.status FROM runs r JOIN (SELECT project, job, MAX(id) AS id FROM runs "
                        + "GROUP BY project, job) m ON r.id = m.id")) {
            ResultSet rs = s.executeQuery();
            Map<String, RunState> out = new LinkedHashMap<>();
            while (rs.next()) out.put(rs.getString(1) + "/" + rs.getString(2), States.run(rs.getString(3)));
            return out;
        }
    }

    /**
     * How a start is stamped (two parameters, both the time): the first start is the run's {@code started_at}; a run a
     * restart queued again keeps it and has the new start as {@code restarted_at} (the right-hand sides read the row
     * as it was before the update). Its start is untold ({@code start_told} 0) in the same transaction, so a crash
     * before its tellers queued their messages leaves it to be told ({@code endnews.StartsTold}).
     */
    private static final String START =
            ", restarted_at = CASE WHEN started_at IS NULL THEN NULL ELSE CAST(? AS TIMESTAMP WITH TIME ZONE) END, "
            + "started_at = COALESCE(started_at, ?), start_told = 0";

    /** A queued run starts: {@code queued → running}; false when it was not queued any more. */
    public boolean start(String key, Instant now) throws SQLException {
        return transition(key, RunState.QUEUED, RunState.RUNNING, "", now);
    }

    /**
     * A queued run starts on the server {@code holder}, which holds it for {@code lease} by the database's clock (renewed by
     * {@link #renewLeases}): {@code queued → running}. The row is locked, waiting for a transaction that holds it
     * (another server's claim, a teller marking news told): it then reads the row as that one left it, so a run
     * claimed meanwhile is not queued any more. It was locked with {@code SKIP LOCKED} (never waiting), which took
     * any other holder of the row for a claimer: a run whose commit-status teller marked it the moment it was
     * queued stayed queued until the next heartbeat looked at the queue again (40 s with a 120 s lease). False when
     * another server claimed it, or it is not queued, or its
     * job with {@code concurrency} (0: no limit) has that many runs running already, on any server. Claims of one
     * job's runs take a lock of that job for their transaction (on PostgreSQL), so two servers claiming at once each
     * count the other's claim: the limit holds cluster-wide, not only per server.
     */
    public boolean claim(String key, String holder, int concurrency, Instant now, Duration lease) throws SQLException {
        return db.inTransaction(c -> {
            long id;
            String project;
            String job;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, project, job FROM runs WHERE run_key = ? AND status = ? FOR UPDATE")) {
                s.setString(1, key);
                s.setString(2, States.sql(RunState.QUEUED));
                ResultSet rs = s.executeQuery();
                if (!rs.next()) return false;
                id = rs.getLong(1);
                project = rs.getString(2);
                job = rs.getString(3);
            }
            if (concurrency > 0 && runningOf(c, project, job) >= concurrency) return false;
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET status = ?, reason = ''" + START
                    + ", held_by = ?, leased_until = " + db.dialect().nowPlusSeconds() + " WHERE id = ?")) {
                s.setString(1, States.sql(RunState.RUNNING));
                s.setObject(2, time(now));
                s.setObject(3, time(now));
                s.setString(4, holder);
                s.setDouble(5, seconds(lease));
                s.setLong(6, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    /**
     * How many runs of a job are running, counted under the job's lock (PostgreSQL: a transaction-scoped advisory
     * lock named by the job, released at commit, after which the next claimer's count sees this claim). H2 has one
     * server, whose dispatcher claims on one thread: no lock is needed there.
     */
    private int runningOf(Connection c, String project, String job) throws SQLException {
        if (db.dialect() == Dialect.POSTGRESQL) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, "stoker-job\n" + project + "\n" + job);
                s.executeQuery();
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM runs WHERE project = ? AND job = ? AND status = ?")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setString(3, States.sql(RunState.RUNNING));
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The server's heartbeat: every run it holds is leased to it for {@code lease} more, by the database's clock
     * (zero ends the leases now: a server leaving); returns how many.
     */
    public int renewLeases(String holder, Duration lease) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE runs SET leased_until = " + db.dialect().nowPlusSeconds() + " WHERE held_by = ? AND status = ?")) {
            s.setDouble(1, seconds(lease));
            s.setString(2, holder);
            s.setString(3, States.sql(RunState.RUNNING));
            return s.executeUpdate();
        }
    }

    /**
     * Ends now the leases of the running runs {@code holder} holds (a server known to be dead): the next takeover
     * round takes them over. Returns how many.
     */
    public int expireLeases(String holder) throws SQLException {
        return renewLeases(holder, Duration.ofSeconds(-1));
    }

    /** How many running runs of a job servers other than {@code holder} hold (a job's concurrency is cluster-wide). */
    public int heldElsewhere(String project, String job, String holder) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM runs "
                + "WHERE project = ? AND job = ? AND status = ? AND (held_by IS NULL OR held_by <> ?)")) {
            s.setString(1, project);
            s.setString(2, job);
            s.setString(3, States.sql(RunState.RUNNING));
            s.setString(4, holder);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The keys of the running runs {@code holder} holds. */
    public Set<String> heldBy(String holder) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT run_key FROM runs WHERE held_by = ? AND status = ?")) {
            s.setString(1, holder);
            s.setString(2, States.sql(RunState.RUNNING));
            ResultSet rs = s.executeQuery();
            Set<String> out = new java.util.HashSet<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    /** The server holding a running run; empty when the run is not running or no server holds it. */
    public Optional<String> runningHolder(String key) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT held_by FROM runs WHERE run_key = ? AND status = ?")) {
            s.setString(1, key);
            s.setString(2, States.sql(RunState.RUNNING));
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    /** Whether a task of a run may still write to its log: neither it nor its run has ended. */
    public boolean taskOpen(String key, String task) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT r.status, t.status "
                + "FROM runs r JOIN task_states t ON t.run_id = r.id WHERE r.run_key = ? AND t.name = ?")) {
            s.setString(1, key);
            s.setString(2, task);
            ResultSet rs = s.executeQuery();
            return rs.next() && !States.run(rs.getString(1)).isFinal() && !States.task(rs.getString(2)).isFinal();
        }
    }

    /** Running runs per server holding them (a cluster's {@code /cluster}). */
    public Map<String, Integer> heldCounts() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT held_by, COUNT(*) FROM runs WHERE status = ? AND held_by IS NOT NULL GROUP BY held_by")) {
            s.setString(1, States.sql(RunState.RUNNING));
            ResultSet rs = s.executeQuery();
            Map<String, Integer> out = new LinkedHashMap<>();
            while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
            return out;
        }
    }

    /** A queued run is cancelled before it started; false when it was not queued any more. */
    public boolean cancelQueued(String key, String reason, Instant now) throws SQLException {
        return cancelQueued(key, reason, now, null);
    }

    /** As above, asked for by the user {@code by} (null: by the server), who is stored with the run. */
    public boolean cancelQueued(String key, String reason, Instant now, String by) throws SQLException {
        return transition(key, RunState.QUEUED, RunState.CANCELLED, reason, now, by);
    }

    /** A run marked running could not be handed to the engine (secrets, checkout, parameters). */
    public boolean failToStart(String key, String reason, Instant now) throws SQLException {
        return transition(key, RunState.RUNNING, RunState.FAILED, reason, now);
    }

    /**
     * Moves a run from {@code from} to {@code to} (its pending tasks are cancelled when {@code to} is final), in one
     * transaction; false when it was not in {@code from} any more. A final run never moves.
     */
    private boolean transition(String key, RunState from, RunState to, String reason, Instant now) throws SQLException {
        return transition(key, from, to, reason, now, null);
    }

    /** As above; {@code cancelledBy}, when not null, is stored as the user who asked for it, at {@code now}. */
    private boolean transition(String key, RunState from, RunState to, String reason, Instant now, String cancelledBy)
            throws SQLException {
        String stamp = to == RunState.RUNNING ? START : ", finished_at = ?";
        String by = cancelledBy == null ? "" : ", cancelled_by = ?, cancel_asked_at = COALESCE(cancel_asked_at, ?)";
        return db.inTransaction(c -> {
            boolean changed;
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE runs SET status = ?, reason = ?" + stamp + by + " WHERE run_key = ? AND status = ?")) {
                int i = 1;
                s.setString(i++, States.sql(to));
                s.setString(i++, reason == null ? "" : clip(reason, TEXT));
                s.setObject(i++, time(now));
                if (to == RunState.RUNNING) s.setObject(i++, time(now));
                if (cancelledBy != null) {
                    s.setString(i++, clip(cancelledBy, NAME));
                    s.setObject(i++, time(now));
                }
                s.setString(i++, key);
                s.setString(i, States.sql(from));
                changed = s.executeUpdate() > 0;
            }
            if (changed && to.isFinal()) {
                // a run resumed after a restart has tasks queued or waiting at a gate before it starts again
                try (PreparedStatement t = c.prepareStatement("UPDATE task_states SET status = ?, reason = ? "
                        + "WHERE run_id = (SELECT id FROM runs WHERE run_key = ?) AND status IN (?, ?, ?)")) {
                    t.setString(1, States.sql(TaskState.CANCELLED));
                    t.setString(2, reason == null ? "" : clip(reason, TEXT));
                    t.setString(3, key);
                    t.setString(4, States.sql(TaskState.PENDING));
                    t.setString(5, States.sql(TaskState.QUEUED));
                    t.setString(6, States.sql(TaskState.WAITING));
                    t.executeUpdate();
                }
            }
            return changed;
        });
    }

    /** The size of the reason, question and comment columns. */
    static final int TEXT = 2000;
    /** The size of the columns holding a user's name. */
    static final int NAME = 200;

    /**
     * {@code text} cut to {@code max} characters, ending in "…" when cut: a reason longer than its column (a long
     * rejection comment, a tool's long error) would fail the whole save and leave the run {@code running} for good.
     */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) return text;
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--; // never half a character
        return text.substring(0, end) + "…";
    }

    /**
     * A run a restart or a takeover ended: {@code end} is {@link RunState#QUEUED} when it was queued again
     * ({@code retryOnRestart}), {@link RunState#CANCELLED} when a cancel had been asked for, else {@link RunState#FAILED}.
     * {@code resumed}: it had no task running, only tasks that ended, had not started or waited at their approval
     * gates (at least one did), and is queued to go on as it was (see {@link #recover}); {@code runningTasks} are then
     * the tasks that waited at their gates.
     */
    public record Interrupted(String key, String reason, RunState end, List<String> runningTasks, boolean resumed) {
        /** One that ended: failed, or cancelled as asked; or one queued again, anew. */
        public Interrupted(String key, String reason, RunState end, List<String> runningTasks) {
            this(key, reason, end, runningTasks, false);
        }

        /** Queued again from scratch ({@code retryOnRestart}); not a run {@link #resumed}. */
        public boolean requeued() {
            return end == RunState.QUEUED && !resumed;
        }
    }

    /** How many times a restart queues a {@code retryOnRestart} run again before it fails it instead. */
    public static final int MAX_RESTARTS = 3;

    /**
     * Stores that a cancel of a running run was asked for, before it is acted on: if the server dies before the run's
     * processes have ended, the next start (or a peer's takeover) ends the run cancelled, not failed or queued again.
     * False when the run is not running (any more).
     */
    public boolean askCancel(String key, Instant at) throws SQLException {
        return askCancel(key, at, null);
    }

    /**
     * As above, asked for by the user {@code by} (null: by the server). The first cancel asked is the one kept: who
     * asked for it and when.
     */
    public boolean askCancel(String key, Instant at, String by) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET "
                    + "cancelled_by = CASE WHEN cancel_asked_at IS NULL THEN ? ELSE cancelled_by END, "
                    + "cancel_asked_at = COALESCE(cancel_asked_at, ?) WHERE run_key = ? AND status = ?")) {
                s.setString(1, clip(by, NAME));
                s.setObject(2, time(at));
                s.setString(3, key);
                s.setString(4, States.sql(RunState.RUNNING));
                return s.executeUpdate() > 0;
            }
        });
    }

    /** What a run left running carries into its recovery: a cancel asked for, and how often it was queued again. */
    private record Marks(boolean cancelAsked, int restarts) {
    }

    private static Marks marks(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT cancel_asked_at, restarts FROM runs WHERE run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            return rs.next() ? new Marks(rs.getObject(1) != null, rs.getInt(2)) : new Marks(false, 0);
        }
    }

    /**
     * A clean stop leaves these runs {@code running} (the next start or a cluster peer ends them): dates that end at
     * {@code at}, when the server stopped, rather than at whenever it is ended. Rows no longer running are left alone.
     */
    public void markStopped(java.util.Collection<String> keys, Instant at) throws SQLException {
        if (keys.isEmpty()) return;
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE runs SET stopped_at = ? WHERE run_key = ? AND status = ?")) {
                for (String key : keys) {
                    s.setObject(1, time(at));
                    s.setString(2, key);
                    s.setString(3, States.sql(RunState.RUNNING));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /**
     * After a crash or restart: runs left {@code running} fail with the reason "server restarted" (their unfinished
     * tasks with them), except those in {@code requeue}, which are queued again with fresh tasks. A run that only
     * waited at approval gates (no task of it running, no cancel asked for) is neither: it is queued with its tasks as
     * they were, to resume — its ended tasks kept, its gates opened again with their deadlines. Only rows still
     * {@code running} are touched, in one transaction: a finished run is never rewritten. They end when a clean stop
     * marked them stopped, else at {@code now} (or at their start, if that is later: {@code now} may be the crashed
     * server's last sign of life, a few seconds before its end).
     */
    public List<Interrupted> recover(Instant now, java.util.function.Predicate<String> requeue) throws SQLException {
        return recover(now, requeue, run -> { });
    }

    /** As above, telling {@code beforeCommit} of each run it ends before anyone else can see it ended. */
    public List<Interrupted> recover(Instant now, java.util.function.Predicate<String> requeue,
                                     java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        return recover(now, requeue, LeftBehind.NOTHING, beforeCommit);
    }

    /**
     * As above, having {@code leftBehind} stop what the last process left running for those runs first (its tasks on
     * agents): a run whose processes could not all be stopped fails, saying so, even when {@code requeue} would queue
     * it again, as a takeover does ({@link #takeOverLost(Instant, java.util.function.Predicate, LeftBehind,
     * java.util.function.Consumer)}).
     */
    public List<Interrupted> recover(Instant now, java.util.function.Predicate<String> requeue, LeftBehind leftBehind,
                                     java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        return db.inTransaction(c -> {
            Map<String, String> holders = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs WHERE status = ?")) {
                s.setString(1, States.sql(RunState.RUNNING));
                ResultSet rs = s.executeQuery();
                while (rs.next()) holders.put(rs.getString(1), null); // alone: the last process held them all
            }
            return interruptStopped(c, holders, by -> "server restarted", now, requeue, leftBehind, beforeCommit);
        });
    }

    /**
     * In a cluster: running runs whose lease ran out by the database's clock (the server holding them died or lost the
     * database) fail with the reason "server ID lost", or are queued again when {@code requeue} says so. Rows another
     * server is taking over at the same moment are skipped ({@code SKIP LOCKED}): each lost run is taken over once.
     * A failed one ends at its server's last heartbeat (its {@code servers} row), not at {@code now}, which may be
     * long after the crash; never after {@code now}, nor before the run or a task of it started.
     */
    public List<Interrupted> takeOverLost(Instant now, java.util.function.Predicate<String> requeue) throws SQLException {
        return takeOverLost(now, requeue, run -> { });
    }

    /**
     * As above, telling {@code beforeCommit} of each run it takes over while the run's row is still locked: what it
     * writes (the closing line of the run's logs) is there before another server sees the run ended (a log stream
     * that server sends would otherwise be completed without it).
     */
    public List<Interrupted> takeOverLost(Instant now, java.util.function.Predicate<String> requeue,
                                          java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        return takeOverLost(now, requeue, LeftBehind.NOTHING, beforeCommit);
    }

    /**
     * As above, having {@code leftBehind} stop what each run's lost server left running first (while the rows are
     * locked, so no server starts a run again meanwhile). A run whose processes could not all be stopped fails,
     * saying so, even when {@code requeue} would queue it again: an attempt never runs beside the one it replaces.
     */
    public List<Interrupted> takeOverLost(Instant now, java.util.function.Predicate<String> requeue,
                                          LeftBehind leftBehind,
                                          java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        return db.inTransaction(c -> {
            Map<String, String> holders = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT run_key, held_by FROM runs WHERE status = ? AND "
                    + "(leased_until IS NULL OR leased_until < CURRENT_TIMESTAMP) ORDER BY id FOR UPDATE SKIP LOCKED")) {
                s.setString(1, States.sql(RunState.RUNNING));
                ResultSet rs = s.executeQuery();
                while (rs.next()) holders.put(rs.getString(1), rs.getString(2));
            }
            return interruptStopped(c, holders, by -> by == null ? "server lost" : "server " + by + " lost", now,
                    requeue, leftBehind, beforeCommit);
        });
    }

    /**
     * Has {@code leftBehind} stop what the runs {@code holders} names left running (run key → its holder, or null),
     * then fails or queues them again ({@link #interrupt}) with the reason {@code why} gives for their holder. A run
     * whose processes could not all be stopped fails, its reason saying so: an attempt never runs beside the one it
     * replaces.
     */
    private List<Interrupted> interruptStopped(Connection c, Map<String, String> holders,
                                               java.util.function.Function<String, String> why, Instant now,
                                               java.util.function.Predicate<String> requeue, LeftBehind leftBehind,
                                               java.util.function.Consumer<Interrupted> beforeCommit)
            throws SQLException {
        Map<String, String> running = holders.isEmpty() ? Map.of() : leftBehind.stop(holders);
        Map<String, String> keys = new LinkedHashMap<>();
        holders.forEach((key, by) -> {
            String reason = why.apply(by);
            String still = running.get(key);
            keys.put(key, still == null ? reason : reason + "; what it left running could not be stopped (" + still
                    + ")" + (requeue.test(key) ? ", so the run is not queued again" : ""));
        });
        return interrupt(c, keys, now, requeue.and(key -> !running.containsKey(key)), beforeCommit);
    }

    /**
     * Fails (or queues again) the running runs named, each with its reason; only rows still running change. A failed
     * run and its unfinished tasks end when a clean stop marked it stopped, else at {@code now} or its holder's last
     * heartbeat if that is earlier, but never before the run's or a task's start, nor before a task's saved end.
     */
    private List<Interrupted> interrupt(Connection c, Map<String, String> reasons, Instant now,
                                        java.util.function.Predicate<String> requeue,
                                        java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        List<Interrupted> out = new ArrayList<>();
        for (var entry : reasons.entrySet()) {
            String key = entry.getKey();
            Marks marks = marks(c, key);
            boolean cancelled = marks.cancelAsked();
            if (!cancelled && onlyWaitsAtGates(c, key)) {
                out.add(resume(c, key, entry.getValue(), beforeCommit));
                continue;
            }
            boolean wanted = !cancelled && requeue.test(key);
            boolean again = wanted && marks.restarts() < MAX_RESTARTS;
            String reason = cancelled ? "cancelled: " + entry.getValue() + " while the cancel was under way"
                    : wanted && !again ? entry.getValue() + ": not queued again, it was interrupted " + (marks.restarts() + 1)
                    + " times (retryOnRestart gives up after " + MAX_RESTARTS + " restarts)"
                    : entry.getValue();
            Instant end = lastHeartbeat(c, key).filter(now::isAfter).orElse(now);
            List<String> running = new ArrayList<>();
            // a task waiting at its approval gate gets the closing line too: its log says it waited
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM task_states WHERE status IN (?, ?, ?) "
                    + "AND run_id = (SELECT id FROM runs WHERE run_key = ?) ORDER BY position")) {
                s.setString(1, States.sql(TaskState.RUNNING));
                s.setString(2, States.sql(TaskState.WAITING));
                s.setString(3, States.sql(TaskState.STARTING));
                s.setString(4, key);
                ResultSet rs = s.executeQuery();
                while (rs.next()) running.add(rs.getString(1));
            }
            try (PreparedStatement s = c.prepareStatement(again
                    ? "UPDATE task_states SET status = ?, exit_code = NULL, attempts = 0, outputs = '{}', "
                    + "reason = '', started_at = NULL, finished_at = NULL, approval_question = NULL, approval_approvers = NULL, "
                    + "approval_deadline = NULL, approval_verdict = NULL, decided_by = NULL, decided_at = NULL, "
                    + "decision_comment = NULL, approval_told = FALSE, images = NULL, agent = NULL, allowed_failure = FALSE, tests = NULL WHERE run_id = (SELECT id FROM runs WHERE run_key = ?)"
                    : "UPDATE task_states SET status = CASE WHEN status = ? OR status = ? OR status = ? THEN ? "
                    + "ELSE ? END, reason = ?, finished_at = COALESCE(finished_at, (SELECT stopped_at FROM runs WHERE run_key = ?), GREATEST(COALESCE(started_at, ?), ?)) "
                    + "WHERE run_id = (SELECT id FROM runs WHERE run_key = ?) AND status IN (?, ?, ?, ?, ?)")) {
                if (again) {
                    s.setString(1, States.sql(TaskState.PENDING));
                    s.setString(2, key);
                } else {
                    s.setString(1, States.sql(TaskState.PENDING));
                    s.setString(2, States.sql(TaskState.QUEUED));
                    s.setString(3, States.sql(TaskState.WAITING));
                    s.setString(4, States.sql(TaskState.CANCELLED));
                    s.setString(5, States.sql(cancelled ? TaskState.CANCELLED : TaskState.FAILED));
                    s.setString(6, reason);
                    s.setString(7, key);
                    s.setObject(8, time(end));
                    s.setObject(9, time(end));
                    s.setString(10, key);
                    s.setString(11, States.sql(TaskState.PENDING));
                    s.setString(12, States.sql(TaskState.QUEUED));
                    s.setString(13, States.sql(TaskState.RUNNING));
                    s.setString(14, States.sql(TaskState.WAITING));
                    s.setString(15, States.sql(TaskState.STARTING)); // waited for an agent: ends as a running one
                }
                s.executeUpdate();
            }
            // after its tasks: a task that ended after the last sign of life moves the run's end with it
            try (PreparedStatement s = c.prepareStatement(again
                    // started_at stays the run's first start; its next start is stamped restarted_at
                    ? "UPDATE runs SET status = ?, reason = ?, held_by = NULL, leased_until = NULL, stopped_at = NULL, "
                    + "restarts = restarts + 1, queued_told = 0 WHERE run_key = ? AND status = ?"
                    : "UPDATE runs SET status = ?, reason = ?, finished_at = COALESCE(stopped_at, GREATEST(COALESCE(started_at, ?), ?, "
                    + "COALESCE((SELECT MAX(finished_at) FROM task_states WHERE run_id = runs.id), ?))), held_by = NULL, leased_until = NULL "
                    + "WHERE run_key = ? AND status = ?")) {
                int i = 1;
                RunState to = again ? RunState.QUEUED : cancelled ? RunState.CANCELLED : RunState.FAILED;
                s.setString(i++, States.sql(to));
                s.setString(i++, again ? reason + ": queued again (restart " + (marks.restarts() + 1) + " of at most "
                        + MAX_RESTARTS + ")" : reason);
                if (!again) { // H2's GREATEST is NULL when an argument is: a run not yet marked started takes the end
                    s.setObject(i++, time(end));
                    s.setObject(i++, time(end));
                    s.setObject(i++, time(end));
                }
                s.setString(i++, key);
                s.setString(i, States.sql(RunState.RUNNING));
                s.executeUpdate();
            }
            Interrupted run = new Interrupted(key, reason,
                    again ? RunState.QUEUED : cancelled ? RunState.CANCELLED : RunState.FAILED, List.copyOf(running));
            beforeCommit.accept(run);
            out.add(run);
        }
        return out;
    }

    /**
     * Whether the run had no task running and at least one waiting at its approval gate: nothing of it was cut short,
     * so it can go on from there.
     */
    private static boolean onlyWaitsAtGates(Connection c, String key) throws SQLException {
        // a task starting (its attempt handed to an executor that waits for an agent) counts as running
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(CASE WHEN status IN (?, ?) THEN 1 END), "
                + "COUNT(CASE WHEN status = ? THEN 1 END) FROM task_states "
                + "WHERE run_id = (SELECT id FROM runs WHERE run_key = ?)")) {
            s.setString(1, States.sql(TaskState.RUNNING));
            s.setString(2, States.sql(TaskState.STARTING));
            s.setString(3, States.sql(TaskState.WAITING));
            s.setString(4, key);
            ResultSet rs = s.executeQuery();
            return rs.next() && rs.getInt(1) == 0 && rs.getInt(2) > 0;
        }
    }

    /**
     * Queues a run that only waited at its gates to resume: its tasks stay as they are (ended, waiting at a gate with
     * its deadline, not started), the dispatcher starts it again as the same run and the engine goes on from there.
     */
    private static Interrupted resume(Connection c, String key, String why,
                                      java.util.function.Consumer<Interrupted> beforeCommit) throws SQLException {
        List<String> waiting = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM task_states WHERE status = ? "
                + "AND run_id = (SELECT id FROM runs WHERE run_key = ?) ORDER BY position")) {
            s.setString(1, States.sql(TaskState.WAITING));
            s.setString(2, key);
            ResultSet rs = s.executeQuery();
            while (rs.next()) waiting.add(rs.getString(1));
        }
        String reason = why + ": it waited at its approval gate, and resumes"; // shown until it starts again
        try (PreparedStatement s = c.prepareStatement("UPDATE runs SET status = ?, reason = ?, held_by = NULL, "
                + "leased_until = NULL, stopped_at = NULL WHERE run_key = ? AND status = ?")) {
            s.setString(1, States.sql(RunState.QUEUED));
            s.setString(2, clip(reason, TEXT));
            s.setString(3, key);
            s.setString(4, States.sql(RunState.RUNNING));
            s.executeUpdate();
        }
        Interrupted run = new Interrupted(key, why, RunState.QUEUED, List.copyOf(waiting), true);
        beforeCommit.accept(run);
        return run;
    }

    /**
     * When the server holding a run last renewed its heartbeat, if it has a row: a lost server's last sign of life.
     * Read in the takeover's transaction, before the run's holder is cleared.
     */
    private static Optional<Instant> lastHeartbeat(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT s.heartbeat_at FROM runs r JOIN servers s ON s.id = r.held_by "
                + "WHERE r.run_key = ?")) {
            s.setString(1, key);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /**
     * Saves the engine's view of a run: its status and every task's state. False, writing nothing, when the run is
     * not this server's to write any more (in a cluster: taken over by another server after this one's lease ran
     * out) or no longer stored.
     */
    public boolean save(RunRecord run) throws SQLException {
        return db.inTransaction(c -> {
            long id;
            try (PreparedStatement s = c.prepareStatement(holder == null ? "SELECT id FROM runs WHERE run_key = ?"
                    : "SELECT id FROM runs WHERE run_key = ? AND held_by = ? FOR UPDATE")) {
                s.setString(1, run.key());
                if (holder != null) s.setString(2, holder); // taken over by another server: not ours to write
                ResultSet rs = s.executeQuery();
                if (!rs.next()) return false;
                id = rs.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET status = ?, reason = ?, "
                    // the start the dispatcher stored stays: the engine's of a run started again after a restart is later
                    + "started_at = COALESCE(started_at, ?), finished_at = ? WHERE id = ?")) {
                s.setString(1, States.sql(run.state()));
                s.setString(2, clip(run.reason(), TEXT));
                s.setObject(3, time(run.startedAt()));
                s.setObject(4, time(run.endedAt()));
                s.setLong(5, id);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(db.dialect().upsert("task_states",
                    "run_id, name, position, status, exit_code, attempts, outputs, reason, log_path, artifact_path, "
                    + "started_at, finished_at, approval_question, approval_approvers, approval_deadline, "
                    + "approval_verdict, decided_by, decided_at, decision_comment, images, allowed_failure, tests", "run_id, name"))) {
                int i = 0;
                for (TaskRecord t : run.tasks().values()) {
                    s.setLong(1, id);
                    s.setString(2, t.name());
                    s.setInt(3, i++);
                    s.setString(4, States.sql(t.state()));
                    if (t.exitCode() == null) s.setNull(5, Types.INTEGER);
                    else s.setInt(5, t.exitCode());
                    s.setInt(6, t.attempts());
                    s.setString(7, Json.write(t.outputs()));
                    // the reason of its state: why it ended, or what it waits for while starting
                    s.setString(8, t.outcome() != null ? clip(t.outcome().reason(), TEXT)
                            : t.waitingFor() != null ? clip(t.waitingFor(), TEXT) : "");
                    s.setString(9, t.log());
                    s.setString(10, t.artifacts());
                    s.setObject(11, time(t.startedAt()));
                    s.setObject(12, time(t.endedAt()));
                    Gate g = t.approval();
                    s.setString(13, g == null ? null : clip(g.question(), TEXT));
                    s.setString(14, g == null ? null : Json.write(g.approvers()));
                    s.setObject(15, g == null ? null : time(g.deadline()));
                    s.setString(16, g == null || g.verdict() == null ? null : g.verdict().label());
                    s.setString(17, g == null ? null : g.decidedBy());
                    s.setObject(18, g == null ? null : time(g.decidedAt()));
                    s.setString(19, g == null ? null : clip(g.comment(), TEXT));
                    s.setString(20, t.images().isEmpty() ? null : Json.write(t.images()));
                    s.setBoolean(21, t.allowedFailure());
                    s.setString(22, t.tests() == null ? null : Json.write(t.tests()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return true;
        });
    }

    /** Every run key, for the engine's store port. */
    public List<String> keys() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT run_key FROM runs ORDER BY id")) {
            ResultSet rs = s.executeQuery();
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    private static List<TaskRow> tasks(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM task_states WHERE run_id = ? ORDER BY position")) {
            s.setLong(1, runId);
            ResultSet rs = s.executeQuery();
            List<TaskRow> out = new ArrayList<>();
            while (rs.next()) {
                int exit = rs.getInt("exit_code");
                Integer exitCode = rs.wasNull() ? null : exit; // asked at once: wasNull is about the last column read
                out.add(new TaskRow(rs.getString("name"), States.task(rs.getString("status")), exitCode,
                        rs.getInt("attempts"), Json.map(rs.getString("outputs")), rs.getString("reason"),
                        rs.getString("log_path"), rs.getString("artifact_path"),
                        instant(rs, "started_at"), instant(rs, "finished_at"), gate(rs), images(rs.getString("images")),
                        rs.getBoolean("allowed_failure"), tests(rs.getString("tests"))));
            }
            return out;
        }
    }

    /** The stored test summary; null when none, or when it cannot be read (a task's record is worth more). */
    private static TestSummary tests(String json) {
        if (json == null) return null;
        try {
            return Json.mapper().readValue(json, TestSummary.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** The stored {reference, digest, use} list; entries with a use this version does not know are left out. */
    private static List<ImageDigest> images(String json) {
        List<ImageDigest> out = new ArrayList<>();
        if (json != null && Json.value(json) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && ImageDigest.Use.ofLabel(String.valueOf(m.get("use"))) instanceof ImageDigest.Use use) {
                    out.add(new ImageDigest(String.valueOf(m.get("reference")), String.valueOf(m.get("digest")), use));
                }
            }
        }
        return out;
    }

    /** The task's approval gate, or null when none opened. */
    private static Gate gate(ResultSet rs) throws SQLException {
        String question = rs.getString("approval_question");
        if (question == null) return null;
        List<String> approvers = new ArrayList<>();
        if (Json.value(rs.getString("approval_approvers")) instanceof List<?> l) l.forEach(a -> approvers.add(String.valueOf(a)));
        String verdict = rs.getString("approval_verdict");
        return new Gate(question, approvers, instant(rs, "approval_deadline"),
                verdict == null ? null : Decision.Verdict.valueOf(verdict.toUpperCase(java.util.Locale.ROOT)),
                rs.getString("decided_by"), instant(rs, "decided_at"), rs.getString("decision_comment"));
    }

    private static RunRow row(ResultSet rs, List<TaskRow> tasks) throws SQLException {
        StoredMetadata metadata = StoredMetadata.read(rs.getString("metadata"));
        return new RunRow(rs.getLong("id"), rs.getString("run_key"), rs.getLong("number"), rs.getString("project"),
                rs.getString("job"), rs.getString("trigger_kind"), rs.getString("git_url"), rs.getString("commit_sha"), rs.getString("branch"),
                Json.map(rs.getString("parameters")), metadata.metadata(), States.run(rs.getString("status")),
                rs.getString("reason"), rs.getString("rerun_of"), rs.getString("rerun_from"),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"), tasks,
                rs.getObject("pr_number") == null ? null : new PullRequest(rs.getLong("pr_number"),
                        rs.getString("pr_target_branch"), rs.getBoolean("secrets_withheld")),
                rs.getBoolean("force_publish"), rs.getString("cancelled_by") == null ? null
                        : new CancelAsked(rs.getString("cancelled_by"), instant(rs, "cancel_asked_at")),
                instant(rs, "restarted_at"), rs.getString("tag"), selectedTasks(rs.getString("selected_tasks")),
                rs.getBoolean("rerun_failed"), metadata.startedBy());
    }

    /** The task names a run's trigger asked for, stored as a JSON array; empty (the whole job) when NULL. */
    private static List<String> selectedTasks(String json) {
        if (json == null) return List.of();
        List<String> out = new ArrayList<>();
        if (Json.value(json) instanceof List<?> l) l.forEach(t -> out.add(String.valueOf(t)));
        return out;
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * The status of the job's newest run of {@code branch} (any branch when null) that is not a pull request's: what
     * a badge shows, which a request (a fork's, perhaps) must not change.
     */
    public Optional<RunState> newestStatus(String project, String job, String branch) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT status FROM runs WHERE project = ? AND job = ? "
                     + (branch == null ? "" : "AND branch = ? ") + "AND pr_number IS NULL ORDER BY number DESC LIMIT 1")) {
            s.setString(1, project);
            s.setString(2, job);
            if (branch != null) s.setString(3, branch);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(States.run(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * How the run of the same job and branch before run {@code number} ended, skipping cancelled runs (they neither
     * break nor fix a job): succeeded, failed or timed out; empty when there is none. A pull request's runs are a
     * history of their own: a request's run is compared with the request's run before it ({@code pr}), a branch's
     * run only with the branch's own runs (a fork's request whose branch is called {@code main} is not main).
     */
    public Optional<RunState> previousOutcome(String project, String job, String branch, Long pr, long number)
            throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT status FROM runs WHERE project = ? AND job = ? AND number < ? "
                     + "AND " + (branch == null ? "branch IS NULL" : "branch = ?") + " AND "
                     + (pr == null ? "pr_number IS NULL" : "pr_number = ?") + " AND status IN (?, ?, ?) "
                     + "ORDER BY number DESC LIMIT 1")) {
            int i = 1;
            s.setString(i++, project);
            s.setString(i++, job);
            s.setLong(i++, number);
            if (branch != null) s.setString(i++, branch);
            if (pr != null) s.setLong(i++, pr);
            s.setString(i++, States.sql(RunState.SUCCEEDED));
            s.setString(i++, States.sql(RunState.FAILED));
            s.setString(i, States.sql(RunState.TIMEDOUT));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(States.run(rs.getString(1))) : Optional.empty();
            }
        }
    }
}

package io.stoker.server.project;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.stoker.model.Job;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;
import io.stoker.server.forge.GitHost;
import io.stoker.server.forge.StatusSettings;
import io.stoker.server.secret.SecretBox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Projects and their compiled jobs in the store, plain JDBC, each project's own webhook secret and the credentials
 * in its git URL sealed. Blocking.
 */
public final class ProjectRepository {
    /** SQLSTATE of a unique constraint's violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** How much stored job model JSON, in chars, {@link #model} keeps parsed (a model may be large: weighed). */
    private static final long MODEL_CHARS_KEPT = 4L << 20;

    /** The columns {@link #project} reads, but the Jobfile text. */
    private static final String LISTED_COLUMNS = "id, name, git_url, branch, jobfile_name, commit_sha, created_at,"
            + " updated_at, webhook_secret, webhook_secret_sealed, credentials, status_host, status_api_url,"
            + " status_repository, status_token_secret, allow_fork_secrets, allow_fork_builds";

    private final Database db;
    private final WebhookSecretSeal hookSecrets;
    private final GitUrlSeal gitUrls;
    private final JobfileProblems problems;
    /** Parsed job models by their stored JSON: a trigger reads its job's model each time, and it rarely changes. */
    private final Cache<String, Job> models = Caffeine.newBuilder().maximumWeight(MODEL_CHARS_KEPT)
            .<String, Job>weigher((json, job) -> json.length()).build();

    /** @param box seals each project's own webhook secret and its git URL's credentials, as every stored secret is */
    public ProjectRepository(Database db, SecretBox box) {
        this.db = db;
        this.hookSecrets = new WebhookSecretSeal(box);
        this.gitUrls = new GitUrlSeal(box);
        this.problems = new JobfileProblems(db);
    }

    /** The latest Jobfile problem of each ref of the projects, in the same store. */
    public JobfileProblems jobfileProblems() {
        return problems;
    }

    /**
     * Seals the webhook secrets a version before this one stored in clear ({@code webhook_secret}) and empties that
     * column; how many. Once at the server's start: SQL cannot encrypt, so the migration that added the sealed column
     * left them. A row another server of a cluster changed meanwhile is left to it.
     */
    public int sealClearWebhookSecrets() throws SQLException {
        int sealed = 0;
        try (Connection c = db.connection();
             PreparedStatement read = c.prepareStatement(
                     "SELECT id, name, webhook_secret FROM projects WHERE webhook_secret IS NOT NULL");
             PreparedStatement write = c.prepareStatement("UPDATE projects SET webhook_secret_sealed = ?, "
                     + "webhook_secret = NULL WHERE id = ? AND webhook_secret = ?")) {
            ResultSet rs = read.executeQuery();
            while (rs.next()) {
                String clear = rs.getString(3);
                write.setBytes(1, hookSecrets.seal(rs.getString(2), clear));
                write.setLong(2, rs.getLong(1));
                write.setString(3, clear);
                sealed += write.executeUpdate();
            }
        }
        return sealed;
    }

    /**
     * Seals the credentials of the git URLs a version before this one stored as given; how many. Once at the
     * server's start, as {@link #sealClearWebhookSecrets}. A row another server of a cluster changed meanwhile is
     * left to it.
     */
    public int sealClearGitUrls() throws SQLException {
        int sealed = 0;
        try (Connection c = db.connection();
             PreparedStatement read = c.prepareStatement(
                     "SELECT id, name, git_url FROM projects WHERE git_url LIKE '%@%'");
             PreparedStatement write = c.prepareStatement("UPDATE projects SET git_url = ? WHERE id = ? AND git_url = ?")) {
            ResultSet rs = read.executeQuery();
            while (rs.next()) {
                String clear = rs.getString(3);
                if (!GitUrlSeal.holdsClearSecret(clear)) continue;
                write.setString(1, gitUrls.seal(rs.getString(2), clear));
                write.setLong(2, rs.getLong(1));
                write.setString(3, clear);
                sealed += write.executeUpdate();
            }
        }
        return sealed;
    }

    /**
     * The name of the project whose name is {@code name} but for letter case ({@code Demo} for {@code demo}), if
     * one is: two such names are one. Names are ASCII (see ProjectService), so LOWER agrees on H2 and PostgreSQL.
     */
    public Optional<String> nameTaken(String name) throws SQLException {
        try (Connection c = db.connection()) {
            return nameTaken(c, name);
        }
    }

    private static Optional<String> nameTaken(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM projects WHERE LOWER(name) = ? ORDER BY id")) {
            s.setString(1, name.toLowerCase(java.util.Locale.ROOT));
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /**
     * Inserts a project with its jobs in one transaction; false when the name is taken, in any letter case (the
     * unique name_folded says so too when two adds race past the check).
     */
    public boolean insert(Project p, List<Job> jobs) throws SQLException {
        try {
            return db.inTransaction(c -> {
                if (nameTaken(c, p.name()).isPresent()) return false;
                insertNew(c, p, jobs);
                return true;
            });
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    private void insertNew(Connection c, Project p, List<Job> jobs) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO projects (name, git_url, branch, jobfile, "
                + "jobfile_name, commit_sha, created_at, updated_at, webhook_secret_sealed, credentials, "
                + "status_host, status_api_url, status_repository, status_token_secret, allow_fork_secrets, "
                + "allow_fork_builds, name_folded) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[]{"id"})) {
            s.setString(1, p.name());
            s.setString(2, gitUrls.seal(p.name(), p.gitUrl()));
            s.setString(3, p.branch());
            s.setString(4, p.jobfile());
            s.setString(5, p.jobfileName());
            s.setString(6, p.commit());
            s.setObject(7, time(p.createdAt()));
            s.setObject(8, time(p.updatedAt()));
            s.setBytes(9, hookSecrets.seal(p.name(), p.webhookSecret()));
            s.setString(10, p.credentials());
            forge(s, 11, p);
            s.setString(17, p.name().toLowerCase(java.util.Locale.ROOT));
            s.executeUpdate();
            ResultSet keys = s.getGeneratedKeys();
            keys.next();
            id = keys.getLong(1);
        }
        writeJobs(c, id, jobs, p.commit());
    }

    /** Replaces a project's settings and jobs (null: the jobs stay as they are). */
    public void update(Project p, List<Job> jobs) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE projects SET git_url = ?, branch = ?, jobfile = ?, "
                    + "jobfile_name = ?, commit_sha = ?, updated_at = ?, webhook_secret_sealed = ?, "
                    + "webhook_secret = NULL, credentials = ?, status_host = ?, status_api_url = ?, "
                    + "status_repository = ?, status_token_secret = ?, allow_fork_secrets = ?, "
                    + "allow_fork_builds = ? WHERE id = ?")) {
                s.setString(1, gitUrls.seal(p.name(), p.gitUrl()));
                s.setString(2, p.branch());
                s.setString(3, p.jobfile());
                s.setString(4, p.jobfileName());
                s.setString(5, p.commit());
                s.setObject(6, time(p.updatedAt()));
                s.setBytes(7, hookSecrets.seal(p.name(), p.webhookSecret()));
                s.setString(8, p.credentials());
                forge(s, 9, p);
                s.setLong(15, p.id());
                s.executeUpdate();
            }
            if (jobs == null) return null;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM jobs WHERE project_id = ?")) {
                s.setLong(1, p.id());
                s.executeUpdate();
            }
            writeJobs(c, p.id(), jobs, p.commit());
            return null;
        });
    }

    /**
     * Moves a git project's stored commit from {@code from} to {@code to} with the jobs compiled there, touching
     * nothing else (settings changed meanwhile stay); false, changing nothing, when the row no longer has
     * {@code from} on {@code branch}: another server, a refresh or an update stored something since it was read.
     */
    public boolean followHead(Project from, String to, String jobfileName, List<Job> jobs, Instant at)
            throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE projects SET commit_sha = ?, jobfile_name = ?, "
                    + "updated_at = ? WHERE id = ? AND branch = ? AND commit_sha = ?")) {
                s.setString(1, to);
                s.setString(2, jobfileName);
                s.setObject(3, time(at));
                s.setLong(4, from.id());
                s.setString(5, from.branch());
                s.setString(6, from.commit());
                if (s.executeUpdate() != 1) return false;
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM jobs WHERE project_id = ?")) {
                s.setLong(1, from.id());
                s.executeUpdate();
            }
            writeJobs(c, from.id(), jobs, to);
            return true;
        });
    }

    public boolean delete(String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("DELETE FROM projects WHERE name = ?")) {
            s.setString(1, name);
            return s.executeUpdate() > 0;
        }
    }

    /** Whether an admin allowed the project host access for its containers; false for no such project. */
    public boolean hostAccess(String name) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT allow_host_access FROM projects WHERE name = ?")) {
            s.setString(1, name);
            var rs = s.executeQuery();
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Sets the project's host access; false when there is no such project. */
    public boolean hostAccess(String name, boolean allowed) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE projects SET allow_host_access = ? WHERE name = ?")) {
            s.setBoolean(1, allowed);
            s.setString(2, name);
            return s.executeUpdate() == 1;
        }
    }

    /** The projects whose trigger steps may start this one's jobs ({@code *}: any); empty for no such project. */
    public List<String> triggersFrom(String name) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT triggers_from FROM projects WHERE name = ?")) {
            s.setString(1, name);
            var rs = s.executeQuery();
            return rs.next() ? names(rs.getString(1)) : List.of();
        }
    }

    /** Sets them; false when there is no such project. */
    public boolean triggersFrom(String name, List<String> from) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE projects SET triggers_from = ? WHERE name = ?")) {
            s.setString(1, String.join(" ", from));
            s.setString(2, name);
            return s.executeUpdate() == 1;
        }
    }

    /** The stored form of {@link #triggersFrom}: names separated by spaces, blank for none. */
    private static List<String> names(String stored) {
        return stored == null || stored.isBlank() ? List.of() : List.of(stored.trim().split(" +"));
    }

    /** Takes a deleted project's name out of every project's {@link #triggersFrom}: a new project of it is not trusted. */
    public void forgetTriggerSource(String gone) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement read = c.prepareStatement("SELECT name, triggers_from FROM projects WHERE triggers_from <> ''");
             PreparedStatement write = c.prepareStatement("UPDATE projects SET triggers_from = ? WHERE name = ?")) {
            var rs = read.executeQuery();
            while (rs.next()) {
                List<String> from = new java.util.ArrayList<>(names(rs.getString(2)));
                if (!from.remove(gone)) continue;
                write.setString(1, String.join(" ", from));
                write.setString(2, rs.getString(1));
                write.executeUpdate();
            }
        }
    }

    /** One project, its Jobfile text included. */
    public Optional<Project> find(String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT * FROM projects WHERE name = ?")) {
            s.setString(1, name);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(project(rs, rs.getString("jobfile"))) : Optional.empty();
        }
    }

    /**
     * Every project by name, each without its Jobfile text ({@link Project#jobfile} null; {@link #find} reads it):
     * a Jobfile may be 1 MiB, and hundreds of them read for a list or a start cost seconds and gigabytes.
     */
    public List<Project> list() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT " + LISTED_COLUMNS
                + " FROM projects ORDER BY name")) {
            ResultSet rs = s.executeQuery();
            List<Project> out = new ArrayList<>();
            while (rs.next()) out.add(project(rs, null));
            return out;
        }
    }

    /** Every job of every project (or of one project when {@code project} is not null), in declaration order. */
    public List<StoredJob> jobs(String project) throws SQLException {
        String sql = "SELECT p.name AS project, j.model, j.source_commit FROM jobs j JOIN projects p ON p.id = j.project_id"
                + (project == null ? "" : " WHERE p.name = ?") + " ORDER BY p.name, j.position";
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (project != null) s.setString(1, project);
            ResultSet rs = s.executeQuery();
            List<StoredJob> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new StoredJob(rs.getString("project"), model(rs.getString("model")), rs.getString("source_commit")));
            }
            return out;
        }
    }

    /** One job of a project, reading only its own row: a trigger needs one model, not every job's. */
    public Optional<StoredJob> job(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT j.model, j.source_commit"
                + " FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.name = ? AND j.name = ?")) {
            s.setString(1, project);
            s.setString(2, job);
            ResultSet rs = s.executeQuery();
            if (!rs.next()) return Optional.empty();
            return Optional.of(new StoredJob(project, model(rs.getString("model")), rs.getString("source_commit")));
        }
    }

    /** A job model parsed from its stored JSON (a job is an immutable record: one parse serves every read). */
    private Job model(String json) {
        return models.get(json, Json::job);
    }

    private static void writeJobs(Connection c, long projectId, List<Job> jobs, String commit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO jobs (project_id, name, position, model, source_commit) VALUES (?, ?, ?, ?, ?)")) {
            int i = 0;
            for (Job j : jobs) {
                s.setLong(1, projectId);
                s.setString(2, j.name());
                s.setInt(3, i++);
                s.setString(4, Json.write(j));
                s.setString(5, commit);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private Project project(ResultSet rs, String jobfile) throws SQLException {
        String name = rs.getString("name");
        return new Project(rs.getLong("id"), name, gitUrls.open(name, rs.getString("git_url")), rs.getString("branch"),
                jobfile, rs.getString("jobfile_name"), rs.getString("commit_sha"),
                instant(rs, "created_at"), instant(rs, "updated_at"), webhookSecret(name, rs),
                rs.getString("credentials"), new StatusSettings(
                GitHost.fromPath(String.valueOf(rs.getString("status_host"))).orElse(null),
                rs.getString("status_api_url"), rs.getString("status_repository"), rs.getString("status_token_secret")),
                rs.getBoolean("allow_fork_secrets"), rs.getBoolean("allow_fork_builds"));
    }

    /** The project's own webhook secret: sealed, or (until the start seals it) a clear one from before; or null. */
    private String webhookSecret(String name, ResultSet rs) throws SQLException {
        byte[] sealed = rs.getBytes("webhook_secret_sealed");
        return sealed != null ? hookSecrets.open(name, sealed) : rs.getString("webhook_secret");
    }

    /** The commit status settings and the fork flags, from parameter {@code first} on (six of them). */
    private static void forge(PreparedStatement s, int first, Project p) throws SQLException {
        StatusSettings st = p.status();
        s.setString(first, st.host() == null ? null : st.host().path());
        s.setString(first + 1, st.apiUrl());
        s.setString(first + 2, st.repository());
        s.setString(first + 3, st.tokenSecret());
        s.setBoolean(first + 4, p.allowForkSecrets());
        s.setBoolean(first + 5, p.allowForkBuilds());
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

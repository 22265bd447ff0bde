package io.stoker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Servers sharing one PostgreSQL database (a cluster): runs/s of a burst of no-op runs triggered round-robin on 1, 2
 * and 3 server JVMs (2 slots each), and claim latency (a run's {@code createdAt} to {@code startedAt}, one run at a
 * time, so no run waits for a slot: the time until some server claims it). Needs PostgreSQL on 127.0.0.1:5432 (user
 * {@code postgres}, or {@code STOKER_BENCH_POSTGRES=postgresql://user@host:port/db}); a database is made per pass and
 * dropped after.
 */
final class ClusterBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = System.getenv().getOrDefault("STOKER_BENCH_POSTGRES",
            "postgresql://postgres@127.0.0.1:5432/postgres");

    private final Settings settings;

    ClusterBench(Settings settings) {
        this.settings = settings;
    }

    List<Table> measure(Path dir) throws Exception {
        Table table = new Table("Cluster on one PostgreSQL: " + runs() + " no-op runs triggered round-robin, 2 slots per server",
                "servers", "runs/s", "vs 1 server", "claim latency median ms", "p90 ms");
        try (Connection c = admin()) {
            c.isValid(1);
        } catch (SQLException e) {
            return List.of(table.note("PostgreSQL does not answer at " + ADMIN + " (" + e.getMessage() + "): skipped"));
        }
        double single = 0;
        for (int n = 1; n <= 3; n++) {
            double[] r = pass(n, Files.createDirectories(dir.resolve("servers-" + n)));
            if (n == 1) single = r[0];
            table.row(n, Table.fmt(r[0]), Table.fmt(r[0] / single) + "×", Table.fmt(r[1]), Table.fmt(r[2]));
        }
        return List.of(table.note("claim latency: a run's createdAt to startedAt with nothing else queued; a run "
                + "queued through one server may start on another (NOTIFY wakes them)"));
    }

    private int runs() {
        return settings.quick() ? 60 : 300;
    }

    /** Runs/s, claim latency median and p90 in ms, with {@code n} servers. */
    private double[] pass(int n, Path dir) throws Exception {
        String db = "stoker_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = ADMIN.replaceFirst("/[^/?]*(\\?.*)?$", "/" + db);
        List<ServerProcess> servers = new ArrayList<>();
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            Map<String, String> env = Map.of("STOKER_DB", url, "STOKER_SLOTS", "2", "STOKER_COMPILER", "in-process");
            for (int i = 0; i < n; i++) servers.add(ServerProcess.start(data, dir.resolve("server-" + i + ".err"), env));
            List<ServerApi> apis = new ArrayList<>();
            // the servers share the users and tokens table, where a token's name is unique per user
            for (int i = 0; i < n; i++) {
                apis.add(new ServerApi(servers.get(i).url).login("admin", servers.get(0).adminPassword, "bench-" + i));
            }
            apis.get(0).freestyle("b", "job('noop') { task('t') { sh 'true' } }");
            List<Long> claims = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = apis.get(i % n).trigger("b", "noop");
                JsonNode run = awaitEnd(apis.get(0), key);
                claims.add(java.time.Duration.between(Instant.parse(run.get("createdAt").asText()),
                        Instant.parse(run.get("startedAt").asText())).toNanos());
            }
            long t0 = System.nanoTime();
            List<Thread> triggers = new ArrayList<>();
            List<Exception> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                ServerApi api = apis.get(i);
                int share = runs() / n + (i < runs() % n ? 1 : 0);
                triggers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int k = 0; k < share; k++) api.trigger("b", "noop");
                    } catch (Exception e) {
                        failed.add(e);
                    }
                }));
            }
            for (Thread t : triggers) t.join();
            if (!failed.isEmpty()) throw failed.get(0);
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (done(apis.get(0)) < runs() + 10) {
                if (System.nanoTime() > deadline) throw new IOException("the runs did not end within 10 minutes");
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Samples s = Samples.of(claims);
            return new double[] {runs() / seconds, Samples.ms(s.median()), Samples.ms(s.percentile(90))};
        } finally {
            for (ServerProcess s : servers) s.close();
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static JsonNode awaitEnd(ServerApi api, String key) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode run = JSON.readTree(api.get("/runs/" + key).body());
            if (run.get("finishedAt") != null && !run.get("finishedAt").isNull()) return run;
            Thread.sleep(20);
        }
        throw new IOException("run " + key + " did not end within a minute");
    }

    private static long done(ServerApi api) throws Exception {
        JsonNode page = JSON.readTree(api.get("/runs?project=b&status=succeeded&pageSize=1").body());
        return page.get("total").asLong();
    }

    private static Connection admin() throws SQLException {
        // postgresql://user@host:port/db → the JDBC form, user apart
        var m = java.util.regex.Pattern.compile("postgres(?:ql)?://([^@:/]+)(?::([^@]*))?@([^/]+)/([^?]+)").matcher(ADMIN);
        if (!m.find()) throw new SQLException("STOKER_BENCH_POSTGRES is not postgresql://user@host:port/db");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", m.group(1));
        if (m.group(2) != null) p.setProperty("password", m.group(2));
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection("jdbc:postgresql://" + m.group(3) + "/" + m.group(4), p);
    }
}

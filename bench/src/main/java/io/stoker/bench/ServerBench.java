package io.stoker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server seen from a client: a real server JVM on 127.0.0.1 with a temp data dir, spoken to over HTTP only.
 * Trigger→start latency of a no-op job, throughput of many queued no-op runs, live-log follow throughput, and the
 * server's resident memory idle before and after that workload.
 */
final class ServerBench {
    private static final int LATENCY_WARMUPS = 3;
    private static final long RUN_MILLIS = 60_000;
    private static final String PROJECT = "bench";
    /** Buildbot's 50 MB log scenario: 500,000 lines of 100 'x'. */
    private static final String BIG_LOG = "head -c 50000000 /dev/zero | tr '\\0' x | fold -w 100";
    private static final int SLOTS = 2;
    private static final int BURST = 50;
    /** Passes of {@code queuedRuns} queued runs against one server (the first before the warm figures). */
    private static final int QUEUED_PASSES = 4;
    /** Client threads of the last pass of queued runs, each POSTing on its own connection. */
    private static final int CONCURRENT_CLIENTS = 4;
    /** Runs of the 50 MB log after the first (and bare runs of its baseline) whose median is shown. */
    private static final int BIG_LOG_ROUNDS = 5;

    private final Settings settings;

    ServerBench(Settings settings) {
        this.settings = settings;
    }

    List<Table> measure(Path dir) throws Exception {
        String jobfile = """
                job('noop') {
                  task('t') { sh 'true' }
                }
                job('bulk') {
                  task('t') { sh 'true' }
                }
                job('lines') {
                  task('t') { sh 'seq 1 %d' }
                }
                job('tenstep') {
                  task('t') {
                    sh 'true'; sh 'true'; sh 'true'; sh 'true'; sh 'true'
                    sh 'true'; sh 'true'; sh 'true'; sh 'true'; sh 'true'
                  }
                }
                job('biglog') {
                  task('t') { sh "%s" }
                }
                """.formatted(settings.logLines(), BIG_LOG.replace("\\", "\\\\"));
        Table memory = new Table("Server: resident memory (VmRSS of the server JVM, " + String.join(" ",
                ServerProcess.JVM_OPTIONS) + (ServerProcess.ARCHIVE_OPTIONS.isEmpty() ? ", no class-data archive"
                : ", " + ServerProcess.ARCHIVE_OPTIONS.getFirst().replaceAll("=.*/", "=")) + ", after "
                + settings.settleSeconds() + " s idle)",
                "when", "server VmRSS MiB", "child processes", "children VmRSS MiB", "all MiB", "all PSS MiB",
                "heap used MiB");
        Path data = Files.createDirectories(dir.resolve("data"));
        java.util.Map<String, String> env = java.util.Map.of("STOKER_SLOTS", Integer.toString(SLOTS));
        List<Table> tables = new ArrayList<>();
        long pid;
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.stderr"), env)) {
            pid = server.pid();
            memory(memory, server, "after start-up");
            ServerApi api = new ServerApi(server.url).login("admin", server.adminPassword);
            api.freestyle(PROJECT, jobfile);
            try (RunEvents events = RunEvents.open(api)) {
                tables.add(triggerPath(api, events));
                Latencies fresh = oneAfterAnother(api, events, "noop");
                noopEnded = Samples.of(fresh.ended()).median(); // tenstep's baseline, from the same fresh server
                tables.add(latency(fresh, "on a fresh server (" + (triggerPathRounds() + 2 * LATENCY_WARMUPS)
                        + " runs since its start before these)"));
                tables.add(tenStep(api, events));
                tables.add(throughput(api, events, BURST, ""));
                tables.add(throughput(api, events, settings.queuedRuns(), ""));
                // a CI server runs for days: the same figures once its JIT has seen the trigger path many times
                tables.add(latency(oneAfterAnother(api, events, "noop"),
                        "again after the " + settings.queuedRuns() + "-run pass (warm)"));
                tables.add(throughput(api, events, BURST, " again (warm)"));
                // and once it has run some thousands: the JIT goes on compiling the run path well past the first
                // thousand runs (84 compilations during the fifth 1,000-run pass, in one JFR recording)
                for (int pass = 2; pass <= QUEUED_PASSES; pass++) {
                    tables.add(throughput(api, events, settings.queuedRuns(), " again (pass " + pass + " of "
                            + QUEUED_PASSES + ")"));
                }
                tables.add(throughput(api, events, BURST, " again (after " + QUEUED_PASSES + " passes of "
                        + settings.queuedRuns() + ")"));
                // triggers from CI scripts, webhooks and people come at the same time, not one after another
                tables.add(throughput(api, events, settings.queuedRuns(), CONCURRENT_CLIENTS, " (after the passes)"));
            }
            tables.add(follow(api));
            tables.add(bigLog(api));
            memory(memory, server, "after the workload");
        }
        // a server is created once and restarted often (upgrades, reboots): the first start also creates the
        // schema, the keys and the admin user, which a restart only reads
        try (ServerProcess again = ServerProcess.start(data, dir.resolve("server-restart.stderr"), env)) {
            memory(memory, again, "after a restart on the same data dir");
        }
        tables.add(memory.note("heap used = S0U+S1U+EU+OU of `jstat -gc` (no GC forced); server pid " + pid
                + " (restarted: a new pid), data dir in a temp dir deleted afterwards;")
                .note("child processes = the server's live descendants (the Jobfile compile worker JVM: one"
                        + " warm worker, reaped after 5 min idle);")
                .note("all PSS = proportional set sizes summed: pages the processes share (the JDK's libjvm.so,"
                        + " its class-data archive) counted once, not once per process as in \"all\"."));
        return tables;
    }

    private void memory(Table table, ServerProcess server, String when) throws IOException, InterruptedException {
        // the brief asks for the size once the server has settled; there is no condition to await for "idle"
        Thread.sleep(settings.settleSeconds() * 1000L);
        long heap = server.heapUsedBytes();
        long own = server.residentBytes();
        long[] children = server.descendantsResidentBytes();
        long proportional = server.allProportionalBytes();
        table.row(when, Table.fmt(own / 1048576.0), children[1], Table.fmt(children[0] / 1048576.0),
                Table.fmt((own + children[0]) / 1048576.0), Table.fmt(proportional / 1048576.0),
                heap < 0 ? "n/a" : Table.fmt(heap / 1048576.0));
    }

    /** Nanoseconds from the POST of runs triggered one after another to: the 201, startedAt, succeeded seen. */
    private record Latencies(List<Long> accepted, List<Long> started, List<Long> ended) {
    }

    private Latencies oneAfterAnother(ServerApi api, RunEvents events, String job) throws Exception {
        Latencies l = new Latencies(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < LATENCY_WARMUPS + settings.latencyRuns(); i++) {
            Instant sent = Instant.now();
            long t0 = System.nanoTime();
            String key = api.trigger(PROJECT, job);
            long t1 = System.nanoTime();
            RunEvents.End end = events.awaitEnd(key, RUN_MILLIS);
            requireSucceeded(key, end.status());
            String startedAt = awaitFinalRun(api, key).field("startedAt");
            if (i < LATENCY_WARMUPS) continue;
            l.accepted().add(t1 - t0);
            l.started().add(Duration.between(sent, Instant.parse(startedAt)).toNanos());
            l.ended().add(end.seenNanos() - t0);
        }
        return l;
    }

    private Table latency(Latencies l, String when) {
        List<Long> accepted = l.accepted();
        List<Long> started = l.started();
        List<Long> ended = l.ended();
        Table table = new Table("Server: trigger→start latency of a no-op job (`task('t') { sh 'true' }`), "
                + settings.latencyRuns() + " runs one after another after " + LATENCY_WARMUPS + " warm-up, " + when,
                "from POST …/runs to", "median ms", "p90 ms", "min ms", "max ms");
        row(table, "201 answer (queued)", accepted);
        row(table, "run startedAt (server clock)", started);
        row(table, "succeeded seen by client (SSE)", ended);
        return table.note("startedAt is the server's Instant against the client's Instant.now() before the POST;"
                + " both clocks are this machine's.");
    }

    /** Median POST → succeeded of the no-op job, for the ten-step job's difference. */
    private long noopEnded;

    /**
     * Buildbot's {@code tenstep}: one task of ten {@code sh 'true'} steps against the one-step no-op, per extra
     * step, next to a bare {@code bash -c true} spawn.
     */
    private Table tenStep(ServerApi api, RunEvents events) throws Exception {
        Latencies l = oneAfterAnother(api, events, "tenstep");
        long ten = Samples.of(l.ended()).median();
        int spawns = Math.max(20, settings.tasks());
        TaskOverhead.bareSpawns(List.of("bash", "-c", "true"), 5, 1, new java.io.File("/tmp"));
        long t0 = System.nanoTime();
        TaskOverhead.bareSpawns(List.of("bash", "-c", "true"), spawns, 1, new java.io.File("/tmp"));
        long bare = (System.nanoTime() - t0) / spawns;
        long perStep = (ten - noopEnded) / 9;
        Table table = new Table("Server: `tenstep` (one task of 10 `sh 'true'` steps) against the 1-step no-op, "
                + settings.latencyRuns() + " runs each, medians", "what", "ms", "baseline ms", "ratio");
        table.row("POST → succeeded seen, 10 steps", Table.fmt(Samples.ms(ten)), Table.fmt(Samples.ms(noopEnded)), "");
        table.row("one more `sh 'true'` step", Table.fmt(Samples.ms(perStep)), Table.fmt(Samples.ms(bare)),
                Table.fmt((double) perStep / bare) + "×");
        return table.note("per step = (10-step − 1-step) / 9; baseline = ProcessBuilder(\"bash\", \"-c\", \"true\")"
                + " spawned and awaited, " + spawns + " times one after another.");
    }

    /** Rounds of the trigger-path table, each a no-op run (its warm-ups come on top). */
    private int triggerPathRounds() {
        return Math.max(30, settings.latencyRuns() * 2);
    }

    /**
     * Where a trigger POST's time goes, seen from the client: the HTTP round trip with no auth and no database
     * (GET /healthz), the same plus the API-token check (GET /api/v1/version), and the trigger itself (token, JSON,
     * run row committed to H2, queue hand-off, event fan-out) — one after another, medians.
     */
    private Table triggerPath(ServerApi api, RunEvents events) throws Exception {
        int n = triggerPathRounds();
        List<Long> health = new ArrayList<>();
        List<Long> authed = new ArrayList<>();
        List<Long> trigger = new ArrayList<>();
        for (int i = 0; i < n + LATENCY_WARMUPS; i++) {
            long t0 = System.nanoTime();
            int h = api.getRoot("/healthz").status();
            long t1 = System.nanoTime();
            int v = api.get("/version").status();
            long t2 = System.nanoTime();
            String key = api.trigger(PROJECT, "noop");
            long t3 = System.nanoTime();
            if (h != 200 || v != 200) throw new IOException("healthz answered " + h + ", version " + v);
            requireSucceeded(key, events.awaitEnd(key, RUN_MILLIS).status());
            if (i < LATENCY_WARMUPS) continue;
            health.add(t1 - t0);
            authed.add(t2 - t1);
            trigger.add(t3 - t2);
        }
        long hm = Samples.of(health).median();
        long am = Samples.of(authed).median();
        long tm = Samples.of(trigger).median();
        Table table = new Table("Server: where a trigger POST's time goes (" + n + " rounds, each run awaited before"
                + " the next)", "stage", "median ms", "cumulative ms");
        table.row("HTTP round trip + blocking-pool hop (GET /healthz)", Table.fmt(Samples.ms(hm)), Table.fmt(Samples.ms(hm)));
        table.row("+ API-token check (GET /api/v1/version)", Table.fmt(Samples.ms(am - hm)), Table.fmt(Samples.ms(am)));
        table.row("+ JSON, run row in H2, queue, events (POST …/runs)", Table.fmt(Samples.ms(tm - am)),
                Table.fmt(Samples.ms(tm)));
        return table.note("differences of medians of client-side round trips over one kept-alive HTTP/1.1 connection.");
    }

    private static void row(Table table, String label, List<Long> nanos) {
        Samples s = Samples.of(nanos);
        table.row(label, Table.fmt(Samples.ms(s.median())), Table.fmt(Samples.ms(s.percentile(90))),
                Table.fmt(Samples.ms(s.min())), Table.fmt(Samples.ms(s.percentile(100))));
    }

    private Table throughput(ServerApi api, RunEvents events, int count, String when) throws Exception {
        return throughput(api, events, count, 1, when);
    }

    /**
     * {@code count} queued no-op runs: the POSTs sent by {@code clients} threads at once (one after another on each
     * thread's own kept-alive connection), then every run's end awaited.
     */
    private Table throughput(ServerApi api, RunEvents events, int count, int clients, String when) throws Exception {
        int before = Integer.parseInt(awaitSucceededTotal(api, -1));
        Set<String> keys = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        long t0 = System.nanoTime();
        if (clients == 1) {
            for (int i = 0; i < count; i++) keys.add(api.trigger(PROJECT, "bulk"));
        } else {
            try (var pool = Executors.newFixedThreadPool(clients)) {
                List<Future<?>> sent = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int share = count / clients + (c < count % clients ? 1 : 0);
                    sent.add(pool.submit(() -> {
                        for (int i = 0; i < share; i++) keys.add(api.trigger(PROJECT, "bulk"));
                        return null;
                    }));
                }
                for (Future<?> f : sent) f.get(RUN_MILLIS * 5, TimeUnit.MILLISECONDS);
            }
        }
        long t1 = System.nanoTime();
        if (keys.size() != count) throw new IllegalStateException(keys.size() + " distinct run keys for " + count + " POSTs");
        // generous bound: 250 ms per run on top of a minute
        long bound = 60_000 + 250L * count;
        int ended = events.awaitAll(keys, bound);
        long t2 = System.nanoTime();
        if (ended != count) throw new IllegalStateException(ended + " of " + count + " queued runs ended within " + bound + " ms");
        long failed = keys.stream().filter(k -> !"succeeded".equals(events.end(k).status())).count();
        if (failed > 0) throw new IllegalStateException(failed + " of " + count + " queued runs did not succeed");
        String total = Integer.toString(Integer.parseInt(awaitSucceededTotal(api, before + count)) - before);
        if (!total.equals(Integer.toString(count))) {
            throw new IllegalStateException("GET /runs counts " + total + " succeeded bulk runs, expected " + count);
        }
        String sending = clients == 1 ? "one after another" : "from " + clients + " connections at once, one after"
                + " another on each";
        Table table = new Table("Server: throughput of " + count + " queued no-op runs (POST ?queue=true " + sending
                + ", then wait for every run to succeed)" + when, "phase", "runs", "s", "runs/s");
        table.row("accept the POSTs", count, Table.fmt((t1 - t0) / 1e9), Table.fmt(count / ((t1 - t0) / 1e9)));
        table.row("first POST → last succeeded", count, Table.fmt((t2 - t0) / 1e9), Table.fmt(count / ((t2 - t0) / 1e9)));
        return table.note("server slots = " + SLOTS + " (STOKER_SLOTS); ends seen on GET /events, checked against"
                + " GET /runs?status=succeeded.");
    }

    private Table follow(ServerApi api) throws Exception {
        int lines = settings.logLines();
        long t0 = System.nanoTime();
        String key = api.trigger(PROJECT, "lines");
        HttpResponse<InputStream> r = api.stream("/runs/" + key + "/tasks/t/log?follow=true", null);
        if (r.statusCode() != 200) throw new IOException("following the log answered " + r.statusCode());
        long bound = 60_000 + lines / 10;
        Count count;
        try (var reader = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Count> counting = reader.submit(() -> count(r.body(), t0));
            try {
                count = counting.get(bound, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                r.body().close(); // lets the reader end
                throw new IllegalStateException("the log follow did not end within " + bound + " ms");
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the log follow failed: " + e.getCause(), e.getCause());
            }
        }
        if (count.lines() != lines || count.outOfOrder() != 0) {
            throw new IllegalStateException("the follow got " + count.lines() + " lines (" + count.outOfOrder()
                    + " out of order), expected " + lines);
        }
        requireSucceeded(key, awaitFinalRun(api, key).field("status"));
        double mb = count.bytes() / 1e6;
        double whole = (count.lastNanos() - t0) / 1e9;
        double streamed = (count.lastNanos() - count.firstNanos()) / 1e9;
        Table table = new Table("Server: live-log follow of `seq 1 " + lines + "` (GET …/tasks/t/log?follow=true,"
                + " chunked, opened right after the POST)", "interval", "lines", "MB", "s", "lines/s", "MB/s");
        table.row("POST → last line", count.lines(), Table.fmt(mb), Table.fmt(whole), Table.fmt(count.lines() / whole),
                Table.fmt(mb / whole));
        table.row("first line → last line", count.lines(), Table.fmt(mb), Table.fmt(streamed),
                Table.fmt(count.lines() / streamed), Table.fmt(mb / streamed));
        return table.note("every line received and in order: " + count.lines() + " of " + lines + " stdout lines (plus "
                        + count.systemLines() + " of the engine's own);")
                .note("log lines are `<time> <stream> <text>`; MB = 10^6 bytes as received.");
    }

    /**
     * Buildbot's 50 MB log: the job's pipeline run by the server with one live follower attached, against the same
     * pipeline run by bash into /dev/null. The first run on the server is shown alone (its log path not yet compiled
     * by the JIT), then the median of {@link #BIG_LOG_ROUNDS} more, as a server that has logged before runs it; the
     * baseline is the median of as many bare runs. MB/s are of the 50 MB the pipeline writes (the follower receives
     * more: each line carries its time and stream).
     */
    private Table bigLog(ServerApi api) throws Exception {
        double payload = 50e6;
        List<Long> bare = new ArrayList<>();
        for (int i = 0; i < BIG_LOG_ROUNDS; i++) bare.add(bareBigLog());
        long first = followedBigLog(api);
        List<Long> again = new ArrayList<>();
        for (int i = 0; i < BIG_LOG_ROUNDS; i++) again.add(followedBigLog(api));
        double bareSeconds = Samples.of(bare).median() / 1e9;
        double firstSeconds = first / 1e9;
        double againSeconds = Samples.of(again).median() / 1e9;
        Table table = new Table("Server: 50 MB log (`" + BIG_LOG + "`) with one live follower (GET …/log?follow=true)",
                "what", "s", "MB/s", "baseline MB/s", "ratio");
        table.row("POST → follower read the last byte, first run", Table.fmt(firstSeconds),
                Table.fmt(payload / 1e6 / firstSeconds), Table.fmt(payload / 1e6 / bareSeconds),
                Table.fmt(bareSeconds / firstSeconds) + "×");
        table.row("the same, median of the next " + BIG_LOG_ROUNDS, Table.fmt(againSeconds),
                Table.fmt(payload / 1e6 / againSeconds), Table.fmt(payload / 1e6 / bareSeconds),
                Table.fmt(bareSeconds / againSeconds) + "×");
        return table.note("baseline = the same pipeline run by `bash -c '… > /dev/null'`, median of " + BIG_LOG_ROUNDS
                + " (" + Table.fmt(bareSeconds) + " s); each follower received the whole log (lines with time and"
                + " stream, about 65 MB).");
    }

    /** Nanoseconds of one bare run of the pipeline into /dev/null. */
    private static long bareBigLog() throws Exception {
        long b0 = System.nanoTime();
        Process bare = new ProcessBuilder("bash", "-c", BIG_LOG + " > /dev/null")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!bare.waitFor(RUN_MILLIS, TimeUnit.MILLISECONDS) || bare.exitValue() != 0) {
            bare.destroyForcibly();
            throw new IllegalStateException("the bare 50 MB pipeline did not succeed");
        }
        return System.nanoTime() - b0;
    }

    /** Nanoseconds from the POST of one {@code biglog} run to its follower reading the last byte; checks both ends. */
    private static long followedBigLog(ServerApi api) throws Exception {
        long t0 = System.nanoTime();
        String key = api.trigger(PROJECT, "biglog");
        HttpResponse<InputStream> r = api.stream("/runs/" + key + "/tasks/t/log?follow=true", null);
        if (r.statusCode() != 200) throw new IOException("following the log answered " + r.statusCode());
        long received;
        try (var reader = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Long> counting = reader.submit(() -> {
                long n = 0;
                try (InputStream in = r.body()) {
                    byte[] buf = new byte[1 << 16];
                    for (int k; (k = in.read(buf)) >= 0; ) n += k;
                }
                return n;
            });
            try {
                received = counting.get(RUN_MILLIS * 2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                r.body().close();
                throw new IllegalStateException("the 50 MB log follow did not end within " + RUN_MILLIS * 2 + " ms");
            }
        }
        long followed = System.nanoTime() - t0;
        requireSucceeded(key, awaitFinalRun(api, key).field("status"));
        if (received < 50_000_000L) throw new IllegalStateException("the follower got " + received + " bytes of 50 MB");
        return followed;
    }

    /** What a log follow delivered. */
    private record Count(long lines, long systemLines, long bytes, long outOfOrder, long firstNanos, long lastNanos) {
    }

    private static Count count(InputStream body, long t0) throws IOException {
        long lines = 0;
        long bytes = 0;
        long outOfOrder = 0;
        long other = 0;
        long first = 0;
        long last = t0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            for (String line; (line = r.readLine()) != null; ) {
                last = System.nanoTime();
                if (lines == 0) first = last;
                bytes += line.length() + 1; // ASCII: timestamps, "out" and digits
                String[] parts = line.split(" ", 3); // <time> <stream> <text>
                if (parts.length < 3 || !parts[1].equals("out")) {
                    other++; // the engine's own "system" lines (the command, the exit)
                    continue;
                }
                lines++;
                if (!parts[2].equals(Long.toString(lines))) outOfOrder++;
            }
        }
        return new Count(lines, other, bytes, outOfOrder, first, last);
    }

    /** The run once GET shows it ended: the ended event can arrive a moment before the row is written. */
    private static ServerApi.Reply awaitFinalRun(ServerApi api, String key) throws Exception {
        long deadline = System.nanoTime() + RUN_MILLIS * 1_000_000;
        while (true) {
            ServerApi.Reply r = api.get("/runs/" + key);
            String status = r.field("status");
            if (r.status() == 200 && !Set.of("pending", "queued", "running").contains(status) && r.field("startedAt") != null) {
                return r;
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("run " + key + " still " + status);
            Thread.sleep(5);
        }
    }

    private static String awaitSucceededTotal(ServerApi api, int expected) throws Exception {
        long deadline = System.nanoTime() + RUN_MILLIS * 1_000_000;
        while (true) {
            String total = api.get("/runs?project=" + PROJECT + "&job=bulk&status=succeeded&pageSize=1").field("total");
            if (expected < 0 || Integer.toString(expected).equals(total) || System.nanoTime() > deadline) return total;
            Thread.sleep(50);
        }
    }

    private static void requireSucceeded(String key, String status) {
        if (!"succeeded".equals(status)) throw new IllegalStateException("run " + key + " ended " + status);
    }
}

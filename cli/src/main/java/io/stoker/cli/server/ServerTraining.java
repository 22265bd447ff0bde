package io.stoker.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The work the {@code stoker} launcher has a server of its own do once, on a JDK with ahead-of-time caches (25 and
 * later), before it stops it: the cache it writes at its exit then holds the classes and the method profiles of the
 * paths every server takes — login, a project's Jobfile compiled, runs triggered and followed over the event stream,
 * their logs and lists read — so a user's freshly started server runs those paths compiled from its first requests
 * instead of after a few thousand (the README's Benchmarks: trigger latency on a fresh server).
 *
 * <p>Not a command: {@code java -cp stoker.jar io.stoker.cli.server.ServerTraining URL PASSWORD [RUNS]} (default {@value #RUNS}), run by the
 * launcher against the scratch server it started (127.0.0.1, a temp data directory). Bounded: every request has a
 * timeout and the whole of it stops after {@link #DEADLINE}; it exits 0 when it did its work, 1 otherwise (the
 * launcher keeps a cache either way: what was trained is still right, only less of it).
 */
public final class ServerTraining {
    /** Runs triggered one after another: enough for every method on the trigger path to reach its profiled tier. */
    static final int RUNS = 300;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String PROJECT = "training";
    private static final String JOBFILE = """
            job('noop') {
              task('t') { sh 'true' }
            }
            job('lines') {
              task('numbers') { sh 'seq 1 2000' }
              task('count') {
                needs 'numbers'
                sh 'echo counted'
              }
            }
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();
    private final URI api;
    private final long deadline = System.nanoTime() + DEADLINE.toNanos();
    private String token;

    private ServerTraining(URI server) {
        this.api = server.resolve("/api/v1/");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** What {@link #main} does, without leaving the JVM: 0 done, 1 stopped on an error, 2 bad usage. */
    static int run(String... args) {
        if (args.length < 2 || args.length > 3 || args.length == 3 && !args[2].matches("[1-9][0-9]{0,4}")) {
            System.err.println("usage: ServerTraining URL PASSWORD [RUNS]");
            return 2;
        }
        try {
            new ServerTraining(URI.create(args[0])).train(args[1], args.length > 2 ? Integer.parseInt(args[2]) : RUNS);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("training stopped: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void train(String password, int runs) throws IOException, InterruptedException {
        token = call("POST", "login", Map.of("username", "admin", "password", password)).path("token").asText();
        call("POST", "projects", Map.of("name", PROJECT, "jobfile", JOBFILE));
        Thread events = Thread.ofPlatform().daemon().start(this::followEvents);
        for (int i = 0; i < runs && !late(); i++) {
            String job = i % 20 == 19 ? "lines" : "noop";
            String key = call("POST", "projects/" + PROJECT + "/jobs/" + job + "/runs", null).path("key").asText();
            awaitEnd(key);
            if (job.equals("lines")) {
                text("runs/" + key + "/log");
                text("runs/" + key + "/tasks/numbers/log");
                call("GET", "runs?project=" + PROJECT, null);
                call("GET", "jobs", null);
            }
        }
        events.interrupt();
    }

    private void awaitEnd(String key) throws IOException, InterruptedException {
        while (!late()) {
            String status = call("GET", "runs/" + key, null).path("status").asText();
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) return;
            Thread.sleep(2);
        }
    }

    /** Reads the event stream as the web UI and the bench do, so its fan-out is trained too. */
    private void followEvents() {
        try {
            HttpResponse<Stream<String>> r = http.send(request("GET", "events", null)
                    .header("Accept", "text/event-stream").timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = r.body()) {
                lines.takeWhile(l -> !late() && !Thread.currentThread().isInterrupted()).forEach(l -> { });
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the server stopped or the training ended: nothing to train any more
        }
    }

    private boolean late() {
        return System.nanoTime() > deadline;
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(request(method, path, body).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException(method + " " + path + " got no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        if (r.statusCode() >= 300) throw new IOException(method + " " + path + " answered " + r.statusCode());
        return r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
    }

    private void text(String path) throws IOException, InterruptedException {
        http.send(request("GET", path, null).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
    }

    private HttpRequest.Builder request(String method, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody());
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }
}

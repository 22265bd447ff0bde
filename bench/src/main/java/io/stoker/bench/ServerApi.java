package io.stoker.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The few REST calls the server section makes: plain calls over {@link HttpURLConnection} (blocking, on the calling
 * thread), streamed ones (log follow, events) over {@code java.net.http}; JSON read and written with Jackson.
 */
final class ServerApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private String token;

    ServerApi(String serverUrl) {
        this.base = serverUrl.replaceAll("/+$", "") + "/api/v1";
    }

    /** Logs in and sends a fresh named API token from then on (the API needs one; it outlives the 15-minute JWT). */
    ServerApi login(String username, String password) throws IOException, InterruptedException {
        return login(username, password, "bench");
    }

    /** As {@link #login(String, String)}, the token named {@code tokenName} (unique per user, cluster-wide). */
    ServerApi login(String username, String password, String tokenName) throws IOException, InterruptedException {
        Reply login = post("/login", json(Map.of("username", username, "password", password)));
        if (login.status() != 200) throw new IOException("login answered " + login.status() + ": " + login.body());
        token = login.field("token");
        Reply created = post("/tokens", json(Map.of("name", tokenName)));
        if (created.status() != 201) throw new IOException("creating a token answered " + created.status() + ": " + created.body());
        token = created.field("token");
        return this;
    }

    /** One answer: status code and body. */
    record Reply(int status, String body) {
        String field(String name) {
            return ServerApi.field(body, name);
        }
    }

    Reply get(String path) throws IOException {
        return exchange("GET", base + path, null);
    }

    /** A GET outside {@code /api/v1} ({@code /healthz}), with the token like any other. */
    Reply getRoot(String path) throws IOException {
        return exchange("GET", base.substring(0, base.length() - "/api/v1".length()) + path, null);
    }

    Reply post(String path, String json) throws IOException {
        return exchange("POST", base + path, json);
    }

    /**
     * One request and its whole answer on the calling thread ({@link HttpURLConnection}, kept-alive connections
     * reused): {@code java.net.http} hands each exchange to its selector thread and back, which added 1.5–2.5 ms
     * of thread wake-ups to every round trip measured here (GET /healthz: 2.98 ms against Python's http.client
     * 0.4–1.6 ms on the same server), more than the server's own work.
     */
    private Reply exchange(String method, String url, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout((int) TIMEOUT.toMillis());
        c.setReadTimeout((int) TIMEOUT.toMillis());
        if (token != null) c.setRequestProperty("Authorization", "Bearer " + token);
        if (json != null) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("content-type", "application/json");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = "";
        if (in != null) {
            try (in) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8); // read to the end: the connection is reused
            }
        }
        return new Reply(status, text);
    }

    /** Opens a streamed GET (a chunked log follow or an event stream); the caller reads and closes the body. */
    HttpResponse<InputStream> stream(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).GET();
        if (accept != null) b.header("accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Creates a freestyle project from Jobfile text (Groovy syntax). */
    void freestyle(String name, String jobfile) throws IOException, InterruptedException {
        Reply r = post("/projects", json(Map.of("name", name, "file", "Jobfile", "jobfile", jobfile)));
        if (r.status() != 201) throw new IOException("creating project " + name + " answered " + r.status() + ": " + r.body());
    }

    /** Triggers a run, queued even when the job is busy; answers its key. */
    String trigger(String project, String job) throws IOException, InterruptedException {
        Reply r = post("/projects/" + project + "/jobs/" + job + "/runs?queue=true", "{}");
        if (r.status() != 201) throw new IOException("triggering " + project + "/" + job + " answered " + r.status() + ": " + r.body());
        return r.field("key");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** The top-level string or number field {@code name} of a JSON object text, or null (absent, null, not JSON). */
    static String field(String json, String name) {
        try {
            JsonNode value = JSON.readTree(json).get(name);
            return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // strings only: cannot happen
        }
    }
}

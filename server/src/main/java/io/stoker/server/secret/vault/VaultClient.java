package io.stoker.server.secret.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.server.db.Json;
import io.stoker.server.http.OnDemandHttpClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads KV v2 secrets from Vault over its HTTP API: {@code GET {addr}/v1/{mount}/data/{path}} with
 * {@code X-Vault-Token} (and {@code X-Vault-Namespace} when configured). With AppRole it logs in through
 * {@code POST /v1/auth/approle/login}, keeps the client token until its lease is nearly over, and logs in again
 * once when Vault answers 403 (a token revoked or expired early). Thread-safe; blocking, with short timeouts so a
 * dead Vault fails a run quickly instead of holding the dispatcher.
 */
public final class VaultClient {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration REQUEST = Duration.ofSeconds(10);

    private final VaultConfig config;
    private final OnDemandHttpClient http;
    private final Clock clock;
    private String token;
    private Instant tokenUntil = Instant.MAX;

    public VaultClient(VaultConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = new OnDemandHttpClient(() -> HttpClient.newBuilder().connectTimeout(CONNECT)
                .followRedirects(HttpClient.Redirect.NEVER).build());
        this.token = config.token();
    }

    public VaultConfig config() {
        return config;
    }

    /** The value of {@code key} in the KV v2 secret at {@code path}. */
    public String read(String path, String key) throws VaultException {
        String where = config.mount() + "/" + path;
        HttpResponse<String> r = get(path, token(false));
        if (r.statusCode() == 403 && config.appRole()) r = get(path, token(true));
        switch (r.statusCode()) {
            case 200 -> {
            }
            case 403 -> throw new VaultException(403, "Vault denied reading " + where + " (403 "
                    + errors(r) + "): the " + (config.appRole() ? "AppRole's" : "token's") + " policy must allow"
                    + " read on " + config.mount() + "/data/" + path);
            case 404 -> throw new VaultException(404, "Vault has no secret at " + where + " (404; KV v2 mount '"
                    + config.mount() + "')");
            case 503 -> throw new VaultException(503, sealed(r) ? "Vault is sealed (503): unseal it, then run again"
                    : "Vault is unavailable (503 " + errors(r) + ")");
            default -> throw new VaultException(r.statusCode(), "Vault answered " + r.statusCode() + " reading "
                    + where + " (" + errors(r) + ")");
        }
        JsonNode data = parse(r).path("data").path("data");
        if (!data.isObject()) {
            throw new VaultException(200, "Vault's answer for " + where + " has no data.data object: is '"
                    + config.mount() + "' a KV version 2 mount?");
        }
        JsonNode value = data.get(key);
        if (value == null || value.isNull()) {
            List<String> keys = new ArrayList<>();
            data.fieldNames().forEachRemaining(keys::add);
            throw new VaultException(0, "the Vault secret " + where + " has no key '" + key + "' (it has: "
                    + String.join(", ", keys) + ")");
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private HttpResponse<String> get(String path, String token) throws VaultException {
        HttpRequest.Builder b = request("/v1/" + config.mount() + "/data/" + path).GET()
                .header("X-Vault-Token", token);
        return send(b.build());
    }

    private synchronized String token(boolean renew) throws VaultException {
        if (!config.appRole()) return token;
        if (renew || token == null || !clock.instant().isBefore(tokenUntil)) login();
        return token;
    }

    private void login() throws VaultException {
        String body = Json.write(Map.of("role_id", config.roleId(), "secret_id", config.secretId()));
        HttpResponse<String> r = send(request("/v1/auth/approle/login")
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
        if (r.statusCode() == 503 && sealed(r)) {
            throw new VaultException(503, "Vault is sealed (503): unseal it, then run again");
        }
        if (r.statusCode() != 200) {
            throw new VaultException(r.statusCode(), "Vault AppRole login failed (" + r.statusCode() + " "
                    + errors(r) + "): check " + VaultConfig.ROLE_ID + " and " + VaultConfig.SECRET_ID);
        }
        JsonNode auth = parse(r).path("auth");
        String t = auth.path("client_token").asText("");
        if (t.isEmpty()) throw new VaultException(200, "Vault's AppRole login answer has no auth.client_token");
        long lease = auth.path("lease_duration").asLong(0);
        token = t;
        // renew a little before the lease ends, so a read never goes out with a token about to expire
        tokenUntil = lease <= 0 ? Instant.MAX : clock.instant().plusSeconds(Math.max(1, lease - Math.min(30, lease / 10)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.address() + path)).timeout(REQUEST);
        if (config.namespace() != null) b.header("X-Vault-Namespace", config.namespace());
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) throws VaultException {
        try {
            return http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new VaultException(0, "Vault at " + config.address() + " did not answer in time");
        } catch (IOException e) {
            throw new VaultException(0, "Vault at " + config.address() + " is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException(0, "interrupted while asking Vault");
        }
    }

    private static JsonNode parse(HttpResponse<String> r) throws VaultException {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new VaultException(r.statusCode(), "Vault's answer is not JSON: " + e.getMessage());
        }
    }

    /** Vault's {@code {"errors":[…]}} as one line; Vault wraps some in "1 error occurred: * …". */
    private static String errors(HttpResponse<String> r) {
        try {
            JsonNode errors = Json.mapper().readTree(r.body()).path("errors");
            List<String> out = new ArrayList<>();
            errors.forEach(e -> out.add(e.asText().replaceAll("\\d+ errors? occurred:", "").replaceAll("[\\s*]+", " ").trim()));
            out.removeIf(String::isEmpty);
            return out.isEmpty() ? "no reason given" : String.join("; ", out);
        } catch (IOException | RuntimeException e) {
            return "no reason given";
        }
    }

    private static boolean sealed(HttpResponse<String> r) {
        return errors(r).toLowerCase(java.util.Locale.ROOT).contains("sealed");
    }
}

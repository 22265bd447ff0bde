package io.stoker.server.secret

import io.vertx.core.Vertx
import io.vertx.core.http.HttpServer
import io.vertx.core.http.HttpServerRequest
import io.vertx.core.json.JsonObject

import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/**
 * A small stand-in for HashiCorp Vault (which cannot be installed here) serving the parts of its HTTP API Stoker
 * uses, with Vault's documented answers: KV v2 reads ({@code GET /v1/<mount>/data/<path>} → 200
 * {@code {"data":{"data":{…},"metadata":{…}}}}, 404 {@code {"errors":[]}}, 403 {@code {"errors":["permission denied"]}}),
 * AppRole login ({@code POST /v1/auth/approle/login} → {@code {"auth":{"client_token",…,"lease_duration"}}}, 400
 * {@code {"errors":["invalid role ID"]}}), 503 {@code {"errors":["Vault is sealed"]}} on every path while sealed,
 * and {@code X-Vault-Namespace} scoping. Real HTTP on 127.0.0.1 and a free port.
 */
class VaultFixture implements Closeable {
    final Vertx vertx = Vertx.vertx()
    final HttpServer server
    /** "<mount>/<path>" → the secret's key/value data */
    final Map<String, Map<String, Object>> kv = new ConcurrentHashMap<>()
    /** token → the path prefixes ("<mount>/data/<prefix>") it may read */
    final Map<String, List<String>> tokens = new ConcurrentHashMap<>()
    final Map<String, Instant> expires = new ConcurrentHashMap<>()
    /** role_id → [secretId, policy prefixes, ttl seconds] */
    final Map<String, List> roles = new ConcurrentHashMap<>()
    final List<String> requests = new CopyOnWriteArrayList<>()
    volatile boolean sealed
    volatile String namespace
    volatile int logins

    VaultFixture() {
        server = vertx.createHttpServer().requestHandler(this.&handle).listen(0, '127.0.0.1')
                .toCompletionStage().toCompletableFuture().get(30 * io.stoker.server.Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)
    }

    String getAddress() {
        "http://127.0.0.1:${server.actualPort()}"
    }

    VaultFixture put(String mountAndPath, Map<String, Object> data) {
        kv[mountAndPath] = data
        this
    }

    /** A token that may read KV v2 paths under these "<mount>/data/…" prefixes. */
    String token(String token, List<String> prefixes) {
        tokens[token] = prefixes
        token
    }

    void role(String roleId, String secretId, List<String> prefixes, long ttlSeconds) {
        roles[roleId] = [secretId, prefixes, ttlSeconds]
    }

    /** Revokes every token, as {@code vault token revoke} would; a client must log in again. */
    void revokeAll() {
        tokens.clear()
        expires.clear()
    }

    private def handle(HttpServerRequest req) {
        req.body().onSuccess { body ->
            requests << "${req.method()} ${req.path()}".toString()
            if (sealed) return reply(req, 503, [errors: ['Vault is sealed']])
            if (namespace != null && req.getHeader('X-Vault-Namespace') != namespace) {
                // another namespace's tokens and paths do not exist here
                return reply(req, 403, [errors: ['permission denied']])
            }
            if (req.method().name() == 'POST' && req.path() == '/v1/auth/approle/login') return login(req, body.toString())
            if (req.method().name() == 'GET' && req.path().startsWith('/v1/')) return read(req)
            reply(req, 404, [errors: []])
        }
    }

    private def login(HttpServerRequest req, String body) {
        Map in
        try {
            in = new JsonObject(body).map
        } catch (Exception e) {
            return reply(req, 400, [errors: ['failed to parse JSON input: ' + e.message]])
        }
        if (!in.role_id) return reply(req, 400, [errors: ['missing role_id']])
        def role = roles[in.role_id]
        if (role == null) return reply(req, 400, [errors: ['invalid role ID']])
        if (role[0] != in.secret_id) return reply(req, 400, [errors: ['invalid secret id']])
        logins++
        String token = 'hvs.' + UUID.randomUUID().toString().replace('-', '')
        tokens[token] = role[1] as List<String>
        expires[token] = Instant.now().plusSeconds(role[2] as long)
        reply(req, 200, [request_id: UUID.randomUUID().toString(), lease_id: '', renewable: false, lease_duration: 0,
                         data: null, wrap_info: null, warnings: null,
                         auth: [client_token: token, accessor: UUID.randomUUID().toString(), policies: ['default', 'ci'],
                                token_policies: ['default', 'ci'], metadata: [role_name: 'ci'],
                                lease_duration: role[2], renewable: true, entity_id: UUID.randomUUID().toString(),
                                token_type: 'service', orphan: true, mfa_requirement: null, num_uses: 0]])
    }

    private def read(HttpServerRequest req) {
        String token = req.getHeader('X-Vault-Token')
        List<String> allowed = token == null ? null : tokens[token]
        Instant until = token == null ? null : expires[token]
        if (allowed == null || (until != null && Instant.now().isAfter(until))) {
            return reply(req, 403, [errors: ['permission denied']])
        }
        String path = req.path().substring('/v1/'.length())
        int data = path.indexOf('/data/')
        if (data < 0) return reply(req, 404, [errors: []])
        if (!allowed.any { path.startsWith(it) }) {
            return reply(req, 403, [errors: ['1 error occurred:\n\t* permission denied\n\n']])
        }
        String key = path.substring(0, data) + '/' + path.substring(data + '/data/'.length())
        Map<String, Object> secret = kv[key]
        if (secret == null) return reply(req, 404, [errors: []])
        reply(req, 200, [request_id: UUID.randomUUID().toString(), lease_id: '', renewable: false, lease_duration: 0,
                         data: [data: secret, metadata: [created_time: '2026-01-01T00:00:00.000000Z', custom_metadata: null,
                                                         deletion_time: '', destroyed: false, version: 1]],
                         wrap_info: null, warnings: null, auth: null, mount_type: 'kv'])
    }

    private static void reply(HttpServerRequest req, int status, Map body) {
        req.response().setStatusCode(status).putHeader('Content-Type', 'application/json')
                .putHeader('Cache-Control', 'no-store').end(new JsonObject(body).encode())
    }

    @Override
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().get(30 * io.stoker.server.Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)
    }
}

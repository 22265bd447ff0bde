package io.stoker.server.fuzz

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.Combinators
import net.jqwik.api.Example
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import net.jqwik.api.ShrinkingMode
import net.jqwik.api.lifecycle.AfterContainer
import net.jqwik.api.lifecycle.BeforeContainer

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * "Bad input everywhere": random and malformed requests to every route the server serves, with every method.
 * Whatever is sent, the answer is a 4xx with a JSON {@code {"error", "message"}} body, or a 2xx that openapi.json
 * documents for that route; never a 5xx, never a hang. After each request the server is healthy and the project,
 * job, finished run and log stored before the fuzzing are unchanged.
 *
 * <p>A jqwik property (not a Spock spec): the seed is fixed, so a failure reproduces with the same run; jqwik
 * prints the failing request (its {@code toString}).
 */
class RouteFuzzTest {
    static final String SEED = '20261122'
    static final List<String> METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']

    static Path dataDir
    static StokerServer server
    static Http http
    static List<String> routes
    static Map<String, Map> documented
    static String runKey
    static Map<String, String> before

    @BeforeContainer
    static void startServer() {
        dataDir = Files.createTempDirectory('stoker-fuzz')
        server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)))
        http = ServerSpecification.clientFor(server)
        routes = server.routes().collect { it.substring(it.indexOf(' ') + 1) }.unique()
        documented = Http.parse(http.get('/openapi.json').text).paths as Map<String, Map>
        def created = http.post('/projects', [name: 'keep', jobfile: """
job('build') {
  parameters { string 'who', defaultValue: 'world' }
  task('hello') { sh 'echo hello \${{ params.who }}; echo second line' }
}
"""])
        assert created.status == 201, created.text
        def run = http.post('/projects/keep/jobs/build/runs', [:])
        assert run.status == 201, run.text
        runKey = run.json.key
        Http.eventually { http.get("/runs/$runKey").json.status == 'succeeded' }
        before = snapshot()
    }

    @AfterContainer
    static void stopServer() {
        server?.close()
        dataDir?.toFile()?.deleteDir()
    }

    /** What must survive the fuzzing, as the API shows it. */
    static Map<String, String> snapshot() {
        ["/projects/keep", "/projects/keep/jobs/build", "/runs/$runKey", "/runs/$runKey/log",
         "/runs/$runKey/tasks/hello/log"].collectEntries { String path ->
            def r = http.get(path)
            assert r.status == 200, "$path: $r.status $r.text"
            [(path): r.text]
        }
    }

    @Property(tries = 300, seed = RouteFuzzTest.SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyRouteAnswersBadInputWithA4xxJsonErrorAndLosesNothing(@ForAll('requests') FuzzRequest request) {
        check(request)
    }

    /** Random tries may miss a pair: every route with every method gets the same few bad requests as well. */
    @Example
    void everyRouteAndMethodIsCoveredAtLeastOnce() {
        for (String route : routes) {
            for (String method : METHODS) {
                for (String param : ['%00', '..', 'x' * 3000]) {
                    String path = route.replaceAll(/\{[A-Za-z_]+\}/, param)
                    check(new FuzzRequest(route: route, method: method, path: path + '?limit=-1',
                            body: method in ['GET', 'HEAD', 'OPTIONS'] ? null : '{"name": [1, {"a": null}], "x": 1e999'.bytes,
                            headers: ['content-type': 'application/json', 'Authorization': 'Bearer junk']))
                }
            }
        }
    }

    static void check(FuzzRequest request) {
        def reply = http.raw(request.method, http.base + request.path, request.body, request.headers)
        assert reply.status < 500, "5xx for $request: $reply.status $reply.text"
        assert reply.status >= 200 && reply.status != 304 && !(reply.status in 300..399), "$request: $reply.status"
        if (reply.status >= 400) {
            // HEAD answers have no body; 414/431 come from the HTTP codec before the request is read, and
            // java.net.http may drop their body (MalformedHttpSpec checks their JSON over a raw socket)
            if (request.method != 'HEAD' && !(reply.status in [414, 431] && reply.bytes.length == 0)) {
                def json = parseObject(reply.text)
                assert json != null, "4xx without a JSON object body for $request: $reply.status $reply.text"
                assert json.error instanceof String && json.message instanceof String,
                        "4xx without error/message for $request: $reply.text"
            }
        } else {
            assert isDocumented(request, reply.status), "undocumented $reply.status for $request: ${reply.text.take(300)}"
        }
        def health = http.get('/healthz')
        assert health.status == 200 && health.json == [status: 'ok', ready: true], "unhealthy after $request"
        assert snapshot() == before, "stored data changed after $request"
    }

    /**
     * A 2xx is fine when openapi.json lists it for this method and the path the server actually matched: dot
     * segments and empty parameters can turn a fuzzed path into another route (".../projects/.." is "/api/v1/").
     */
    static boolean isDocumented(FuzzRequest r, int status) {
        String raw = r.path.replaceFirst(/\?.*/, '').replaceAll(/(?i)%2e/, '.')
        String normalized = URI.create(raw).normalize().rawPath
        // outside the API a GET is the web UI's (".../healthz/.." is "/", the UI's index page)
        if (status == 200 && r.method in ['GET', 'HEAD'] && !(normalized ==~ '/api/v1(/.*)?|/healthz/?')) return true
        String path = normalized.replaceFirst('^/api/v1(?=/|$)', '').replaceFirst('/+$', '')
        // every GET answers HEAD too (as HTTP has it: the same status and headers, no body), as the info says
        String method = r.method == 'HEAD' ? 'get' : r.method.toLowerCase()
        documented.any { String template, Map ops ->
            String regex = template.split(/\{[A-Za-z_]+\}/, -1).collect { java.util.regex.Pattern.quote(it) }.join('[^/]+')
            // and every documented path answers OPTIONS with 204 and Allow, as the info says too
            if (method == 'options') return status == 204 && path ==~ regex
            Map op = ops[method] as Map
            op != null && (op.responses as Map).containsKey(String.valueOf(status)) && path ==~ regex
        }
    }

    static Map parseObject(String text) {
        try {
            def v = Http.parse(text)
            v instanceof Map ? v : null
        } catch (Exception ignored) {
            null
        }
    }

    // ---- generators ------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<FuzzRequest> requests() {
        Arbitrary<String> route = Arbitraries.of(routes + ['/api/v1/nope/{x}', '/api/v1', '/healthz/{x}'])
        Combinators.combine(route, Arbitraries.of(METHODS), pathParams().list().ofSize(4), queries(), bodies(),
                contentTypes(), authorizations(), extraHeaders()).as { String r, String m, List<String> ps, String q,
                                                                     byte[] b, String ct, String auth, Map<String, String> extra ->
            int i = 0
            String path = r.replaceAll(/\{[A-Za-z_]+\}/) { ps[i++ % ps.size()] }
            Map<String, String> headers = [:]
            if (ct != null) headers['content-type'] = ct
            if (auth != null) headers['Authorization'] = auth
            headers.putAll(extra)
            new FuzzRequest(route: r, method: m, path: path + q, body: m in ['GET', 'HEAD', 'OPTIONS'] && b?.length > 4096 ? null : b,
                    headers: headers)
        }
    }

    /** Path parameters: percent-encoded junk, dot segments, NUL, invalid UTF-8, very long, plausible names. */
    static Arbitrary<String> pathParams() {
        Arbitraries.oneOf(
                Arbitraries.of('..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', 'a%00b', '%ff%fe', '%c3%28', '%e2%82',
                        '%25', '%2F', 'keep%2F..', 'keep', 'build', 'hello', 'x' * 5000, '%41' * 3000, '-', '_', '1', '0',
                        '99999999999999999999', '-1', 'keep-1', 'keep-0', 'keep-99999999999999999999', 'CON', 'nul',
                        '%E2%80%AE', '%F0%9F%94%A5', 'artifacts.tar.gz', 'hello.zip', '..%5c..%5c', '%0d%0aX-Injected:%201'),
                Arbitraries.strings().all().ofMaxLength(60).map { enc(it) },
                Arbitraries.strings().withCharRange('a' as char, 'z' as char).withChars('-_.' as char[]).ofMinLength(1).ofMaxLength(30))
    }

    static Arbitrary<String> queries() {
        Arbitrary<String> key = Arbitraries.of('limit', 'offset', 'status', 'project', 'job', 'follow', 'since', 'page',
                'ref', 'tail', 'format', '', 'x', '%00')
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of('', '-1', '0', '1', '99999999999999999999', '1e999', 'NaN', 'true', 'maybe', '%00', '%ff',
                        'x' * 10_000, '%2e%2e', '%5B%5D', '%7B%7D', 'null', 'succeeded', 'keep', 'a%20b'),
                Arbitraries.strings().all().ofMaxLength(40).map { enc(it) })
        Arbitrary<String> pair = Combinators.combine(key, value).as { k, v -> "$k=$v".toString() }
        Arbitraries.oneOf(Arbitraries.just(''),
                pair.list().ofMinSize(1).ofMaxSize(4).map { '?' + it.join('&') },
                Arbitraries.of('?', '?&&', '?=', '?limit', '?limit=1&limit=2', '?follow&follow=false'))
    }

    /** Bodies: random bytes, invalid UTF-8, JSON of the wrong shape or types, huge numbers, deep nesting, long strings. */
    static Arbitrary<byte[]> bodies() {
        Arbitrary<String> field = Arbitraries.of('name', 'jobfile', 'gitUrl', 'branch', 'file', 'webhookSecret',
                'credentials', 'parameters', 'ref', 'metadata', 'unknown', '', '\u0000', 'name\u202e')
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of('null', 'true', 'false', '0', '-0', '1e999', '-1e999', '123456789012345678901234567890',
                        '0.000000000000000000000000001', '"\\ud800"', '"\\u0000"', '""', '[]', '{}', '[null]', '{"a":null}',
                        '"' + 'x' * 200_000 + '"', '"${{ params.who }}"', '"../../etc/passwd"', '"file:///etc/passwd"',
                        '{"who": 1}', '{"who": {"a": []}}'),
                Arbitraries.strings().all().ofMaxLength(50).map { json(it) },
                Arbitraries.integers().map { String.valueOf(it) })
        Arbitrary<String> object = Combinators.combine(field, scalar).as { f, v -> json(f) + ':' + v }
                .list().ofMaxSize(5).map { '{' + it.join(',') + '}' }
        Arbitrary<String> deep = Arbitraries.integers().between(1, 20_000).map { n -> '['.multiply(n) + ']'.multiply(n) }
        Arbitrary<String> deepObject = Arbitraries.integers().between(1, 5_000).map { n -> '{"a":'.multiply(n) + '1' + '}'.multiply(n) }
        Arbitraries.oneOf(
                Arbitraries.just(null as byte[]),
                Arbitraries.bytes().array(byte[]).ofMaxSize(2000),
                Arbitraries.of([0xff, 0xfe, 0xfd] as byte[], [0xc3, 0x28] as byte[], [0xed, 0xa0, 0x80] as byte[],
                        '{"name": "\u00ff"}'.getBytes(StandardCharsets.ISO_8859_1), [0x7b, 0x22, 0x80, 0x22, 0x7d] as byte[]),
                Arbitraries.oneOf(object, scalar, deep, deepObject,
                        Arbitraries.of('', ' ', '{', '}', '{"name": ', '[1,2', '{"a":1}{"b":2}', '{"name":"a","name":"b"}',
                                'payload=%7B%7D', '\u0000', '\ufeff{}', 'x' * 1_100_000))
                        .map { it.getBytes(StandardCharsets.UTF_8) })
    }

    static Arbitrary<String> contentTypes() {
        Arbitraries.of(null, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1',
                'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz',
                'multipart/form-data', 'application/octet-stream', '%%%', 'application/json; boundary=', '*/*')
    }

    /**
     * Junk credentials. Header blocks over 8 KiB are left to MalformedHttpSpec: over the h2c connection
     * java.net.http upgrades to, the server can only reset the stream, which is no HTTP answer to check.
     */
    static Arbitrary<String> authorizations() {
        Arbitraries.of(null, null, 'Bearer', 'Bearer ', 'Bearer junk', 'Basic YWRtaW46YWRtaW4=', 'Basic !!!',
                'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.',
                'Bearer eyJhbGciOiJIUzI1NiJ9.e30.' + 'A' * 43, 'Bearer ' + 'x' * 6000, 'Token a b c', '\u00e9\u00e8')
    }

    static Arbitrary<Map<String, String>> extraHeaders() {
        Arbitraries.oneOf(Arbitraries.just([:] as Map<String, String>),
                Arbitraries.of(
                        ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=' + '0' * 64, 'X-GitHub-Delivery': 'd'],
                        ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': '', 'X-Gitlab-Event-UUID': '%00'],
                        ['X-Gitea-Event': 'delete', 'X-Gitea-Signature': 'zz', 'X-Gitea-Delivery': 'x' * 500],
                        ['Accept': 'text/event-stream'], ['Accept': '%%%'], ['Accept-Encoding': 'gzip, br, junk'],
                        ['Last-Event-ID': '-1'], ['Range': 'bytes=99999999999-'], ['If-None-Match': '*'],
                        ['Origin': 'http://evil.example'], ['X-Forwarded-For': '::::']))
    }

    /** Every character percent-encoded as UTF-8 (unpaired surrogates become '?'), so the URI is legal. */
    static String enc(String s) {
        URLEncoder.encode(s, StandardCharsets.UTF_8).replace('+', '%20')
    }

    static String json(String s) {
        Http.JSON.writeValueAsString(s)
    }

    /** One request; its toString is what a failure report shows. */
    static class FuzzRequest {
        String route
        String method
        String path
        byte[] body
        Map<String, String> headers

        @Override
        String toString() {
            String shown = body == null ? 'no body' : body.length > 200
                    ? "${body.length} bytes: ${new String(body, 0, 200, StandardCharsets.UTF_8)}…"
                    : "${body.length} bytes: ${new String(body, StandardCharsets.UTF_8)}"
            def shownHeaders = headers.collectEntries { k, v -> [(k): v.length() > 80 ? "${v.take(80)}… (${v.length()} chars)" : v] }
            "$method ${path.take(300)}${path.length() > 300 ? '…' : ''} (route $route) headers $shownHeaders, $shown"
        }
    }
}

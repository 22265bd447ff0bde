package io.stoker.server.agent

import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.MigratedDatabase
import io.stoker.server.ScratchDirectory
import io.stoker.agent.pull.PullAgentProgram
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CompletableFuture

/**
 * Pull agents in this JVM dial a real server over loopback HTTP (through a TCP proxy the spec can cut): a task
 * routed by label runs on one and its log and files arrive; cancel kills it there; a connection cut mid-task
 * re-attaches with every line once, and so does one whose heartbeats go unanswered for a while; a revoked token is
 * refused; an agent that stays away fails its task as lost, and one stopped cleanly fails it at once, saying so.
 */
class PullAgentSpec extends ServerSpecification {
    /**
     * A paused JVM on a loaded machine is not a lost agent; and each outage a feature makes must fit in it: the spec
     * sees the drop, lets the task write, restores the link, and the agent dials again and re-attaches.
     */
    static final Duration LOST = Duration.ofSeconds(12 * Http.TIMEOUT_FACTOR)

    @Shared Path agentDirs = ScratchDirectory.removedAtExit('PullAgentSpec') // agents may still clean up here as the spec ends
    @Shared @TempDir Path gates
    @Shared List<PullAgentProgram> programs = []
    @Shared List<TcpProxy> proxies = []
    @Shared String token

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withAgentTimes(Duration.ofSeconds(1), LOST)))
    }

    def setupSpec() {
        def r = http.post('/agent-tokens', [name: 'builders'])
        assert r.status == 201, r.text
        token = r.json.token
    }

    def cleanupSpec() {
        ['loop', 'more', 'lost', 'wake', 'stop'].each { Files.writeString(gates.resolve(it), '') }
        programs*.close()
        proxies*.close()
    }

    /**
     * Starts an agent in this JVM behind its own proxy; returns the program and the proxy once it is online.
     * {@code heartbeat}: how often the agent pings (it gives the connection up after three unanswered).
     */
    List start(String name, List<String> labels, String withToken = token, Duration heartbeat = Duration.ofSeconds(1)) {
        def proxy = new TcpProxy(URI.create(server.url()).port)
        proxies << proxy
        def program = new PullAgentProgram(new PullAgentProgram.Settings(URI.create(proxy.url()), withToken, name,
                labels, 2, agentDirs.resolve(name), heartbeat, Duration.ofMillis(500)), { })
        programs << program
        CompletableFuture.runAsync({ program.run() }, { r -> Thread.ofPlatform().daemon().start(r) })
        Http.eventually { http.get("/agents/$name").json?.status == 'online' }
        [program, proxy]
    }


    /** A script that waits (bounded, 60 s) for a gate file the spec creates. */
    String gate(String name) {
        def f = gates.resolve(name)
        "i=0; while [ ! -f '$f' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done"
    }

    def "what only an SSH agent has (an install over SSH, a host key) is refused for a pull agent, saying it is one"() {
        given:
        start('dialler', ['dialler-only'])

        when:
        def install = http.install('dialler')
        def pin = http.put('/agents/dialler/host-key', [hostKey: 'SHA256:' + 'A' * 43])

        then:
        install.status == 409
        install.json.message == "agent 'dialler' is a pull agent: there is nothing to install over SSH: it reports its " +
                'tools and labels itself when it connects (stoker agent run --label …)'
        pin.status == 409
        pin.json.message == "agent 'dialler' is a pull agent: it has no host key to pin: it dials the server, which " +
                'never connects to it'
    }

    def "an agent that cannot reach the server says why in words"() {
        given: 'a port nothing listens on, held so that nothing can start listening there meanwhile'
        def closed = new ClosedPort()
        int port = closed.port
        List<String> said = Collections.synchronizedList([])
        def program = new PullAgentProgram(new PullAgentProgram.Settings(URI.create("http://127.0.0.1:$port"), token,
                'nowhere', ['nowhere-only'], 1, agentDirs.resolve('nowhere'), Duration.ofSeconds(1), Duration.ofMillis(500)),
                { said << it })
        programs << program

        when:
        CompletableFuture.runAsync({ program.run() }, { r -> Thread.ofPlatform().daemon().start(r) })

        then:
        Http.eventually { said.any { it.contains("cannot connect to ws://127.0.0.1:$port/api/v1/agents/connect: connection refused") } }
        !said.any { it.contains(': null') }

        cleanup:
        closed?.close()
    }

    def "a task routed by label runs on a pull agent: its log arrives and the files it made come back"() {
        given:
        start('puller', ['linux', 'pull'])
        freestyle('pulled', """job('j') {
  task('make') { agent 'pull'; sh 'echo "made on \$(hostname)"; echo hello > made.txt; mkdir -p sub && echo deep > sub/deep.txt' }
  task('read') { agent 'local'; needs 'make'; sh 'cat made.txt sub/deep.txt' }
}""")

        when:
        def run = awaitEnd(trigger('pulled', 'j'))

        then:
        run.status == 'succeeded'
        log(run.key, 'make').contains("running on agent 'puller' (matches 'pull')")
        log(run.key, 'make').contains('made on')
        log(run.key, 'read').contains('hello')
        log(run.key, 'read').contains('deep')

        and: 'the agents list shows it as a pull agent'
        def a = http.get('/agents').json.find { it.name == 'puller' }
        a.mode == 'pull'
        a.status == 'online'
        a.executors == 2
        a.labels.containsAll(['linux', 'pull'])
    }

    def "a pipe streams from a task on one pull agent into a task on another"() {
        given:
        start('reader', ['reader'])
        freestyle('pipe', """job('j') {
  task('gen') { agent 'pull'; sh 'seq 1 20000' }
  task('sum') { agent 'reader'; input from: 'gen'; sh 'echo "lines=\$(wc -l)"' }
}""")

        when:
        def run = awaitEnd(trigger('pipe', 'j'))

        then:
        run.status == 'succeeded'
        log(run.key, 'gen').contains("running on agent 'puller'")
        log(run.key, 'sum').contains("running on agent 'reader'")
        log(run.key, 'sum').contains('lines=20000')
    }

    def "cancelling a run kills its task on the pull agent"() {
        given:
        freestyle('cancel', """job('j') { task('t') { agent 'pull'; sh '''echo \$\$ > ${gates.resolve('pid')}; echo started; ${gate('loop')}''' } }""")
        def key = trigger('cancel', 'j')
        Http.eventually { log(key, 't').contains(' out started') }
        long pid = Files.readString(gates.resolve('pid')).trim() as long

        when:
        assert http.delete("/runs/$key").status in [200, 202, 204]

        then:
        awaitEnd(key).status == 'cancelled'
        Http.eventually { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
    }

    def "a connection cut mid-task re-attaches and every line arrives exactly once"() {
        given:
        def (PullAgentProgram program, TcpProxy proxy) = start('cutter', ['cut'])
        freestyle('cut', """job('j') { task('t') { agent 'cut'; sh '''seq 1 3000; ${gate('more')}; seq 3001 6000''' } }""")
        def key = trigger('cut', 'j')
        Http.eventually { log(key, 't').contains(' out 3000') }
        int before = program.connections()

        when: 'the network drops while the task writes its second half'
        proxy.cut()
        Http.eventually { http.get('/agents/cutter').json.status == 'offline' }
        Files.writeString(gates.resolve('more'), '')
        Http.eventually { program.connections() == before } // still cut: nothing connected meanwhile
        proxy.restore()

        then:
        awaitEnd(key).status == 'succeeded'
        program.connections() > before
        def lines = log(key, 't').readLines().findAll { it.contains(' out ') }.collect { it.substring(it.indexOf(' out ') + 5) }
        lines == (1..6000).collect { it.toString() }

        and: 'the log tells the outage, and that it ended before the output made meanwhile'
        def all = log(key, 't').readLines()
        def at = { String text -> all.findIndexOf { it.contains(text) } }
        at(' out 3000') < at("system lost the link to pull agent cutter; waiting up to ${LOST.toSeconds()}s for it to come back")
        at('system lost the link to pull agent cutter') < at('system re-attached to pull agent cutter after ')
        at('re-attached to pull agent cutter after ') < at(' out 3001')
    }

    def "a pull agent that misses heartbeats for less than the lost timeout keeps its task, which re-attaches and succeeds"() {
        given: 'an agent that pings rarely itself, so only the server gives up on the silence'
        def (PullAgentProgram program, TcpProxy proxy) = start('sleeper', ['sleeper'], token, Duration.ofSeconds(60))
        def up = System.nanoTime()
        freestyle('stall', """job('j') { task('t') { agent 'sleeper'; sh '''echo started; ${gate('wake')}; echo finished''' } }""")
        def key = trigger('stall', 'j')
        Http.eventually { log(key, 't').contains(' out started') }
        int before = program.connections()

        and: 'it has been connected longer than the lost timeout, as an agent in service has'
        Http.eventually(LOST.toMillis() * 2) { System.nanoTime() - up > LOST.toNanos() }

        when: 'nothing gets through, as when its process is stopped, until the server misses its heartbeats'
        proxy.stall()
        Http.eventually {
            def a = http.get('/agents/sleeper').json
            a.status == 'offline' && a.statusReason?.contains('heartbeat')
        }
        proxy.flow()

        and: 'the agent dials again well within the lost timeout'
        Http.eventually { program.connections() > before && http.get('/agents/sleeper').json.status == 'online' }
        Files.writeString(gates.resolve('wake'), '')

        then:
        def run = awaitEnd(key)
        !run.tasks.t.reason
        run.status == 'succeeded'
        log(key, 't').contains(' out finished')
    }

    def "a connect that is not a WebSocket upgrade, or names a bad work directory, is a JSON 400 naming the header, and lists no agent"() {
        given:
        def made = http.post('/agent-tokens', [name: 'handshakes'])
        assert made.status == 201
        Map<String, String> good = ['Authorization': 'Bearer ' + made.json.token, 'Upgrade': 'websocket',
                                    'Connection': 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
                                    'Sec-WebSocket-Version': '13', 'Stoker-Agent-Name': 'half-open',
                                    'Stoker-Agent-Executors': '1', 'Stoker-Agent-Work-Dir': '/tmp/half-open',
                                    'Stoker-Agent-Instance': 'i-1']

        expect:
        changes.every { Map<String, String> change ->
            def headers = good + change
            headers.removeAll { k, v -> v == null }
            def (int status, String body) = rawGet(server.url(), '/api/v1/agents/connect', headers)
            assert status == 400: "$change: $status $body"
            def header = change.keySet().first()
            assert Http.parse(body).details == ["header: $header"]: body
            true
        }
        !http.get('/agents').json.toString().contains('half-open')

        where:
        changes = [['Upgrade': null], ['Upgrade': 'h2c'], ['Connection': 'keep-alive'], ['Sec-WebSocket-Key': null],
                   ['Sec-WebSocket-Version': '99'], ['Stoker-Agent-Work-Dir': '/%ZZ'], ['Stoker-Agent-Work-Dir': '/tmp/%'],
                   // reserved, as for SSH agents: /agents/connect is this route, 'local' the server itself
                   ['Stoker-Agent-Name': 'connect'], ['Stoker-Agent-Name': 'local']]
    }

    /** A GET with exactly these headers over a plain socket (java.net.http refuses Upgrade and Connection). */
    static List rawGet(String base, String path, Map<String, String> headers) {
        def uri = URI.create(base)
        new Socket('127.0.0.1', uri.port).withCloseable { s ->
            s.soTimeout = 30_000
            def request = new StringBuilder("GET $path HTTP/1.1\r\nHost: 127.0.0.1:${uri.port}\r\n")
            headers.each { k, v -> request.append("$k: $v\r\n") }
            request.append('\r\n')
            s.outputStream.write(request.toString().getBytes('UTF-8'))
            s.outputStream.flush()
            def input = new BufferedReader(new InputStreamReader(s.inputStream, 'UTF-8'))
            int status = input.readLine().split(' ')[1] as int
            int length = 0
            String line
            while ((line = input.readLine())) {
                if (line.toLowerCase().startsWith('content-length:')) length = line.substring(15).trim() as int
            }
            char[] body = new char[length]
            int read = 0
            while (read < length) {
                int n = input.read(body, read, length - read)
                if (n < 0) break
                read += n
            }
            [status, new String(body, 0, read)]
        }
    }

    def "a revoked agent token can no longer connect"() {
        given:
        def made = http.post('/agent-tokens', [name: 'temporary'])
        assert made.status == 201
        assert http.get('/agent-tokens').json*.name.contains('temporary')

        when:
        assert http.delete('/agent-tokens/temporary').status == 204
        def r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + '/api/v1/agents/connect'))
                .header('Authorization', 'Bearer ' + made.json.token).GET().build(), HttpResponse.BodyHandlers.ofString())

        then:
        r.statusCode() == 401
        Http.parse(r.body()).message.contains('revoked')

        when: 'an agent program with it is told so and stops'
        def program = new PullAgentProgram(new PullAgentProgram.Settings(URI.create(server.url()), made.json.token as String,
                'refused', [], 1, agentDirs.resolve('refused'), Duration.ofSeconds(1), Duration.ofMillis(500)), { })
        program.run()

        then:
        def e = thrown(PullAgentProgram.Refused)
        e.message.contains('401')

        and: 'the revocation is in the audit log'
        http.get('/audit').text.contains('agent-token.revoked')
    }

    def "an agent whose #what the server refuses stops at once, with the server's reason rather than its JSON"() {
        given:
        def program = new PullAgentProgram(new PullAgentProgram.Settings(URI.create(server.url()), token, name, labels,
                1, agentDirs.resolve('refused-' + what), Duration.ofSeconds(1), Duration.ofMillis(500)), { })
        programs << program

        when: 'it runs, bounded: dialling again and again would never end'
        def ran = CompletableFuture.runAsync({ program.run() }, { r -> Thread.ofPlatform().daemon().start(r) })
        ran.get(10 * Http.TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.SECONDS)

        then:
        def e = thrown(java.util.concurrent.ExecutionException)
        e.cause instanceof PullAgentProgram.Refused
        e.cause.message == message

        where:
        what     | name    | labels  | message
        'name'   | 'local' | []      | "the server refused the agent (HTTP 400): Stoker-Agent-Name: 'local' is reserved: agent 'local' means the server itself"
        'labels' | 'spaced'| ['a b'] | "the server refused the agent (HTTP 400): Stoker-Agent-Labels: 'a b' is not a label (at most 100 letters, digits and _ . : / -)"
        // as for SSH agents: what no agent expression can name would route no task to it
        'label'  | 'equal' | ['env=prod'] | "the server refused the agent (HTTP 400): Stoker-Agent-Labels: 'env=prod' is not a label (at most 100 letters, digits and _ . : / -)"
    }

    def "a pull agent takes every label an agent expression can name, a slash included"() {
        given:
        start('slashed', ['os/linux', 'tool:java_21.0-x'])
        freestyle('slashed-labels', "job('j') { task('t') { agent 'os/linux && tool:java_21.0-x'; sh 'echo routed' } }")

        when:
        def run = awaitEnd(trigger('slashed-labels', 'j'))

        then:
        run.status == 'succeeded'
        log(run.key, 't').contains("running on agent 'slashed'")
    }

    def "a task on a pull agent that stays away fails after the lost timeout with a reason naming it"() {
        given:
        def (PullAgentProgram program, TcpProxy proxy) = start('doomed', ['doomed'])
        freestyle('lost', """job('j') { task('t') { agent 'doomed'; sh '''echo started; ${gate('lost')}''' } }""")
        def key = trigger('lost', 'j')
        Http.eventually { log(key, 't').contains(' out started') }

        when:
        proxy.cut()

        then:
        def run = awaitEnd(key, LOST.toMillis() + 30_000)
        run.status == 'failed'
        def said = run.tasks.t.reason =~ /agent lost: pull agent doomed was away ([0-9.]+) s without reconnecting \(the lost timeout is [0-9.]+ s; disconnected: .+\)/
        said.find()
        (said.group(1) as BigDecimal) >= LOST.toSeconds()
        http.get('/agents/doomed').json.status == 'offline'
    }

    def "a pull agent stopped cleanly kills its task and the server fails it at once, saying the agent stopped"() {
        given:
        def (PullAgentProgram program, TcpProxy proxy) = start('stopper', ['stopper'])
        freestyle('stop', """job('j') { task('t') { agent 'stopper'; sh '''echo \$\$ > ${gates.resolve('stop-pid')}; echo started; ${gate('stop')}''' } }""")
        def key = trigger('stop', 'j')
        Http.eventually { log(key, 't').contains(' out started') }
        long pid = Files.readString(gates.resolve('stop-pid')).trim() as long

        when: 'the agent program stops (as on SIGTERM: its shutdown hook closes it)'
        program.close()

        then: 'the task ends as lost for that reason, not after the lost timeout as if the agent had gone silent'
        def run = awaitEnd(key)
        run.status == 'failed'
        run.tasks.t.reason == 'agent lost: pull agent stopper stopped, and its tasks with it'
        run.tasks.t.exitCode == null

        and: 'its process is gone'
        Http.eventually { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
    }

    def "a pull agent its host stopped reads as stopped, one whose connection dropped as disconnected"() {
        given:
        PullAgentProgram stopped = start('shut', ['shut'])[0] as PullAgentProgram
        TcpProxy proxy = start('dropped', ['dropped'])[1] as TcpProxy

        when: 'one is stopped as on SIGTERM (its shutdown hook closes it), the other loses its connection'
        stopped.close()
        proxy.cut()

        then:
        Http.eventually { http.get('/agents/shut').json.status == 'offline' }
        http.get('/agents/shut').json.statusReason == 'stopped by its host: pull agent shut stopped, and its tasks with it'
        Http.eventually { http.get('/agents/dropped').json.status == 'offline' }
        http.get('/agents/dropped').json.statusReason.startsWith('disconnected: ')
        http.get('/agents').json.find { it.name == 'shut' }.statusReason.startsWith('stopped by its host: ')

        cleanup:
        proxy?.restore()
    }
}

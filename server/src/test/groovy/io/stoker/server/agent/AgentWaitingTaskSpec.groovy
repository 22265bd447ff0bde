package io.stoker.server.agent

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ScratchDirectory
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas
import io.stoker.server.auth.OpenStream
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * A task whose only agent is busy is not shown running: it is {@code starting}, and its reason says what it waits
 * for, in the run's JSON, in the {@code task} event and in the stored row; once the agent frees it runs, its start
 * time being when it really started. A cancel ends it while it waits, and its {@code timeout} counts the wait too.
 * One in-process SSH server with a one-executor agent, held by a task until the spec opens its gate.
 */
class AgentWaitingTaskSpec extends ServerSpecification {
    @Shared SshTestServer ssh
    @Shared Path agentDirs = ScratchDirectory.removedAtExit('AgentWaitingTaskSpec')
    @Shared @TempDir Path gates
    @Shared int held = 0

    def setupSpec() {
        ssh = SshTestServer.start()
        def body = [name: 'solo', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                    privateKey: ssh.clientKeys().privateKeyText(), labels: ['solo'], executors: 1,
                    workDir: agentDirs.resolve('solo').toString(), hostKey: ssh.hostKeyFingerprint()]
        assert http.post('/agents', body).status == 201
        Http.eventually(60_000) { http.get('/agents/solo').json.status == 'online' }
        freestyle('waits', """
job('hold') {
  parameters { string 'gate', defaultValue: '' }
  task('t') { agent 'solo'; sh '''echo holding; i=0; while [ ! -f "\${{ params.gate }}" ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done''' }
}
job('next') { task('t') { agent 'solo'; sh 'echo ran' } }
job('brief') { task('t') { agent 'solo'; timeout '2s'; sh 'echo ran' } }
""")
    }

    def cleanupSpec() {
        Files.list(gates).withCloseable { s -> s.forEach { } }
        ssh?.close()
    }

    static final String WAITS = "waiting for an agent matching 'solo' (solo: busy 1/1)"

    /** Starts a run that holds the agent's one executor until {@link #release} is called with the gate it returns. */
    Path holdAgent() {
        def gate = gates.resolve("gate-${held++}")
        def key = trigger('waits', 'hold', [parameters: [gate: gate.toString()]])
        Http.eventually(60_000) { log(key, 't').contains(' out holding') }
        gate
    }

    def "a task whose only agent is busy is starting with the reason, then runs once the agent frees"() {
        given: 'the task events, read from the start'
        def events = OpenStream.open(http, '/events')
        def gate = holdAgent()

        when: 'a task for the busy agent is triggered'
        def key = trigger('waits', 'next')

        then: 'the run JSON shows it starting, not running, and says what it waits for'
        Http.eventually { http.get("/runs/$key").json.tasks.t.status == 'starting' }
        Instant seenWaiting = Instant.now()
        def reply = http.get("/runs/$key")
        Map task = reply.json.tasks.t
        task.reason == WAITS
        task.startedAt == null // it has not started anywhere yet
        ReplySchemas.problems('GET', '/runs/{key}', 200, reply.text) == []

        and: 'so does its task event'
        Http.eventually {
            taskEvents(events, key).any { it.status == 'starting' && it.reason == WAITS }
        }

        when: 'the agent frees'
        open(gate)
        def run = awaitEnd(key, 60_000)

        then: 'it ran there, and the run succeeded; its start is when it really started, and no wait is left to say'
        run.status == 'succeeded'
        run.tasks.t.status == 'succeeded'
        run.tasks.t.reason == ''
        Instant.parse(run.tasks.t.startedAt) >= seenWaiting
        log(key, 't').contains('ran')

        and: 'its events went from starting to running, the running one without a reason'
        def mine = taskEvents(events, key)
        def starting = mine.findIndexOf { it.status == 'starting' }
        def running = mine.findLastIndexOf { it.status == 'running' }
        starting >= 0 && running > starting
        mine[running].reason == null

        cleanup:
        events?.close()
        open(gate)
    }

    def "a task that waits for an agent is told starting first: no event tells it running before that"() {
        given: 'every task event, and the agent busy'
        def events = OpenStream.open(http, '/events')
        def gate = holdAgent()

        when: 'a task for the busy agent is triggered, then the agent frees'
        def key = trigger('waits', 'next')
        Http.eventually { http.get("/runs/$key").json.tasks.t.status == 'starting' }
        open(gate)
        awaitEnd(key, 60_000)

        then: 'its states as told: starting comes before any running'
        def told = Http.eventually {
            def states = taskEvents(events, key)*.status
            'succeeded' in states ? states : null
        }
        told.indexOf('starting') >= 0
        !told.subList(0, told.indexOf('starting')).contains('running')

        cleanup:
        events?.close()
        open(gate)
    }

    def "a task waiting for an agent can be cancelled, and ends cancelled without having run"() {
        given:
        def gate = holdAgent()
        def key = trigger('waits', 'next')
        Http.eventually { http.get("/runs/$key").json.tasks.t.status == 'starting' }

        when:
        assert http.delete("/runs/$key").status in [200, 202, 204]
        def run = awaitEnd(key)

        then:
        run.status == 'cancelled'
        run.tasks.t.status == 'cancelled'
        !log(key, 't').contains(' out ran')

        cleanup:
        open(gate)
    }

    def "a task's timeout counts the time it waited for an agent"() {
        given:
        def gate = holdAgent()

        when: 'a task with a 2 s timeout waits for the busy agent longer than that'
        def key = trigger('waits', 'brief')
        def run = awaitEnd(key, 60_000)

        then:
        run.tasks.t.status == 'timedout'
        !log(key, 't').contains(' out ran')

        cleanup:
        open(gate)
    }

    /** Lets the task holding the agent end (it ends by itself within 60 s otherwise). */
    static void open(Path gate) {
        if (gate != null && !Files.exists(gate)) Files.writeString(gate, '')
    }

    /** The task events of run {@code key} read so far. */
    static List<Map> taskEvents(OpenStream events, String key) {
        events.lines.findAll { it.startsWith('data: ') }.collect { Http.parse(it.substring(6)) as Map }
                .findAll { it.type == 'task' && it.run == key }
    }
}

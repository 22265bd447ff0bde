package io.stoker.server.agent

import io.stoker.server.MigratedDatabase
import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas
import io.stoker.server.StokerServer
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Tasks routed to agents on in-process SSH servers (real shells, real SFTP on this machine): label matching,
 * install labels, busy slots and current tasks, host key pinning and blocking, trust-on-first-use, and an agent
 * lost mid-task with and without retry. Heartbeat and lost timeout are short so a lost agent is noticed quickly.
 */
class AgentRunSpec extends ServerSpecification {
    static final Duration LOST = Duration.ofSeconds(5 * Http.TIMEOUT_FACTOR) // a paused JVM on a loaded machine is not a lost agent

    @Shared SshTestServer ssh
    @Shared Path agentDirs = ScratchDirectory.removedAtExit('AgentRunSpec') // agents may still clean up here as the spec ends
    @Shared @TempDir Path gates
    @Shared List<SshTestServer> extra = []

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withAgentTimes(Duration.ofSeconds(1), LOST)))
    }

    def setupSpec() {
        ssh = SshTestServer.start()
    }

    def cleanupSpec() {
        // bounded gate loops end once their gate exists; then the fixtures stop
        Files.list(gates).withCloseable { s -> s.forEach { } }
        ['hold', 'next', 'first', 'second', 'lost', 'retry', 'victim', 'pinbusy', 'fifo'].each { Files.writeString(gates.resolve(it), '') }
        ssh?.close()
        extra*.close()
    }

    /** Registers an agent on {@code server} pinned to its host key and waits until it is online. */
    Map register(String name, SshTestServer server, Map changes = [:]) {
        def body = [name: name, host: server.host(), port: server.port(), user: server.user(),
                    privateKey: server.clientKeys().privateKeyText(), labels: ['linux'], executors: 1,
                    workDir: agentDirs.resolve(name).toString(), hostKey: server.hostKeyFingerprint()] + changes
        if (body.trustOnFirstUse) body.remove('hostKey')
        def r = http.post('/agents', body)
        assert r.status == 201, r.text
        // a first connection in persistent mode starts two JVMs on the host: seconds each on a loaded machine
        Http.eventually(60_000) { http.get("/agents/$name").json.status == 'online' }
        http.get("/agents/$name").json
    }


    /** A script that waits (bounded, 60 s) for a gate file the spec creates. */
    String gate(String name) {
        def f = gates.resolve(name)
        "i=0; while [ ! -f '$f' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done"
    }

    def "a job with agent 'linux' runs on the agent, in a workspace under its work directory"() {
        given:
        register('box', ssh)
        freestyle('remote', """job('j') {
  agent 'linux'
  task('where') { sh 'echo "ws=\$STOKER_WORKSPACE"; echo "from \$(whoami)"' }
  task('here') { agent 'local'; sh 'echo "ws=\$STOKER_WORKSPACE"' }
}""")

        when:
        def run = awaitEnd(trigger('remote', 'j'))

        then:
        run.status == 'succeeded'
        def remote = log(run.key, 'where')
        remote.contains("running on agent 'box' (matches 'linux')")
        remote.contains("ws=${agentDirs.resolve('box').toRealPath()}/")
        def local = log(run.key, 'here')
        local.contains("ws=${dataDir.resolve('workspaces')}")
        !local.contains('running on agent')

        and: 'the agent removes its copy of the run once the run ended'
        Http.eventually { Files.isDirectory(agentDirs.resolve('box/runs')) && !Files.exists(agentDirs.resolve("box/runs/${run.key}")) }
    }

    def "a task with an image goes only to an agent whose host has a container engine"() {
        given: 'box is registered but not installed: no tool labels yet'
        freestyle('img', """job('j') { task('c') { agent 'linux'; image 'localhost/stoker-absent:1'; pull 'never'; sh 'true' } }""")

        when:
        def run = awaitEnd(trigger('img', 'j'))

        then:
        run.status == 'failed'
        log(run.key, 'c').contains("no agent matches '(linux) && (tool:podman || tool:docker)'")
    }

    def "install records the host's facts as automatic labels that expressions can use"() {
        when:
        def r = http.install('box')

        then:
        r.status == 200
        ReplySchemas.problems('POST', '/agents/{agent}/install', 200, r.text) == []
        r.json.facts.os == 'linux'
        r.json.facts.cpus >= 1
        r.json.facts.tools.containsKey('git')
        r.json.labels.containsAll(['os:linux', 'tool:git', 'linux'])
        r.json.labels.any { it.startsWith('arch:') }
        def view = http.get('/agents/box').json
        view.automaticLabels == r.json.labels
        view.labels.containsAll(['linux', 'os:linux', 'tool:git'])
        view.installedAt

        when: 'a job asks for an automatic label, and one for the agent by name'
        freestyle('auto', "job('j') { task('t') { agent 'os:linux && tool:git && box'; sh 'echo auto' } }")
        def run = awaitEnd(trigger('auto', 'j'))

        then:
        run.status == 'succeeded'
        log(run.key, 't').contains("running on agent 'box'")
    }

    def "install gives no tool label to a tool on the PATH that does not run, and says why in its answer"() {
        given: 'a host whose mvn finds no Java'
        def host = SshTestServer.start()
        extra << host
        def bin = Files.createDirectories(agentDirs.resolve('nojava-bin'))
        Files.writeString(bin.resolve('mvn'), '#!/bin/sh\n'
                + 'echo "The JAVA_HOME environment variable is not defined correctly," >&2\n'
                + 'echo "this environment variable is needed to run this program" >&2\nexit 1\n')
        bin.resolve('mvn').toFile().setExecutable(true)
        host.putFirstOnPath(bin)
        register('nojava', host)

        when:
        def r = http.install('nojava')

        then: 'no tool:mvn, and the first line of what mvn said'
        r.status == 200
        r.json.labels.contains('tool:git')
        !r.json.labels.contains('tool:mvn')
        !r.json.facts.tools.containsKey('mvn')
        r.json.facts.toolsNotRunning.mvn == 'The JAVA_HOME environment variable is not defined correctly,'
        http.get('/agents/nojava').json.facts.toolsNotRunning.mvn.startsWith('The JAVA_HOME')

        when: 'a task asks for Maven there'
        freestyle('mvnjob', "job('j') { task('t') { agent 'nojava && tool:mvn'; sh 'mvn -v' } }")
        def run = awaitEnd(trigger('mvnjob', 'j'))

        then: 'it is not sent to a host where mvn cannot run'
        run.status == 'failed'
        log(run.key, 't').contains("no agent matches 'nojava && tool:mvn'")
    }

    def "an agent's view lists its own name among its labels, since expressions match it"() {
        expect:
        http.get('/agents/box').json.labels.contains('box')
        http.get('/agents').json.find { it.name == 'box' }.labels.contains('box')
        !http.get('/agents/box').json.userLabels.contains('box')
    }

    @Requires({ ['podman', 'docker'].any { t -> System.getenv('PATH').split(':').any { new File(it, t).canExecute() } } })
    def "once install found Podman or Docker, a task with an image runs on the agent, with the agent's engine"() {
        when: 'the image is absent and may not be pulled: the engine on the agent says so'
        def run = awaitEnd(trigger('img', 'j'))
        def text = log(run.key, 'c')

        then:
        http.get('/agents/box').json.labels.any { it in ['tool:podman', 'tool:docker'] }
        http.get('/agents/box').json.mode == 'persistent'
        text.contains("running on agent 'box' (matches '(linux) && (tool:podman || tool:docker)')")
        run.status == 'failed'
        !text.contains('shell mode')
    }

    def "a running task holds a slot: busy and current tasks are visible, and a second task waits for the slot"() {
        given:
        freestyle('busy', """job('j') {
  agent 'box'
  task('hold') { sh '''${gate('hold')}; echo held''' }
  task('next') { sh '''${gate('next')}; echo next ran''' }
}""")
        def key = trigger('busy', 'j')

        // the two tasks are independent: either may take the executor first, so both hold it until released
        expect: 'one executor: one task runs, the other waits and says so'
        Http.eventually {
            def a = http.get('/agents/box').json
            a.busy == 1 && a.tasks.size() == 1 && a.tasks[0].run == key
        }
        Http.eventually {
            (log(key, 'hold') + log(key, 'next')).contains("waiting for an agent matching 'box' (box: busy 1/1)")
        }
        http.get('/agents').json.find { it.name == 'box' }.busy == 1

        when:
        Files.writeString(gates.resolve('hold'), '')
        Files.writeString(gates.resolve('next'), '')
        def run = awaitEnd(key)

        then:
        run.status == 'succeeded'
        log(key, 'next').contains('next ran')
        Http.eventually { http.get('/agents/box').json.busy == 0 }
        http.get('/agents/box').json.tasks == []
    }

    def "a pipe streams from a task on one agent into a task on another"() {
        given:
        register('pipe-a', ssh, [labels: ['writer']])
        register('pipe-b', ssh, [labels: ['reader']])
        freestyle('pipe', """job('j') {
  task('gen') { agent 'writer'; sh 'seq 1 20000' }
  task('sum') { agent 'reader'; input from: 'gen'; sh 'echo "lines=\$(wc -l)"' }
}""")

        when:
        def run = awaitEnd(trigger('pipe', 'j'))

        then:
        run.status == 'succeeded'
        log(run.key, 'gen').contains("running on agent 'pipe-a'")
        log(run.key, 'sum').contains("running on agent 'pipe-b'")
        log(run.key, 'sum').contains('lines=20000')
    }

    def "re-pinning is refused while the agent runs tasks"() {
        given:
        freestyle('pinbusy', """job('j') { task('t') { agent 'box'; sh \'\'\'echo started; ${gate('pinbusy')}\'\'\' } }""")
        def key = trigger('pinbusy', 'j')
        Http.eventually { log(key, 't').contains(' out started') }

        when:
        def r = http.put('/agents/box/host-key', [hostKey: ssh.hostKeyFingerprint()])

        then:
        r.status == 409
        r.json.error == 'busy'

        when:
        Files.writeString(gates.resolve('pinbusy'), '')

        then:
        awaitEnd(key).status == 'succeeded'
    }

    def "attempts waiting for an agent get it in the order they began to wait"() {
        given: 'the only executor of box is held'
        freestyle('fifo', """job('hold') { task('t') { agent 'box'; sh \'\'\'echo started; ${gate('fifo')}\'\'\' } }
job('quick') { task('t') { agent 'box'; sh 'echo quick' } }""")
        def hold = trigger('fifo', 'hold')
        Http.eventually { log(hold, 't').contains(' out started') }
        def waiters = (1..3).collect {
            def key = trigger('fifo', 'quick')
            Http.eventually { log(key, 't').contains("waiting for an agent matching 'box'") }
            key
        }

        when:
        Files.writeString(gates.resolve('fifo'), '')
        waiters.each { assert awaitEnd(it).status == 'succeeded' }

        then: 'each ran after the one that began to wait before it'
        def startedAt = waiters.collect { key ->
            log(key, 't').readLines().find { it.contains("running on agent 'box'") }.substring(0, 24)
        }
        startedAt == startedAt.sort(false)
    }

    def "a changed host key blocks the agent with a clear reason, and re-pinning unblocks it"() {
        given:
        def server = SshTestServer.start()
        extra << server
        def old = server.hostKeyFingerprint()
        register('moved', server)

        when: 'the machine comes back with another host key'
        server.restart(true)

        then:
        Http.eventually { http.get('/agents/moved').json.status == 'blocked' }
        def blocked = http.get('/agents/moved').json
        blocked.statusReason.contains("host key changed: expected $old, got ${server.hostKeyFingerprint()}")
        blocked.statusReason.endsWith("pin it: stoker agent pin moved --host-key ${server.hostKeyFingerprint()}")
        blocked.offeredHostKey == server.hostKeyFingerprint()

        and: 'a job for it waits instead of running on an impostor (10 s: the wait must be logged before the limit ends it)'
        freestyle('blocked', "job('j') { task('t') { agent 'moved'; timeout seconds: 10; sh 'echo ran' } }")
        def run = awaitEnd(trigger('blocked', 'j'))
        run.tasks.t.status == 'timedout'
        log(run.key, 't').contains("waiting for an agent matching 'moved' (moved: blocked (host key changed: expected $old")

        when: 'a person checks the new key and pins it'
        def r = http.put('/agents/moved/host-key', [hostKey: server.hostKeyFingerprint()])

        then:
        r.status == 200
        r.json.hostKey == server.hostKeyFingerprint()
        Http.eventually { http.get('/agents/moved').json.status == 'online' }
        http.get('/agents/moved').json.statusReason == null
        http.get('/agents/moved').json.offeredHostKey == null
    }

    def "a key the host refuses blocks the agent with what to do; once the host accepts it, install connects again"() {
        given: 'an agent registered with a key its host does not (yet) accept'
        def server = SshTestServer.start()
        extra << server
        def key = io.stoker.agent.ssh.fixtures.TestKeys.generate()
        def r = http.post('/agents', [name: 'newkey', host: server.host(), port: server.port(), user: server.user(),
                privateKey: key.privateKeyText(), labels: ['linux'], executors: 1,
                workDir: agentDirs.resolve('newkey').toString(), hostKey: server.hostKeyFingerprint()])
        assert r.status == 201, r.text

        expect: 'blocked, and the reason says how to try again'
        Http.eventually { http.get('/agents/newkey').json.status == 'blocked' }
        with(http.get('/agents/newkey').json.statusReason as String) {
            it.startsWith("public key rejected by ${server.user()}@${server.host()}:${server.port()}")
            it.endsWith("once the host accepts the agent's key (its authorized_keys), 'stoker agent install newkey' tries again")
        }

        when: "the key is added to the host's authorized keys, and the agent installed"
        server.authorize(key.pair().public)
        def installed = http.install('newkey')

        then: 'it connected with its stored key and installed'
        installed.status == 200
        Http.eventually { http.get('/agents/newkey').json.status == 'online' }
        http.get('/agents/newkey').json.statusReason == null
        http.get('/agents/newkey').json.labels.contains('os:linux')
    }

    def "trust-on-first-use pins the first host key seen"() {
        given:
        def server = SshTestServer.start()
        extra << server

        when:
        register('tofu', server, [trustOnFirstUse: true])

        then:
        Http.eventually { http.get('/agents/tofu').json.hostKey == server.hostKeyFingerprint() }
        http.get('/agents/tofu').json.trustOnFirstUse == true
    }

    def "an agent that stays unreachable fails its task as 'agent lost'"() {
        given:
        def server = SshTestServer.start()
        extra << server
        register('doomed', server, [labels: ['doomed']])
        freestyle('lost', """job('j') { task('t') { agent 'doomed'; sh '''echo started; ${gate('lost')}''' } }""")
        def key = trigger('lost', 'j')
        Http.eventually { log(key, 't').contains(' out started') }

        when:
        server.stop()
        def run = awaitEnd(key, LOST.toMillis() + 30_000)

        then:
        run.status == 'failed'
        run.tasks.t.reason.contains('agent lost')
        log(key, 't').contains('agent lost')
        http.get('/agents/doomed').json.status == 'offline'
        http.get('/agents/doomed').json.busy == 0
    }

    def "with retry, a task whose agent was lost succeeds on another agent"() {
        given:
        def first = SshTestServer.start()
        def second = SshTestServer.start()
        extra << first << second
        register('pool-a', first, [labels: ['pool']])
        register('pool-b', second, [labels: ['pool']])
        freestyle('retry', """job('j') {
  task('t') {
    agent 'pool'
    retry 1
    sh '''echo "attempt \$STOKER_ATTEMPT"; if [ "\$STOKER_ATTEMPT" = 1 ]; then ${gate('retry')}; exit 3; fi; echo finished'''
  }
}""")
        def key = trigger('retry', 'j')
        Http.eventually { log(key, 't').contains(' out attempt 1') } // the task's own line, not the engine's
        def firstAgent = http.get('/agents').json.find { it.busy == 1 }.name

        when: 'the agent running the first attempt goes away for good'
        (firstAgent == 'pool-a' ? first : second).stop()
        def run = awaitEnd(key, LOST.toMillis() + 30_000) // the lost timeout, then the second attempt on the other agent

        then:
        run.status == 'succeeded'
        run.tasks.t.attempts == 2
        def text = log(key, 't')
        text.contains('agent lost')
        def other = firstAgent == 'pool-a' ? 'pool-b' : 'pool-a'
        text.contains("running on agent '$other'")
        text.contains('finished')
    }

    def "removing an agent that runs a task needs force, and then the task fails and is not left hanging"() {
        given:
        def server = SshTestServer.start()
        extra << server
        register('victim', server, [labels: ['victim']])
        freestyle('victim', """job('j') { task('t') { agent 'victim'; sh '''echo started; ${gate('victim')}''' } }""")
        def key = trigger('victim', 'j')
        Http.eventually { log(key, 't').contains(' out started') }

        when:
        def refused = http.delete('/agents/victim')

        then:
        refused.status == 409
        refused.json.error == 'busy'
        refused.json.message.contains("$key/t")
        refused.json.message.contains('stoker agent remove victim --force') // the command as it is typed, name and all

        when:
        def forced = http.delete('/agents/victim?force=true')
        def run = awaitEnd(key)

        then:
        forced.status == 204
        http.get('/agents/victim').status == 404
        run.status == 'failed'
        run.tasks.t.reason.contains('agent lost')
    }
}

package io.stoker.server.agent

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.AutoCleanup
import spock.lang.Shared

import java.nio.file.Files
import org.slf4j.LoggerFactory

/**
 * The agent registry over HTTP: validation of every field, the private key never in an answer nor in clear text in
 * the database, and the routing decisions that need no reachable agent (no match, local runs, waiting, cancel).
 * Agents here point at a closed port on 127.0.0.1, so they stay offline.
 */
class AgentApiSpec extends ServerSpecification {
    @Shared String key = TestKeys.openSsh(TestKeys.ecKeyPair())
    @Shared String fingerprint = TestKeys.otherFingerprint()
    /** Agents of this spec point here: nothing answers, and nothing else can take the port while the spec runs. */
    @Shared @AutoCleanup ClosedPort closed = new ClosedPort()
    @Shared int closedPort = closed.port
    /** Everything Stoker, the audit log and MINA log at DEBUG during this spec, kept instead of printed. */
    @Shared ListAppender<ILoggingEvent> logged = new ThreadNamingAppender()
    @Shared List<String> captured = ['io.stoker', 'stoker.audit', 'org.apache.sshd']

    def setupSpec() {
        logged.start()
        captured.each { name ->
            def l = (Logger) LoggerFactory.getLogger(name)
            l.level = Level.DEBUG
            l.additive = false
            l.addAppender(logged)
        }
    }

    def cleanupSpec() {
        captured.each { name ->
            def l = (Logger) LoggerFactory.getLogger(name)
            l.detachAppender(logged)
            l.level = null
            l.additive = true
        }
    }

    List<String> logLines() {
        synchronized (logged) { // AppenderBase.doAppend holds the appender's monitor while it adds
            logged.list.collect { it.formattedMessage + (it.throwableProxy ? ' ' + it.throwableProxy.message : '') }
        }
    }

    /** Keeps each event with the thread that logged it: an event names its thread when first asked, not before. */
    static class ThreadNamingAppender extends ListAppender<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent e) {
            e.threadName
            super.append(e)
        }
    }

    /** The threads that logged a line starting with {@code start}. */
    List<String> threadsLogging(String start) {
        synchronized (logged) {
            logged.list.findAll { it.formattedMessage.startsWith(start) }*.threadName
        }
    }

    Map agent(Map changes = [:]) {
        [name: 'a1', host: '127.0.0.1', port: closedPort, user: 'ci', privateKey: key, labels: ['linux', 'x86'],
         executors: 2, workDir: 'stoker-work', hostKey: fingerprint] + changes
    }

    /** The middle of the key's base64: present in any copy of it, whatever the line breaks. */
    String keyCore() {
        def lines = key.readLines().findAll { !it.startsWith('-----') }
        lines[1].substring(0, 40)
    }

    def "registering an agent answers 201 with its view and without the key"() {
        when:
        def r = http.post('/agents', agent(name: 'shown'))

        then:
        r.status == 201
        r.json.name == 'shown'
        r.json.host == '127.0.0.1'
        r.json.port == closedPort
        r.json.user == 'ci'
        r.json.labels == ['linux', 'x86', 'shown'] // its name is a label too: agent 'shown' selects it
        r.json.userLabels == ['linux', 'x86']
        r.json.executors == 2
        r.json.busy == 0
        r.json.status in ['offline', 'online']
        r.json.hostKey == fingerprint
        r.json.trustOnFirstUse == false
        r.json.tasks == []
        r.json.workDir == 'stoker-work'
        !r.json.containsKey('privateKey')
        !r.text.contains(keyCore())
        !r.text.contains('PRIVATE KEY')

        and: 'the list and the single view hold no key either'
        def list = http.get('/agents')
        list.status == 200
        list.json*.name.contains('shown')
        !list.text.contains(keyCore())
        !list.text.contains('PRIVATE KEY')
        def one = http.get('/agents/shown')
        one.json.status == 'offline'
        one.json.statusReason
        !one.text.contains(keyCore())
    }

    def "registering is audited, and no log line anywhere holds the key"() {
        when:
        http.post('/agents', agent(name: 'audited')).status == 201
        http.post('/agents', agent(name: 'audited-bad', privateKey: key.replace('-----END', 'x-----END')))
        http.delete('/agents/audited')

        then: 'the audit log (read by an admin through the API) has both changes, without the key'
        def entries = Http.eventually {
            def list = http.get('/audit?limit=50').json
            list.any { it.action == 'agent.deleted' && it.target == 'audited' } ? list : null
        }
        def created = entries.find { it.action == 'agent.created' && it.target == 'audited' }
        created.actor == 'admin'
        created.detail.toString().contains(fingerprint)
        !http.get('/audit?limit=200').text.contains(keyCore())

        and: 'no log line anywhere holds it either'
        logLines().size() > 5
        logLines().every { !it.contains(keyCore()) && !it.contains('PRIVATE KEY') }
    }

    /**
     * A server's first key parse loads BouncyCastle: seconds of CPU which, on an event loop, stall every request
     * it serves. The thread of the parser's debug line says where the parse ran, whatever the machine's speed.
     */
    def "a registration's private key is read on a worker thread, never on the event loop"() {
        when:
        def good = http.post('/agents', agent(name: 'parsed-off-loop'))
        def damaged = http.post('/agents', agent(name: 'damaged-key',
                privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'))

        then:
        good.status == 201
        damaged.status == 400
        damaged.json.details == ['field: privateKey']

        and:
        def threads = threadsLogging('reading a private key')
        threads.size() >= 2
        threads.every { !it.contains('eventloop') }
    }

    @spock.lang.IgnoreIf(value = { sys['stoker.test.store'] == 'postgresql' }, reason = 'reads the H2 file')
    def "the private key is sealed in the database file, not stored in clear"() {
        given:
        http.post('/agents', agent(name: 'sealed', host: 'control-host-in-clear.example')).status == 201
        def dbFile = dataDir.resolve('db').resolve('stoker.mv.db')

        expect: 'the host name is readable in the file, so the key would be too if it were stored in clear'
        Http.eventually { new String(Files.readAllBytes(dbFile), 'ISO-8859-1').contains('control-host-in-clear.example') }
        def bytes = new String(Files.readAllBytes(dbFile), 'ISO-8859-1')
        !bytes.contains(keyCore())
        !bytes.contains('OPENSSH PRIVATE KEY')
    }

    def "a duplicate name is a 409 and the first agent is kept"() {
        given:
        http.post('/agents', agent(name: 'twice')).status == 201

        when:
        def r = http.post('/agents', agent(name: 'twice', host: 'elsewhere.example'))

        then:
        r.status == 409
        r.json.error == 'exists'
        http.get('/agents/twice').json.host == '127.0.0.1'
    }

    def "a bad #field is a 400 naming the field"() {
        when:
        def body = agent(name: 'bad')
        if (value == null) body.remove(field) else body[field] = value
        if (extra) body.putAll(extra)
        def r = http.post('/agents', body)

        then:
        r.status == 400
        r.json.error == 'bad request'
        r.json.message.startsWith(field + ': ') || r.json.message.startsWith("'$field' ") // the shared readers' form
        r.json.message.contains(words)
        r.json.details == ["field: $field"]
        !r.text.contains(keyCore())
        http.get('/agents/bad').status == 404

        where:
        field             | value                         | extra                    | words
        'name'            | null                          | null                     | 'required'
        'name'            | '../x'                        | null                     | 'must start with a letter or digit'
        'name'            | 'local'                       | null                     | 'reserved'
        'name'            | 'connect'                     | null                     | "'connect' is reserved: /api/v1/agents/connect is where pull agents connect"
        'name'            | 'x' * 65                      | null                     | 'at most 64'
        'host'            | null                          | null                     | 'required'
        'host'            | 'bad host'                    | null                     | 'host name or an IP address'
        'port'            | 0                             | null                     | '1..65535'
        'port'            | 70000                         | null                     | '1..65535'
        'port'            | '22'                          | null                     | "whole number, not the text '22'"
        'port'            | 99999999999                   | null                     | 'must be 1..65535, not 99999999999'
        'executors'       | 1e12                          | null                     | 'must be 1..64, not'
        'user'            | null                          | null                     | 'required'
        'user'            | 'root;rm'                     | null                     | 'login name'
        'privateKey'      | null                          | null                     | 'required'
        'privateKey'      | 'hello'                       | null                     | 'OpenSSH or PEM'
        'privateKey'      | '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n' | null | 'damaged or cut short; give the whole key file'
        'privateKey'      | '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n' | null | 'damaged or cut short; give the whole key file'
        'labels'          | ['ok', 'not ok']              | null                     | 'is not a label'
        'labels'          | 'linux'                       | null                     | "'labels' must be a list of labels, not a string"
        'labels'          | ['local']                     | null                     | 'reserved'
        'executors'       | 0                             | null                     | '1..64'
        'executors'       | 65                            | null                     | '1..64'
        'workDir'         | '../etc'                      | null                     | "without '..'"
        'workDir'         | 'with space'                  | null                     | 'must be a path'
        'hostKey'         | null                          | null                     | 'required (SHA256:…) unless trustOnFirstUse is true'
        'hostKey'         | 'MD5:aa:bb'                   | null                     | 'SHA256 fingerprint'
        'hostKey'         | null                          | [trustOnFirstUse: false] | 'required (SHA256:…) unless trustOnFirstUse is true'
        'hostKey'         | fingerprint                   | [trustOnFirstUse: true]  | 'not both'
        'trustOnFirstUse' | 'yes'                         | null                     | 'true or false'
    }

    def "an unknown field is refused"() {
        when:
        def r = http.post('/agents', agent(name: 'odd', password: 'x'))

        then:
        r.status == 400
        r.json.message.contains("unknown field 'password'")
    }

    def "trust-on-first-use registers without a host key until the first connection"() {
        when:
        def body = agent(name: 'tofu', trustOnFirstUse: true)
        body.remove('hostKey')
        def r = http.post('/agents', body)

        then:
        r.status == 201
        r.json.trustOnFirstUse == true
        r.json.hostKey == null
    }

    def "unknown agents are 404 and a removed agent is gone"() {
        given:
        http.post('/agents', agent(name: 'gone')).status == 201

        expect:
        http.get('/agents/nope').status == 404
        http.delete('/agents/nope').status == 404
        http.install('nope').status == 404
        http.put('/agents/nope/host-key', [hostKey: fingerprint]).status == 404
        http.delete('/agents/gone').status == 204
        http.get('/agents/gone').status == 404
        !http.get('/agents').json*.name.contains('gone')
    }

    def "re-pinning needs a SHA256 fingerprint"() {
        given:
        http.post('/agents', agent(name: 'pin')).status == 201
        def other = TestKeys.otherFingerprint()

        expect:
        http.put('/agents/pin/host-key', [hostKey: 'nope']).json.message.startsWith('hostKey: ')
        http.put('/agents/pin/host-key', [:]).status == 400
        def r = http.put('/agents/pin/host-key', [hostKey: other])
        r.status == 200
        r.json.hostKey == other
    }

    def "the event stream says when an agent's status changes, with the reason"() {
        given:
        def seen = new java.util.concurrent.CopyOnWriteArrayList<Map>()
        def heard = new java.util.concurrent.CountDownLatch(1)
        def subscribed = new java.util.concurrent.CountDownLatch(1)
        def stream = Thread.start {
            try {
                http.stream('/events', [accept: 'text/event-stream']) { String line ->
                    subscribed.countDown() // the server subscribes before it writes its first comment line
                    if (!line.startsWith('data: ')) return
                    Map e = Http.parse(line.substring(6)) as Map
                    seen << e
                    if (e.type == 'agent' && e.agent == 'evented') {
                        heard.countDown()
                        throw new io.stoker.server.RunLifecycleSpec.InterruptedIOExceptionStop()
                    }
                }
            } catch (io.stoker.server.RunLifecycleSpec.InterruptedIOExceptionStop ignored) {
                // the spec saw what it waited for
            }
        }
        subscribed.await(10 * Http.TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.SECONDS)

        when:
        assert http.post('/agents', agent(name: 'evented')).status == 201

        then:
        heard.await(30 * Http.TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.SECONDS)
        def event = seen.find { it.type == 'agent' && it.agent == 'evented' }
        event.status == 'offline'
        event.reason == "cannot connect: connection refused by 127.0.0.1:$closedPort (is sshd running there?)".toString()
        event.time

        cleanup:
        stream?.join(10_000)
        http.delete('/agents/evented')
    }

    def "an agent going offline is logged once, not by its connection and the registry both"() {
        when:
        assert http.post('/agents', agent(name: 'logged-once')).status == 201

        then: 'the registry heard it (it hears after the connection has noted it), and one line says it'
        Http.eventually {
            synchronized (logged) {
                logged.list.any { it.loggerName == AgentPool.name && it.formattedMessage.startsWith('agent logged-once offline: ') }
            }
        }
        logLines().count { it.startsWith('agent logged-once offline: ') } == 1

        cleanup:
        http.delete('/agents/logged-once')
    }

    def "installing an agent that cannot be reached is a 409 with the reason"() {
        given:
        http.post('/agents', agent(name: 'unreachable')).status == 201

        when:
        def r = http.install('unreachable')

        then:
        r.status == 409
        r.json.error == 'offline'
        r.json.message.startsWith("agent 'unreachable' is offline: cannot connect")
        !r.text.contains('Exception:')
    }

    def "a task whose agent expression no registered agent matches fails at once with that reason"() {
        given:
        freestyle('nomatch', "job('j') { task('t') { agent 'gpu && !linux'; sh 'echo never' } }")

        when:
        def run = awaitEnd(trigger('nomatch', 'j'))

        then:
        run.status == 'failed'
        run.tasks.t.reason.contains("no agent matches 'gpu && !linux'")
        def log = http.get("/runs/${run.key}/tasks/t/log").text
        log.contains("no agent matches 'gpu && !linux'")
        !log.contains('never')
    }

    def "tasks without an agent, or with agent 'local', run on the server"() {
        given:
        freestyle('local', """job('j') {
  task('plain') { sh 'echo "ws=\$STOKER_WORKSPACE"' }
  task('named') { agent 'local'; sh 'echo "ws=\$STOKER_WORKSPACE"' }
}""")

        when:
        def run = awaitEnd(trigger('local', 'j'))

        then:
        run.status == 'succeeded'
        ['plain', 'named'].every { t ->
            http.get("/runs/${run.key}/tasks/$t/log").text.contains("ws=${dataDir.resolve('workspaces')}")
        }
    }

    def "an attempt waits while matching agents are offline, says so in its log, and can be cancelled"() {
        given:
        http.post('/agents', agent(name: 'sleepy', labels: ['sleepy'])).status == 201
        freestyle('waits', "job('j') { agent 'sleepy'; task('t') { sh 'echo ran' } }")
        def key = trigger('waits', 'j')

        expect:
        Http.eventually { http.get("/runs/$key/tasks/t/log").text.contains("waiting for an agent matching 'sleepy' (sleepy: offline (") }
        http.get("/runs/$key").json.status == 'running'

        when:
        http.delete("/runs/$key")
        def run = awaitEnd(key)

        then:
        run.status == 'cancelled'
        !http.get("/runs/$key/tasks/t/log").text.contains('ran')
    }

    def "a task's time limit still holds while it waits for an agent"() {
        given:
        http.post('/agents', agent(name: 'slowpoke', labels: ['slowpoke'])).status == 201
        freestyle('waitlimit', "job('j') { task('t') { agent 'slowpoke'; timeout seconds: 1; sh 'echo ran' } }")

        when:
        def run = awaitEnd(trigger('waitlimit', 'j'))

        then:
        run.status == 'timedout' || run.status == 'failed'
        run.tasks.t.status == 'timedout'
    }

    def "removing the last matching agent fails the attempts waiting for it"() {
        given:
        http.post('/agents', agent(name: 'leaving', labels: ['leaving'])).status == 201
        freestyle('orphan', "job('j') { task('t') { agent 'leaving'; sh 'echo ran' } }")
        def key = trigger('orphan', 'j')
        Http.eventually { http.get("/runs/$key/tasks/t/log").text.contains("waiting for an agent matching 'leaving'") }

        when:
        http.delete('/agents/leaving').status == 204
        def run = awaitEnd(key)

        then:
        run.status == 'failed'
        http.get("/runs/$key/tasks/t/log").text.contains("no agent matches 'leaving'")
    }
}

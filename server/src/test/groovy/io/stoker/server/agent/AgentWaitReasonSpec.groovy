package io.stoker.server.agent

import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.server.Http
import io.stoker.server.ScratchDirectory
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas
import spock.lang.Requires
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * A task waiting for agents that are away says in its log why each one is away, as {@code stoker agent list} does:
 * "offline" or "blocked" alone leaves a person guessing which of sshd, SFTP, a key or a host key to mend. Two
 * Debian OpenSSH servers on 127.0.0.1: one without an SFTP subsystem (offline), one that refuses the agent's key
 * (blocked). While it waits, Build Executor Status lists it in the queue rather than in a slot of the server's own.
 */
@Requires({ OpenSshServer.available() })
class AgentWaitReasonSpec extends ServerSpecification {
    @Shared Path dirs = ScratchDirectory.removedAtExit('AgentWaitReasonSpec')
    @Shared OpenSshServer noSftp
    @Shared OpenSshServer refusing

    def setupSpec() {
        noSftp = OpenSshServer.startWithoutSftp(dirs.resolve('sshd-nosftp'))
        refusing = OpenSshServer.start(dirs.resolve('sshd-refusing'))
    }

    def cleanupSpec() {
        noSftp?.stop()
        refusing?.stop()
    }

    Map agent(String name, OpenSshServer sshd, String privateKey) {
        [name: name, host: sshd.host(), port: sshd.port(), user: sshd.user(), privateKey: privateKey,
         labels: ['away'], executors: 1, workDir: dirs.resolve("work-$name").toString(), hostKey: sshd.hostKeyFingerprint()]
    }

    def "a task waiting for agents that are away says why each one is away"() {
        given: 'an agent whose host has no SFTP subsystem, and one whose host refuses its key'
        assert http.post('/agents', agent('nosftp', noSftp, noSftp.clientKeys().privateKeyText())).status == 201
        assert http.post('/agents', agent('refused', refusing, TestKeys.generate().privateKeyText())).status == 201
        // each first login through OpenSSH runs the user's shell rc files: a loaded machine takes a while
        Http.eventually(60_000) {
            http.get('/agents/nosftp').json.statusReason?.contains('SFTP') && http.get('/agents/refused').json.status == 'blocked'
        }
        String sftpWhy = http.get('/agents/nosftp').json.statusReason
        String keyWhy = http.get('/agents/refused').json.statusReason

        when:
        freestyle('waits-why', "job('j') { task('t') { agent 'away'; sh 'echo ran' } }")
        def key = trigger('waits-why', 'j')

        then: 'the log names each agent, its state and the reason the agent list gives'
        Http.eventually { log(key, 't').contains('waiting for an agent matching') }
        def line = log(key, 't').readLines().find { it.contains('waiting for an agent matching') }
        line.contains("nosftp: offline ($sftpWhy)")
        line.contains("refused: blocked ($keyWhy)")
        line.contains("add 'Subsystem sftp internal-sftp'")
        line.contains("public key rejected by ${refusing.user()}@127.0.0.1:${refusing.port()}")

        and: 'Build Executor Status has it in the queue, not in a slot of the server\'s own'
        def executors = http.get('/executors')
        ReplySchemas.problems('GET', '/executors', 200, executors.text) == []
        executors.json.queue*.run == [key]
        executors.json.queue*.task == ['t']
        !executors.json.local.tasks.any { it.run == key }

        cleanup:
        if (key) http.delete("/runs/$key")
        if (key) awaitEnd(key)
        ['nosftp', 'refused'].each { http.delete("/agents/$it") }
    }

    def "a task waiting for a busy agent says so again when that agent goes away, with the reason"() {
        given: 'an online agent with one executor, held by a task until its gate file exists (60 s at most)'
        def sshd = OpenSshServer.start(dirs.resolve('sshd-fickle'))
        def gate = dirs.resolve('fickle-gate')
        def body = agent('fickle', sshd, sshd.clientKeys().privateKeyText()) + [labels: ['fickle']]
        assert http.post('/agents', body).status == 201
        Http.eventually(60_000) { http.get('/agents/fickle').json.status == 'online' }
        freestyle('fickle', """job('hold') { task('t') { agent 'fickle'; sh '''echo holding
i=0; while [ ! -f '$gate' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done''' } }
job('next') { task('t') { agent 'fickle'; sh 'echo ran' } }""")
        def hold = trigger('fickle', 'hold')
        Http.eventually(60_000) { log(hold, 't').contains(' out holding') }
        def next = trigger('fickle', 'next')
        Http.eventually { log(next, 't').contains("waiting for an agent matching 'fickle' (fickle: busy 1/1)") }

        when: 'the host stops accepting the agent\'s key and its connection is cut: the reconnect is refused'
        dirs.resolve('sshd-fickle/authorized_keys').text = ''
        sshd.cutConnections()

        then: 'the waiting task\'s log says again what it waits for, and why the agent is away'
        Http.eventually(60_000) {
            log(next, 't').readLines().any {
                it.contains("still waiting for an agent matching 'fickle' (fickle: blocked (public key rejected by")
            }
        }

        cleanup:
        Files.writeString(gate, '')
        [hold, next].each { if (it) http.delete("/runs/$it") }
        [hold, next].each { if (it) awaitEnd(it, 90_000) } // a cancel may wait out the agent that is away
        http.delete('/agents/fickle?force=true')
        sshd?.stop()
    }
}

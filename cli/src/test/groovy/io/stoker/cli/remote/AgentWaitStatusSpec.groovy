package io.stoker.cli.remote

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.cli.CliRun
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code stoker status RUN} of a run whose task waits for its only agent, which is busy: the task is
 * {@code starting}, its reason column says what it waits for, and once the agent frees it runs and succeeds. A real
 * server in process, an in-process SSH server as the agent.
 */
class AgentWaitStatusSpec extends RemoteCliSpecification {
    @Shared @TempDir Path work
    @Shared SshTestServer ssh

    def setupSpec() {
        ssh = SshTestServer.start()
    }

    def cleanupSpec() {
        Files.writeString(work.resolve('gate'), '') // a holding task still looping ends
        closeServer() // before the SSH server its agents use
        ssh?.close()
    }

    /** Polls every 50 ms until the condition holds, for at most {@code millis} (times the timeout factor). */
    static void eventually(long millis, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + millis * CliRun.TIMEOUT_FACTOR
        while (!condition()) {
            assert System.currentTimeMillis() < deadline, "condition not met within ${millis * CliRun.TIMEOUT_FACTOR} ms"
            Thread.sleep(50)
        }
    }

    String trigger(String job) {
        def r = stoker('trigger', "waits/$job")
        assert r.exit == 0: r.err
        (r.out =~ /run ([a-z2-7]{26}) /)[0][1]
    }

    /** The task row of {@code stoker status KEY}, split on runs of two or more spaces. */
    List<String> taskRow(String key) {
        def r = stoker('status', key)
        assert r.exit == 0: r.err
        def line = r.out.readLines().find { it.startsWith('t ') }
        line == null ? [] : line.split(/\s{2,}/) as List
    }

    def "status shows a task waiting for a busy agent as starting, with what it waits for, then it runs"() {
        given: 'an agent with one executor, held by a task until the gate file exists (60 s at most)'
        def key = work.resolve('agent_key')
        key.text = ssh.clientKeys().privateKeyText()
        assert stoker('agent', 'add', 'solo', '--host', ssh.host(), '--port', ssh.port(), '--user', ssh.user(),
                '--key', key, '--label', 'solo', '--executors', 1, '--work-dir', work.resolve('agent').toString(),
                '--host-key', ssh.hostKeyFingerprint()).exit == 0
        // a first connection in persistent mode starts JVMs on the host: a loaded machine takes a while
        eventually(60_000) { stoker('agent', 'list').out.contains('online') }
        def gate = work.resolve('gate')
        def jobfile = work.resolve('Jobfile')
        jobfile.text = """
job('hold') { task('t') { agent 'solo'; sh '''echo holding; i=0; while [ ! -f '$gate' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done''' } }
job('next') { task('t') { agent 'solo'; sh 'echo ran' } }
"""
        assert stoker('project', 'add', 'waits', '--jobfile', jobfile).exit == 0
        def hold = trigger('hold')
        eventually(60_000) { stoker('logs', hold, 't').out.contains('holding') }

        when:
        def next = trigger('next')

        then: 'its row says starting, and the reason column what it waits for'
        AgentCommandsSpec.eventually { taskRow(next)[1] == 'starting' }
        taskRow(next).last() == "waiting for an agent matching 'solo' (solo: busy 1/1)"

        when: 'the agent frees'
        Files.writeString(gate, '')

        then: 'it runs there, and the run succeeds'
        AgentCommandsSpec.eventually { stoker('status', next).out.readLines()[0].contains('succeeded') }
        taskRow(next)[1] == 'succeeded'
        !stoker('status', next).out.contains('waiting for an agent')
    }
}

package io.stoker.server.agent

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerJvm
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import static io.stoker.server.TaskProcesses.running

/**
 * A lone server (H2) killed with SIGKILL while a task runs on an SSH agent leaves that task running there: detached in
 * shell mode, held by the agent program in persistent mode. Its next start stops it before it ends the interrupted run
 * or queues it again: a run queued again ({@code retryOnRestart}) never runs its next attempt beside the killed one,
 * and a run failed as interrupted leaves nothing of it running.
 */
class AgentRestartLeftoversSpec extends Specification {
    @TempDir Path dataDir
    @TempDir Path agentDirs
    @TempDir Path scratch
    SshTestServer host
    ServerJvm server

    def cleanup() {
        server?.close()
        host?.close()
    }

    private ServerJvm start() {
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], [STOKER_SLOTS: '2',
                STOKER_COMPILER: 'in-process'])
    }

    /** A server with the SSH agent 'box' on {@code host}, online in {@code mode}. */
    private void serverWithAgent(String mode) {
        server = start()
        def made = server.http.post('/agents', [name: 'box', host: host.host(), port: host.port(), user: host.user(),
                privateKey: host.clientKeys().privateKeyText(), labels: ['box'], executors: 2,
                workDir: agentDirs.resolve('box').toString(), hostKey: host.hostKeyFingerprint()])
        assert made.status == 201, made.text
        Http.eventually(60_000) { server.http.get('/agents/box').json.status == 'online' }
        assert server.http.get('/agents/box').json.mode == mode
    }

    /**
     * A task that marks its start and, after 60 s, its end in {@code marks}, and notes in {@code overlaps} any earlier
     * attempt (its PID in {@code pids}) still running when it starts; a later attempt does not wait.
     */
    private static String markedTask(Path marks, Path pids, Path overlaps) {
        """
            for p in \$(cat $pids 2>/dev/null); do
                s=\$(cut -d' ' -f3 /proc/\$p/stat 2>/dev/null || true)
                if [ -n "\$s" ] && [ "\$s" != Z ]; then echo "\$p still runs" >> $overlaps; fi
            done
            echo "start \$\$" >> $marks
            echo \$\$ >> $pids
            [ "\$(wc -l < $pids)" -gt 1 ] || sleep 60
            echo "end \$\$" >> $marks
        """
    }

    def "a retryOnRestart run interrupted by a killed server on a shell-mode agent runs again only once its killed attempt is gone"() {
        given: 'an agent on a host without Java, and a job that retries on restart'
        host = SshTestServer.startWithoutJava()
        serverWithAgent('shell')
        expect:
        retriedAlone()
    }

    def "a retryOnRestart run interrupted by a killed server on a persistent agent runs again only once its killed attempt is gone"() {
        given: 'an agent on a host with Java: the agent program holds the task'
        host = SshTestServer.start()
        serverWithAgent('persistent')
        expect:
        retriedAlone()
    }

    def "a run a killed server interrupted on a shell-mode agent fails as interrupted, its task no longer running"() {
        given:
        host = SshTestServer.startWithoutJava()
        serverWithAgent('shell')
        Path marks = scratch.resolve('once.marks')
        Path pids = scratch.resolve('once.pids')
        def made = server.http.post('/projects', [name: 'once', jobfile: """
            job('once') { task('rem') { agent 'box'; sh '''${markedTask(marks, pids, scratch.resolve('once.overlaps'))}''' } }
        """.toString()])
        assert made.status == 201, made.text

        when: 'the task runs on the agent, the server is killed (SIGKILL) and started again on its data directory'
        def (String key, long pid) = runThenKill('once', pids)
        server = start()

        then: 'the run failed as interrupted, and by then its task was stopped on the agent'
        def run = Http.eventually(60_000) { def r = server.http.get("/runs/$key").json; r.status == 'failed' ? r : null }
        run.reason.startsWith('server restarted')
        !running(pid)
        !marks.text.contains("end $pid")

        cleanup:
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    /**
     * Runs a retryOnRestart job on the agent, kills the server mid-task and starts it again: true once the run
     * succeeded a second time without the first attempt running beside it (assertions say what failed).
     */
    private boolean retriedAlone() {
        Path marks = scratch.resolve('dup.marks')
        Path pids = scratch.resolve('dup.pids')
        Path overlaps = scratch.resolve('dup.overlaps')
        def made = server.http.post('/projects', [name: 'dup', jobfile: """
            job('dup') { retryOnRestart true; task('rem') { agent 'box'; sh '''${markedTask(marks, pids, overlaps)}''' } }
        """.toString()])
        assert made.status == 201, made.text
        def (String key, long first) = runThenKill('dup', pids)
        try {
            server = start()
            def run = Http.eventually(90_000) {
                def r = server.http.get("/runs/$key").json
                r.status in ['succeeded', 'failed', 'cancelled'] ? r : null
            }
            assert run.status == 'succeeded', run.reason
            assert pids.readLines().size() == 2
            // the second attempt found the first gone: the two never ran at once, and the first never ended by itself
            assert (Files.exists(overlaps) ? overlaps.text : '') == ''
            assert !running(first)
            assert !marks.text.contains("end $first")
            true
        } finally {
            ProcessHandle.of(first).ifPresent { it.destroyForcibly() }
        }
    }

    /** Triggers job {@code name}, waits for its task to write its PID to {@code pids}, and kills the server (SIGKILL). */
    private List runThenKill(String name, Path pids) {
        String key = server.http.post("/projects/$name/jobs/$name/runs", [:]).json.key
        Http.eventually(60_000) { Files.exists(pids) && pids.text.trim() }
        long pid = pids.readLines()[0].trim() as long
        server.process.destroyForcibly()
        assert server.process.waitFor(30, TimeUnit.SECONDS)
        server.close() // keeps its output
        [key, pid]
    }
}

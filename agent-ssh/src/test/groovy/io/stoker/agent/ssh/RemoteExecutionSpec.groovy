package io.stoker.agent.ssh

import io.stoker.agent.client.LinkOutage

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.engine.exec.RunningTask
import io.stoker.engine.exec.TaskLaunch
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskState
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration
import java.util.concurrent.TimeUnit

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.fast
import static io.stoker.agent.ssh.AgentFixture.ms
import static io.stoker.agent.ssh.AgentFixture.on
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * Tasks on agents (in-process SSH servers) in shell mode: detachment and re-attach, loss, cancel, secrets,
 * workspaces, pipes. {@link PersistentExecutionSpec} runs the same features (but those about shell mode's files) with
 * the agent program.
 */
@Timeout(90)
class RemoteExecutionSpec extends Specification {

    /** The agents' Java setting: shell mode here. */
    String java() {
        'none'
    }

    /** Whether the agents run the agent program (features about shell mode's attempt files do not apply). */
    boolean persistent() {
        java() != 'none'
    }

    @TempDir
    Path tmp

    @AutoCleanup('stop')
    SshTestServer server = SshTestServer.start()

    List<SshAgent> agents = []
    AgentFixture.Events events = new AgentFixture.Events()

    def cleanup() {
        agents*.close()
        stopAgentDaemons()
        AgentDaemons.stopTasksUnder(tmp)
    }

    /** Waits for (or stops) the agent program's daemons this feature left under its temp dir: {@link AgentDaemons}. */
    void stopAgentDaemons() {
        AgentDaemons.stopUnder(tmp)
    }

    /**
     * The agents' lost timeout (scaled), unless a feature is about it. A cut's reconnect must fit in it: a login, and in
     * persistent mode a relay JVM started on the host, which a loaded machine can make take seconds; 5 s was tight.
     */
    static final long LOST_MILLIS = 12_000

    SshAgent agent(SshTestServer on = server, String name = 'a1', long lostMillis = LOST_MILLIS, long onlineMillis = 15000) {
        def a = new SshAgent(on.endpoint(name, new HostKeyCheck.Pinned(on.hostKeyFingerprint()), tmp.resolve("agent-$name")),
                fast(lostMillis).withJava(java()), events)
        agents << a
        a.start()
        assert await(onlineMillis) { a.status() == AgentStatus.ONLINE }, a.statusReason() // a first persistent connection starts two JVMs
        a
    }

    TaskLaunch launch(String script, Map env = [:], Set<String> secrets = [] as Set) {
        def ws = Files.createDirectories(tmp.resolve('ws'))
        new TaskLaunch('run-1', 'task', 1, [script], ws, env, false, null, secrets)
    }

    Path attemptDir(String agentName = 'a1') {
        tmp.resolve("agent-$agentName/runs/run-1/attempts/task.1")
    }

    /** Collects a stream's text on a thread. */
    static Thread drain(InputStream in, ByteArrayOutputStream into) {
        Thread.start { in.transferTo(into) }
    }

    def "a connection cut mid-task re-attaches: every line arrives exactly once and the exit code comes back"() {
        given:
        def a = agent()
        def t = a.executor().start(launch('for i in $(seq 1 80); do echo "line-$i"; echo "err-$i" >&2; sleep 0.03; done; exit 3'))
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def pumps = [drain(t.stdout(), out), drain(t.stderr(), err)]

        when: 'the connection is cut three times while it prints, each time after 15 more lines came (not after a nap)'
        3.times { int cut ->
            // and on a new connection: right after a cut the status may still say ONLINE until the drop is noticed,
            // and a second cut of the same dying connection would be no second cut at all
            assert await(30_000) {
                out.size() >= 'line-NN\n'.length() * 15 * (cut + 1) && a.status() == AgentStatus.ONLINE &&
                        events.statuses.count { it.startsWith('OFFLINE') } >= cut
            }
            server.dropConnections()
        }
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()

        then:
        exit == 3
        t.failureReason() == null
        out.toString(StandardCharsets.UTF_8) == (1..80).collect { "line-$it\n" }.join()
        err.toString(StandardCharsets.UTF_8) == (1..80).collect { "err-$it\n" }.join()

        and: 'each cut was seen (status events are told on their own thread: the exit may come first)'
        await(30_000) { events.statuses.count { it.startsWith('OFFLINE') } >= 3 }
    }

    def "a connection cut mid-task is told in two notes: the link dropped (and for how long it may) and re-attached, after how long"() {
        given:
        def a = agent()
        def gate = tmp.resolve('gate')
        def t = a.executor().start(launch("echo started; i=0; while [ ! -f '$gate' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done; echo after"))
        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>()
        t.onNote { notes << it }
        def out = new ByteArrayOutputStream()
        def pumps = [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]
        assert await(20_000) { out.toString().contains('started') }

        when: 'the connection is cut while the task waits'
        server.dropConnections()

        then: 'the task is told the link dropped, then that it is back'
        await(20_000) { notes.size() >= 2 }
        notes[0] == "lost the link to agent a1; waiting up to ${LinkOutage.seconds(Duration.ofMillis(ms(LOST_MILLIS)))} for it to come back"
        notes[1] ==~ /re-attached to agent a1 after \d+(\.\d)?s; the output in between follows/

        when: 'it ends'
        Files.writeString(gate, '')
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()

        then: 'its own exit code, not one the executor gave up on'
        exit == 0
        !t.gaveUp()
        out.toString(StandardCharsets.UTF_8) == 'started\nafter\n'
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'shell mode uploads the scripts before a start; the program gets them in its start message')
    def "a connection cut while a start uploads its scripts starts it again on the next connection, where it runs once"() {
        given:
        def a = agent()
        def ran = tmp.resolve('ran')
        server.cutWhenWriting('run.sh')

        when:
        def t = a.executor().start(launch("echo once >> '$ran'; echo hello"))
        def out = new ByteArrayOutputStream()
        def pump = drain(t.stdout(), out)
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pump.join()

        then: 'the cut happened (the agent went offline) and the task ran once, on the next connection'
        events.statuses.count { it.startsWith('OFFLINE') } >= 1
        exit == 0
        out.toString(StandardCharsets.UTF_8) == 'hello\n'
        Files.readAllLines(ran) == ['once']
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'about shell mode: the agent program has its own spec')
    def "an agent that stays away fails its task as agent lost within the lost timeout, and is cleaned when back"() {
        given:
        def a = agent(server, 'a1', 2000)
        def t = a.executor().start(launch('echo started; sleep 60'))
        def out = new ByteArrayOutputStream()
        def pumps = [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]
        assert await(20_000) { out.toString().contains('started') }
        // the wrapper writes the pid file just after starting the steps, which may print first
        assert await(20_000) { Files.exists(attemptDir().resolve('pid')) }
        long pgid = Files.readString(attemptDir().resolve('pid')).trim() as long

        when:
        long stopped = System.nanoTime()
        server.stop()
        int exit = t.onExit().get(ms(20_000), TimeUnit.MILLISECONDS)
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)
        pumps*.join()

        then: 'it failed as lost, with no exit code, not earlier than the timeout and not much later'
        t.gaveUp()
        t.failureReason().startsWith('agent lost: a1 unreachable for')
        tookMs >= 1900
        // 10 s of slack still tells the 2 s lost timeout from none (the wait above gives up at 20 s); 3 s of it was
        // less than a loaded machine's pause
        tookMs < ms(2000) + 10_000
        a.running().isEmpty()

        and: 'the abandoned task still runs while the agent is away'
        groupAlive(pgid)

        when: 'the agent comes back'
        server.restart(false)

        then: 'its abandoned process group is killed and its files removed'
        await(30_000) { a.status() == AgentStatus.ONLINE }
        await(30_000) { !groupAlive(pgid) && !Files.exists(attemptDir()) }
    }

    def "starting a task on an agent that stays unreachable fails instead of hanging"() {
        given:
        def a = agent(server, 'a1', 1500)
        server.stop()
        assert await(20_000) { a.status() == AgentStatus.OFFLINE }

        when:
        a.executor().start(launch('true'))

        then:
        def e = thrown(IOException)
        e.message.startsWith('agent lost: a1 unreachable')
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'about shell mode: the agent program has its own spec')
    def "cancel kills the remote process group: nothing it started survives"() {
        given:
        def a = agent()
        def t = a.executor().start(launch('sleep 300 & echo $! > child.pid; (sleep 300; echo never) & sleep 300'))
        def pumps = [drain(t.stdout(), new ByteArrayOutputStream()), drain(t.stderr(), new ByteArrayOutputStream())]
        def childFile = tmp.resolve('agent-a1/runs/run-1/ws/child.pid')
        assert await(20_000) { Files.exists(attemptDir().resolve('pid')) && Files.exists(childFile) && childFile.text.trim() }
        long pgid = Files.readString(attemptDir().resolve('pid')).trim() as long
        long child = childFile.text.trim() as long
        assert groupAlive(pgid)

        when:
        t.kill()
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()

        then:
        exit != 0
        await(20_000) { !groupAlive(pgid) && !ProcessHandle.of(child).map { it.alive }.orElse(false) }
    }

    def "what a task leaves running ends with it, one that left its group named in its log, one started without the mark kept"() {
        given:
        def a = agent()
        def ws = tmp.resolve('agent-a1/runs/run-1/ws')
        // the task ends once both setsid calls made their sessions: until then they are of its group, which ends with it
        def t = a.executor().start(launch("""own() { i=0; until [ "\$(cut -d' ' -f6 /proc/\$1/stat)" = "\$1" ] || [ \$i -ge 1000 ]; do sleep 0.01; i=\$((i+1)); done; }
sleep 300 & echo \$! > grouped.pid
setsid sleep 301 > /dev/null 2>&1 < /dev/null & echo \$! > detached.pid; own \$!
env -u STOKER_OUTPUT setsid sleep 302 > /dev/null 2>&1 < /dev/null & echo \$! > kept.pid; own \$!
"""))
        def pumps = [drain(t.stdout(), new ByteArrayOutputStream()), drain(t.stderr(), new ByteArrayOutputStream())]

        when:
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()
        long grouped = ws.resolve('grouped.pid').text.trim() as long
        long detached = ws.resolve('detached.pid').text.trim() as long
        kept = ws.resolve('kept.pid').text.trim() as long

        then: 'the task ended as it does on the server\'s machine: its group and what carried its mark stopped'
        exit == 0
        await(20_000) { !running(grouped) && !running(detached) }

        and: 'the one that had left the group is named in the task\'s log, the way out with it'
        t.strays() == ["stopped PID $detached (sleep), started by this task: it had left the task's process group and"
                + " still ran when the task ended; start a process meant to outlive its task with env -u STOKER_OUTPUT"]

        and: 'a process started without STOKER_OUTPUT outlives its task, as a deployment\'s service does'
        running(kept)

        cleanup:
        if (kept) ProcessHandle.of(kept).ifPresent { it.destroyForcibly() }
    }

    /** Set by a feature that leaves a process running on purpose, for its cleanup. */
    long kept

    /** Whether {@code pid} runs (a zombie, ended and not yet reaped by whoever adopted it, does not). */
    static boolean running(long pid) {
        def stat = Path.of("/proc/$pid/stat")
        if (!Files.exists(stat)) return false
        try {
            return !(stat.text.replaceFirst(/.*\) /, '').startsWith('Z'))
        } catch (IOException gone) {
            return false
        }
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'about shell mode: the agent program has its own spec')
    def "a secret never appears on any command line on the agent, yet the task gets it"() {
        given:
        def a = agent()
        String secret = 'sEcReT-' + UUID.randomUUID()

        when:
        def t = a.executor().start(launch('test "$TOKEN" = "' + "${secret.substring(0, 7)}" + '"$REST && echo match; sleep 1.5',
                [TOKEN: secret, REST: secret.substring(7)], ['TOKEN'] as Set))
        def out = new ByteArrayOutputStream()
        def pumps = [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]
        assert await(20_000) { Files.exists(attemptDir().resolve('pid')) }
        def seen = commandLinesContaining(secret)
        def envMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(attemptDir().resolve('env')))
        def dirMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(attemptDir()))
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()

        then:
        exit == 0
        out.toString() == 'match\n'
        seen.isEmpty()
        envMode == 'rw-------'
        dirMode == 'rwx------'
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'about shell mode: the agent program has its own spec')
    def "a step holding a secret is a private file on the agent, deleted when the step ends"() {
        given: 'a script as the engine renders ${{ secrets.TOKEN }}: the value in the text'
        def a = agent()
        String secret = 'sEcReT-' + UUID.randomUUID()
        def ws = Files.createDirectories(tmp.resolve('ws'))
        def launch = new TaskLaunch('run-1', 'task', 1, ["printf '%s' '" + secret + "' | wc -c",
                                                         'ls "$(dirname "$STOKER_OUTPUT")" | grep -c step-1 || true; touch done; ' +
                                                         'i=0; while [ ! -f go ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done'],
                ws, [TOKEN: secret], false, null, ['TOKEN'] as Set)

        when:
        def t = a.executor().start(launch)
        def out = new ByteArrayOutputStream()
        def pumps = [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]
        assert await(30_000) { Files.exists(tmp.resolve('agent-a1/runs/run-1/ws/done')) }
        def modes = Files.list(attemptDir()).withCloseable { files ->
            files.filter { it.fileName.toString().startsWith('step') }.toList()
                    .collectEntries { [(it.fileName.toString()): PosixFilePermissions.toString(Files.getPosixFilePermissions(it))] }
        }
        // the second step waits for this, not for a fixed second that a slow look at its files may outlast
        Files.createFile(tmp.resolve('agent-a1/runs/run-1/ws/go'))
        int exit = t.onExit().get(ms(30_000), TimeUnit.MILLISECONDS)
        pumps*.join()

        then: 'the first step ran, then its file was gone while the second ran; what is left is the owner\'s only'
        exit == 0
        out.toString() == "${secret.size()}\n0\n"
        modes == ['step-2.sh': 'rw-------', 'steps.sh': 'rw-------']
    }

    def "outputs come back when a task ends, release removes its attempt directory and forgetRun the run's files"() {
        given:
        def a = agent()
        def t = a.executor().start(launch('echo "v=1" >> "$STOKER_OUTPUT"; echo "ws=$STOKER_WORKSPACE"'))
        def out = new ByteArrayOutputStream()
        [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]*.join()

        expect:
        t.waitFor() == 0
        t.outputText() == 'v=1\n'
        out.toString() == "ws=${tmp.resolve('agent-a1/runs/run-1/ws')}\n"

        when:
        t.release()

        then:
        await(20_000) { !Files.exists(attemptDir()) }
        Files.exists(tmp.resolve('agent-a1/runs/run-1/ws'))

        when: 'the server forgets the finished run'
        a.forgetRun('run-1')

        then: 'its workspace copy is gone from the agent too'
        !Files.exists(tmp.resolve('agent-a1/runs/run-1'))
    }

    def "a run that ended while its agent was away has its copy removed when the agent is back"() {
        given: 'a run whose task left its workspace copy on the agent'
        def a = agent()
        def t = a.executor().start(launch('echo done'))
        [drain(t.stdout(), new ByteArrayOutputStream()), drain(t.stderr(), new ByteArrayOutputStream())]*.join()
        assert t.waitFor() == 0
        t.release()
        Path copy = tmp.resolve('agent-a1/runs/run-1')
        assert Files.exists(copy.resolve('ws'))

        when: 'the agent is away when the server forgets the ended run'
        server.stop()
        assert await(20_000) { a.status() != AgentStatus.ONLINE }
        a.forgetRun('run-1')

        then: 'the copy is still there'
        Files.exists(copy)

        when: 'the agent comes back'
        server.restart(false)

        then: 'it is removed at the new connection'
        await(30_000) { a.status() == AgentStatus.ONLINE && !Files.exists(copy) }
    }

    def "a run started again by a later server process finds none of the files its earlier attempt left on the agent"() {
        given: 'an attempt that left files in the agent\'s copy, then its server process went away'
        def first = agent()
        def t = first.executor().start(launch('echo left > stale.txt; mkdir -p .hidden && echo x > .hidden/f'))
        [drain(t.stdout(), new ByteArrayOutputStream()), drain(t.stderr(), new ByteArrayOutputStream())]*.join()
        assert t.waitFor() == 0
        t.release()
        first.close()
        agents.remove(first)
        assert Files.exists(tmp.resolve('agent-a1/runs/run-1/ws/stale.txt'))

        and: 'the run queued again gets a fresh workspace on the server'
        Path ws = tmp.resolve('ws')
        ws.toFile().deleteDir()
        Files.createDirectories(ws).resolve('fresh.txt').text = 'new\n'

        when: 'a new process (a new connection to the same host, which may start the agent program anew) runs it'
        def again = agent(server, 'a1', LOST_MILLIS, 60_000)
        def t2 = again.executor().start(launch('ls -A'))
        def out = new ByteArrayOutputStream()
        [drain(t2.stdout(), out), drain(t2.stderr(), new ByteArrayOutputStream())]*.join()

        then: 'the agent\'s copy is the server\'s, nothing more'
        t2.waitFor() == 0
        out.toString() == 'fresh.txt\n'
        !Files.exists(ws.resolve('stale.txt'))
    }

    def "workspace files round-trip between two agents and the server"() {
        given:
        def other = SshTestServer.start()
        def a = agent(server, 'a')
        def b = agent(other, 'b')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()],
                new LocalExecutor(Files.createDirectories(tmp.resolve('scratch')))))
        f.workspace.resolve('src').toFile().mkdirs()
        f.workspace.resolve('src/input.txt').text = 'from the server\n'
        f.workspace.resolve('tool.sh').text = '#!/bin/sh\necho tool ran\n'
        f.workspace.resolve('tool.sh').toFile().setExecutable(true)

        when:
        def run = f.run(job('j',
                on('a', task('make', 'mkdir -p out && { cat src/input.txt; echo "made on a"; } > out/a.txt && ./tool.sh > out/tool.txt')),
                on('b', task('use', [needs: ['make']], 'cat out/a.txt > out/b.txt && echo "used on b" >> out/b.txt')),
                task('check', [needs: ['use']], 'cat out/b.txt out/tool.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        f.workspace.resolve('out/b.txt').text == 'from the server\nmade on a\nused on b\n'
        f.log(run, 'check').contains(' out tool ran')
        // b never ran 'make', yet has its output: it came through the server
        tmp.resolve('agent-b/runs/j-1/ws/out/a.txt').text == 'from the server\nmade on a\n'

        cleanup:
        f?.close()
        other?.stop()
    }

    def "the agent's copy is an exact mirror: deletions on either side carry over, symlinks and modes survive"() {
        given:
        def a = agent(server, 'a')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor()],
                new LocalExecutor(Files.createDirectories(tmp.resolve('scratch')))))
        f.workspace.resolve('stale.txt').text = 'removed from the repository\n'
        f.workspace.resolve('tool.sh').text = '#!/bin/sh\necho tool ran\n'
        f.workspace.resolve('tool.sh').toFile().setExecutable(true)

        when: 'the agent runs, the server deletes a file and adds a link, the agent runs again and deletes one'
        def run = f.run(job('j',
                on('a', task('first', 'test -f stale.txt && mkdir -p gen && echo 1 > gen/made-on-a.txt')),
                task('change', [needs: ['first']], 'rm stale.txt && ln -s tool.sh link.sh && mkdir -p bin && ln -s ../tool.sh bin/tool'),
                on('a', task('second', [needs: ['change']],
                        'test ! -e stale.txt && test -L link.sh && [ "$(readlink link.sh)" = tool.sh ] && test -x tool.sh' +
                        ' && ./link.sh && bin/tool && rm gen/made-on-a.txt && ln -s tool.sh made-link.sh'))))

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'second').contains(' out tool ran')
        !Files.exists(tmp.resolve('agent-a/runs/j-1/ws/stale.txt'))

        and: 'what the agent deleted and linked is deleted and linked on the server'
        !Files.exists(f.workspace.resolve('gen/made-on-a.txt'))
        Files.isSymbolicLink(f.workspace.resolve('made-link.sh'))
        Files.readSymbolicLink(f.workspace.resolve('made-link.sh')).toString() == 'tool.sh'
        Files.isExecutable(f.workspace.resolve('tool.sh'))

        cleanup:
        f?.close()
    }

    def "a pipe across two agents streams every byte to a slow reader"() {
        given:
        def other = SshTestServer.start()
        def a = agent(server, 'a')
        def b = agent(other, 'b')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()]))
        long expectedBytes = (1..200000).sum { "$it\n".length() } as long

        when: 'the reader sleeps before it reads and then reads line by line'
        def run = f.run(job('j',
                on('a', task('gen', 'seq 1 200000')),
                on('b', task('count', [input: 'gen'], 'sleep 1; tee /dev/null | wc -c | tr -d " " | sed "s/^/bytes=/" >> "$STOKER_OUTPUT"')),
                ))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('gen').state() == TaskState.SUCCEEDED
        run.task('count').outputs() == [bytes: expectedBytes as String]
        f.log(run, 'gen').contains(' out 200000\n')

        cleanup:
        f?.close()
        other?.stop()
    }

    def "a slow reader gets every byte of a writer that ends at once, run after run"() {
        given:
        def other = SshTestServer.start()
        def a = agent(server, 'a')
        def b = agent(other, 'b')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()]))
        long expectedBytes = (1..100000).sum { "$it\n".length() } as long

        when: 'the writer ends long before the reader starts reading, five runs in a row'
        def runs = (1..5).collect {
            f.run(job('j',
                    on('a', task('gen', 'seq 1 100000')),
                    on('b', task('count', [input: 'gen'], 'sleep 0.5; wc -c | tr -d " " | sed "s/^/bytes=/" >> "$STOKER_OUTPUT"'))))
        }

        then:
        runs.every { it.state() == RunState.SUCCEEDED }
        runs.collect { it.task('count').outputs() } == [[bytes: expectedBytes as String]] * 5

        cleanup:
        f?.close()
        other?.stop()
    }

    @IgnoreIf(value = { instance.persistent() }, reason = 'about shell mode: the agent program has its own spec')
    def "a connection drop that cuts a pipe's feed fails the reader instead of passing on part of the input"() {
        given:
        def other = SshTestServer.start()
        def a = agent(server, 'a')
        def b = agent(other, 'b')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()]))
        def genExit = tmp.resolve('agent-a/runs/j-1/attempts/gen.1/exit')
        def go = tmp.resolve('agent-b/runs/j-1/ws/go')

        when: 'the writer has ended, its bytes are on their way to a reader that waits, and the reader\'s connection drops'
        def handle = f.engine.start(f.request(job('j',
                on('a', task('gen', 'seq 1 200000')),
                on('b', task('count', [input: 'gen'],
                        'i=0; while [ ! -f go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; wc -c | tr -d " " | sed "s/^/bytes=/" >> "$STOKER_OUTPUT"')))),
                io.stoker.engine.run.RunListener.NONE)
        assert await(30000) { Files.exists(genExit) && !b.running().isEmpty() }
        other.dropConnections()
        assert await(30000) { b.status() == AgentStatus.ONLINE }
        Files.writeString(go, '')
        def run = handle.result().get(ms(60_000), TimeUnit.MILLISECONDS)

        then: 'the reader, which saw only part of the input, fails and says why'
        run.state() == RunState.FAILED
        run.task('count').state() == TaskState.FAILED
        run.task('count').outcome().reason().contains('input')

        cleanup:
        f?.close()
        other?.stop()
    }

    def "many attempts share one connection at once, each with its own output"() {
        given:
        def a = agent()
        def ws = Files.createDirectories(tmp.resolve('ws'))

        when:
        def tasks = (1..8).collect { n ->
            a.executor().start(new TaskLaunch('run-1', "t$n", 1, ['for i in $(seq 1 50); do echo "$N-$i"; done'], ws,
                    [N: "$n".toString()], false))
        }
        def outs = tasks.collect { t ->
            def out = new ByteArrayOutputStream()
            [t, out, [drain(t.stdout(), out), drain(t.stderr(), new ByteArrayOutputStream())]]
        }
        outs.each { it[2]*.join() }

        then:
        server.sessionCount() == 1
        outs.withIndex().every { o, i ->
            o[0].waitFor() == 0 && o[1].toString() == (1..50).collect { "${i + 1}-$it\n" }.join()
        }
    }

    def "a pipe reader on one agent exiting early ends the writer on the other with SIGPIPE, which counts as success"() {
        given:
        def other = SshTestServer.start()
        def a = agent(server, 'a')
        def b = agent(other, 'b')
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()]))

        when:
        def run = f.run(job('j',
                on('a', task('endless', 'while true; do echo y; done')),
                on('b', task('first', [input: 'endless'], 'head -1 | sed "s/^/got=/" >> "$STOKER_OUTPUT"'))))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('first').outputs() == [got: 'y']
        run.task('endless').state() == TaskState.SUCCEEDED
        f.log(run, 'endless').contains('SIGPIPE')

        cleanup:
        f?.close()
        other?.stop()
    }

    /** Whether any process is still in process group {@code pgid} (field 5 of /proc/PID/stat). */
    static boolean groupAlive(long pgid) {
        Files.list(Path.of('/proc')).withCloseable { procs ->
            procs.filter { it.fileName.toString().isNumber() }.anyMatch { p ->
                try {
                    String stat = Files.readString(p.resolve('stat'))
                    def fields = stat.substring(stat.lastIndexOf(')') + 2).split(' ')
                    fields[0] != 'Z' && (fields[2] as long) == pgid
                } catch (IOException ignored) {
                    false
                }
            }
        }
    }

    /** Every process whose command line contains {@code text}. */
    static List<String> commandLinesContaining(String text) {
        Files.list(Path.of('/proc')).withCloseable { procs ->
            procs.filter { it.fileName.toString().isNumber() }.collect { p ->
                try {
                    new String(Files.readAllBytes(p.resolve('cmdline')), StandardCharsets.UTF_8).replace('\u0000' as char, ' ' as char)
                } catch (IOException ignored) {
                    ''
                }
            }.findAll { it.contains(text) }
        }
    }
}

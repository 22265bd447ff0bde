package io.stoker.agent.program

import io.stoker.agent.client.AgentClient
import io.stoker.agent.client.RemoteTask
import io.stoker.agent.protocol.Frame
import io.stoker.agent.protocol.FrameCodec
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** The agent program as a real child process, spoken to over its stdin/stdout (or through its relay). */
class AgentProgramSpec extends Specification {
    static final double FACTOR = (System.getProperty('stoker.test.timeoutFactor') ?: '1') as double

    @TempDir
    Path dir

    List<Process> processes = []

    def cleanup() {
        processes.each { it.destroyForcibly() }
    }

    Process program(String mode, String... extra) {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def cmd = [java, '-XX:+UseSerialGC', '-cp', System.getProperty('java.class.path'), AgentMain.name, mode,
                   '--dir', dir.resolve('agent').toString(), *extra]
        def p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve('stderr.log').toFile())).start()
        processes << p
        p
    }

    static FrameCodec codec(Process p) {
        new FrameCodec(p.inputStream, p.outputStream)
    }

    Frame.Start start(String id, List<String> scripts, Map<String, String> env = [:], boolean stdin = false,
                      boolean changes = false) {
        Files.createDirectories(dir.resolve('ws'))
        new Frame.Start(id, scripts, env, [] as Set, dir.resolve('ws').toString(), stdin, AgentClient.WINDOW, changes, null)
    }

    static Frame.Exit exitOf(RemoteTask t, long seconds = 30) {
        t.exit().get((long) (seconds * FACTOR), TimeUnit.SECONDS)
    }

    /** Reads a stream on a thread of its own, as the engine's pump does. */
    static Thread collect(InputStream from, ByteArrayOutputStream into) {
        Thread.start { from.transferTo(into) }
    }

    def "a task runs on the agent and its output, exit code and STOKER_OUTPUT come back"() {
        given:
        def client = new AgentClient('spec')
        def hello = client.attach(codec(program('serve'))).hello()

        when:
        def t = client.start(start('t1', ['echo "hello $WHO"; echo oops >&2; echo k=v >> "$STOKER_OUTPUT"; exit 3'],
                [WHO: 'agent']))
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def readers = [collect(t.stdout(), out), collect(t.stderr(), err)]
        def exit = exitOf(t)
        readers*.join()

        then:
        hello.protocol() == Frame.PROTOCOL
        hello.software().startsWith('stoker-agent')
        exit.code() == 3
        exit.error() == null
        exit.output() == 'k=v\n'
        out.toString() == 'hello agent\n'
        err.toString() == 'oops\n'
    }

    def "stdin reaches the task and closing it ends the task's input"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))

        when:
        def t = client.start(start('t1', ['tr a-z A-Z'], [:], true))
        def out = new ByteArrayOutputStream()
        def reader = collect(t.stdout(), out)
        t.stdin().withCloseable { it.write(('abc\n' * 100_000).bytes) } // 400 KB: several windows' worth of chunks
        def exit = exitOf(t)
        reader.join()

        then:
        exit.code() == 0
        out.toString() == 'ABC\n' * 100_000
        t.stdinDelivered()
    }

    def "output larger than the window arrives whole, paced by what the reader takes"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))

        when:
        def t = client.start(start('t1', ['head -c 8000000 /dev/zero | tr "\\0" x']))
        long count = 0
        def reader = Thread.start {
            byte[] buf = new byte[8192]
            for (int n = t.stdout().read(buf); n >= 0; n = t.stdout().read(buf)) count += n
        }
        collect(t.stderr(), new ByteArrayOutputStream())
        def exit = exitOf(t)
        reader.join()

        then:
        exit.code() == 0
        exit.stdoutLength() == 8_000_000
        count == 8_000_000
    }

    def "cancel kills the task's whole process group"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))
        def pidFile = dir.resolve('child.pid')

        when:
        def t = client.start(start('t1', ["sleep 1000 & echo \$! > '$pidFile'; wait".toString()]))
        def err = new ByteArrayOutputStream()
        collect(t.stdout(), new ByteArrayOutputStream())
        collect(t.stderr(), err)
        assert poll { Files.exists(pidFile) && Files.readString(pidFile).trim() } : "no pid written; stderr: $err, exit: ${t.exit().getNow(null)}"
        long child = Files.readString(pidFile).trim() as long
        t.cancel()
        def exit = exitOf(t)

        then:
        exit.code() != 0
        poll { !ProcessHandle.of(child).map { it.alive }.orElse(false) }
    }

    def "the exit says what the task created, changed and deleted in its workspace"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))
        def ws = Files.createDirectories(dir.resolve('ws'))
        Files.writeString(ws.resolve('keep.txt'), 'same')
        Files.writeString(ws.resolve('old.txt'), 'bye')
        Files.writeString(ws.resolve('edit.txt'), 'v1')

        when:
        def t = client.start(start('t1', ['rm old.txt; echo v2-longer > edit.txt; mkdir -p out; echo new > out/new.txt; ln -s keep.txt link'],
                [:], false, true))
        collect(t.stdout(), new ByteArrayOutputStream())
        collect(t.stderr(), new ByteArrayOutputStream())
        def exit = exitOf(t)

        then:
        exit.code() == 0
        exit.changes().changed()*.path() as Set == ['edit.txt', 'out', 'out/new.txt', 'link'] as Set
        exit.changes().changed().find { it.path() == 'link' }.target() == 'keep.txt'
        exit.changes().deleted() == ['old.txt']
    }

    def "a task that cannot start ends at once with the reason"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))
        Files.writeString(dir.resolve('file'), 'x')

        when:
        def t = client.start(new Frame.Start('t1', ['true'], [:], [] as Set, dir.resolve('file').resolve('sub').toString(),
                false, AgentClient.WINDOW, false, null))
        def exit = exitOf(t)

        then:
        exit.code() == 126
        exit.error().startsWith('cannot start the task')
    }

    def "a task naming registryCredentials whose login did not come with it is refused in one sentence, not pulled without"() {
        given:
        def client = new AgentClient('spec')
        client.attach(codec(program('serve')))
        Files.createDirectories(dir.resolve('ws'))
        def container = new io.stoker.model.Container('127.0.0.1:5000/org/app:1', io.stoker.model.Container.PullPolicy.ALWAYS, [], 'REGISTRY_BOT')

        when:
        def t = client.start(new Frame.Start('t1', ['true'], [:], [] as Set, dir.resolve('ws').toString(), false,
                AgentClient.WINDOW, false, container))
        def exit = exitOf(t)

        then:
        exit.code() == 126
        exit.error() == "cannot start the task: the task names registryCredentials 'REGISTRY_BOT' but its login did not " +
                'reach this agent (the server that sent it predates registry logins on agents): upgrade the server, or run the ' +
                'task on the server'
    }

    def "a connection that drops and comes back through the relay resumes the streams without losing or doubling a line"() {
        given: 'the relay, which starts the daemon'
        def client = new AgentClient('spec')
        def first = program('connect', '--id', 'spec', '--idle', '30')
        client.attach(codec(first))

        when: 'a task prints numbered lines while the connection drops'
        // ~2 s of output at rest, paced by one sleep per 10 lines: 400 sleep processes made it crawl on a loaded machine
        def t = client.start(start('t1', ['i=1; while [ $i -le 400 ]; do echo "line $i"; [ $((i % 10)) = 0 ] && sleep 0.05; i=$((i+1)); done']))
        def out = new ByteArrayOutputStream()
        def reader = collect(t.stdout(), out)
        collect(t.stderr(), new ByteArrayOutputStream())
        assert poll { out.toString().contains('line 50\n') }
        first.destroyForcibly().waitFor()
        assert poll { client.connection() == null }

        and: 'a new relay reaches the same daemon'
        def second = program('connect', '--id', 'spec', '--idle', '30')
        def again = client.attach(codec(second))
        def exit = exitOf(t, 90)
        reader.join()

        then:
        again.hello().tasks() == ['t1']
        exit.code() == 0
        out.toString().readLines() == (1..400).collect { "line $it".toString() }

        cleanup:
        t?.release()
        stopDaemon('spec')
    }

    def "a task the agent no longer holds ends as lost when the connection comes back"() {
        given:
        def client = new AgentClient('spec')
        def first = program('connect', '--id', 'lost', '--idle', '30')
        client.attach(codec(first))
        def t = client.start(start('t1', ['echo up; sleep 1000']))
        def out = new ByteArrayOutputStream()
        collect(t.stdout(), out)
        collect(t.stderr(), new ByteArrayOutputStream())
        assert poll { out.toString().contains('up') } // the agent had it (a start lost on the way is sent again instead)

        when: 'the daemon dies with the task, and a new one starts'
        first.destroyForcibly().waitFor()
        stopDaemon('lost')
        client.attach(codec(program('connect', '--id', 'lost', '--idle', '30')))
        def exit = exitOf(t)

        then:
        exit.error().startsWith('agent lost')

        cleanup:
        stopDaemon('lost')
    }

    def "the processes of a task whose daemon was killed are stopped by the next daemon, before it tells the task lost"() {
        given: 'a task that says its process id, then sleeps'
        def client = new AgentClient('spec')
        def first = program('connect', '--id', 'orphan', '--idle', '30')
        client.attach(codec(first))
        Path pidFile = dir.resolve('orphan-task.pid')
        def t = client.start(start('t1', ["echo \$\$ > $pidFile; echo up; exec sleep 1000".toString()]))
        def out = new ByteArrayOutputStream()
        collect(t.stdout(), out)
        collect(t.stderr(), new ByteArrayOutputStream())
        assert poll { out.toString().contains('up') }
        long task = pidFile.text.trim() as long

        when: 'only the daemon is killed: its task runs on, in a session of its own'
        first.destroyForcibly().waitFor()
        def daemon = ProcessHandle.of(Files.readString(AgentMain.pidFile(AgentMain.socketPath(dir.resolve('agent'), 'orphan'))).trim() as long).get()
        daemon.destroyForcibly()
        daemon.onExit().get(10, TimeUnit.SECONDS)
        assert alive(task)

        and: 'the connection comes back, which starts a new daemon'
        client.attach(codec(program('connect', '--id', 'orphan', '--idle', '30')))
        def exit = exitOf(t)

        then: 'the task is lost, and its process is gone (not left to run beside a retry)'
        exit.error().startsWith('agent lost')
        poll { !alive(task) }

        cleanup:
        stopDaemon('orphan')
        if (task) ProcessHandle.of(task).ifPresent { it.destroyForcibly() }
    }

    static boolean alive(long pid) {
        // a killed process whose parent is gone is a zombie until init reaps it: /proc says so
        // read once, not asked first: a process reaped between the two has no stat left to read
        String stat
        try {
            stat = Files.readString(Path.of("/proc/$pid/stat"))
        } catch (IOException gone) {
            return false
        }
        !(stat =~ /^\d+ \(.*\) [ZX] /)
    }

    def "a task whose start was lost with the connection is started when the connection comes back"() {
        given: 'a connection whose frames to the agent go nowhere (its hello comes through a pipe the spec holds)'
        def client = new AgentClient('spec')
        def toClient = new PipedOutputStream()
        def fromAgent = new PipedInputStream(toClient, 1 << 16)
        new FrameCodec(new ByteArrayInputStream(new byte[0]), toClient).write(new Frame.Hello(Frame.PROTOCOL, 'void', []))
        client.attach(new FrameCodec(fromAgent, OutputStream.nullOutputStream()))

        when: 'a task is started on it, and the connection ends before anything came back'
        def t = client.start(start('t1', ['echo started again']))
        def out = new ByteArrayOutputStream()
        def reader = collect(t.stdout(), out)
        collect(t.stderr(), new ByteArrayOutputStream())
        toClient.close()
        assert poll { client.connection() == null }

        and: 'a real agent that never had it is attached'
        def again = client.attach(codec(program('serve')))
        def exit = exitOf(t)
        reader.join()

        then: 'the start went out again: the task ran once, there'
        again.hello().tasks() == []
        exit.code() == 0
        out.toString() == 'started again\n'

        cleanup:
        t?.release()
    }

    def "two servers on one agent program each keep their connection and see only their own tasks"() {
        given: 'two owners (the servers of a cluster) attach through relays to the same daemon'
        def a = new AgentClient('spec', 'server-a')
        def b = new AgentClient('spec', 'server-b')
        def aLink = a.attach(codec(program('connect', '--id', 'two', '--idle', '30')))
        def ta = a.start(start('a1', ['echo "a starts"; read go < "$GATE"; echo "a ends"'], [GATE: gate('a')]))
        def aOut = new ByteArrayOutputStream()
        def aReader = collect(ta.stdout(), aOut)
        collect(ta.stderr(), new ByteArrayOutputStream())
        assert poll { aOut.toString().contains('a starts') }

        when: 'the second owner attaches while the first one\'s task runs, and starts a task of its own'
        def bLink = b.attach(codec(program('connect', '--id', 'two', '--idle', '30')))
        def tb = b.start(start('b1', ['echo "b ran"']))
        def bOut = new ByteArrayOutputStream()
        def bReader = collect(tb.stdout(), bOut)
        collect(tb.stderr(), new ByteArrayOutputStream())
        def bExit = exitOf(tb)
        bReader.join()
        dir.resolve('gate-a').text = 'go\n'
        def aExit = exitOf(ta)
        aReader.join()

        then: 'neither connection replaced the other, and each hello named only its owner\'s tasks'
        aLink.open()
        bLink.open()
        bLink.hello().tasks() == []
        aExit.code() == 0
        aOut.toString() == 'a starts\na ends\n'
        bExit.code() == 0
        bOut.toString() == 'b ran\n'

        when: 'each owner reconnects'
        def aAgain = a.attach(codec(program('connect', '--id', 'two', '--idle', '30')))
        def bAgain = b.attach(codec(program('connect', '--id', 'two', '--idle', '30')))

        then: 'it is told of its own held task only'
        aAgain.hello().tasks() == ['a1']
        bAgain.hello().tasks() == ['b1']

        cleanup:
        ta?.release()
        tb?.release()
        stopDaemon('two')
    }

    def "the tasks of an owner that stays away for the idle time are killed, while another owner is connected"() {
        given:
        def gone = new AgentClient('spec', 'gone')
        def stays = new AgentClient('spec', 'stays')
        def goneRelay = program('connect', '--id', 'away', '--idle', '1')
        gone.attach(codec(goneRelay))
        stays.attach(codec(program('connect', '--id', 'away', '--idle', '1')))
        def t = gone.start(start('t1', ['echo $$ > "$PIDS"; echo up; exec sleep 1000'], [PIDS: dir.resolve('pid').toString()]))
        def out = new ByteArrayOutputStream()
        collect(t.stdout(), out)
        collect(t.stderr(), new ByteArrayOutputStream())
        assert poll { out.toString().contains('up') }
        long pid = dir.resolve('pid').text.trim() as long

        when: 'its connection ends, the task is killed after the idle time (1 s), and it comes back'
        goneRelay.destroyForcibly().waitFor()
        assert poll { gone.connection() == null }
        def killed = poll { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        gone.attach(codec(program('connect', '--id', 'away', '--idle', '1')))
        def exit = exitOf(t)

        then: 'the daemon no longer held the task: it ends as lost'
        killed
        exit.error().startsWith('agent lost')
        stays.connection() != null

        cleanup:
        stopDaemon('away')
    }

    /** A FIFO a task waits on until the spec writes a line to it. */
    String gate(String name) {
        def fifo = dir.resolve("gate-$name")
        assert new ProcessBuilder('mkfifo', fifo.toString()).start().waitFor() == 0
        fifo.toString()
    }

    /** Kills the daemon this spec's relays started, by the process id it wrote beside its socket. */
    void stopDaemon(String id) {
        def pidFile = AgentMain.pidFile(AgentMain.socketPath(dir.resolve('agent'), id))
        if (!Files.exists(pidFile)) return
        ProcessHandle.of(Files.readString(pidFile).trim() as long).ifPresent { ph ->
            ph.descendants().each { it.destroyForcibly() }
            ph.destroyForcibly()
            ph.onExit().get(10, TimeUnit.SECONDS)
        }
    }

    static boolean poll(Closure<Boolean> condition) {
        def deadline = System.nanoTime() + (long) (20e9 * FACTOR)
        while (System.nanoTime() < deadline) {
            if (condition()) return true
            Thread.sleep(10)
        }
        condition()
    }
}

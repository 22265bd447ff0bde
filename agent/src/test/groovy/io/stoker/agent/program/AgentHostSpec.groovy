package io.stoker.agent.program

import io.stoker.agent.client.AgentClient
import io.stoker.agent.protocol.Frame
import io.stoker.agent.protocol.FrameCodec
import io.stoker.agent.protocol.StreamName
import io.stoker.engine.exec.Executor
import io.stoker.engine.exec.RunningTask
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.lang.management.ManagementFactory
import java.nio.channels.Channels
import java.nio.channels.Pipe
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/** When the agent program may stop (the daemon's idle watch asks its host), and that asking never holds up a connection. */
class AgentHostSpec extends Specification {
    @TempDir
    File dir

    def "a connection whose hello is still on its way keeps the program from stopping"() {
        given: 'a host with no task and no connection'
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')
        def conn = new Served(host)
        def client = conn.client

        expect: 'it is not idle once the connection is being served, before any frame came'
        AgentProgramSpec.poll { !host.idleFor(0) }

        when: 'the hello comes and the host answers'
        client.write(new Frame.Hello(Frame.PROTOCOL, 'spec', [], 'owner'))
        def answer = client.read()

        then: 'it stays busy while connected'
        answer instanceof Frame.Hello
        !host.idleFor(0)

        when: 'the connection ends'
        conn.toHost.sink().close()
        conn.thread.join((long) (20_000 * AgentProgramSpec.FACTOR))

        then: 'nothing keeps it any more'
        !conn.thread.alive
        AgentProgramSpec.poll { host.idleFor(0) }

        cleanup:
        host?.killAll()
    }

    def "a connection counts from its accept, before its codec is set up, and stops counting when it ends"() {
        given:
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')

        when: 'the daemon accepted a connection whose thread has not reached the host yet'
        host.accepted()

        then:
        !host.idleFor(0)

        when: 'it is served and ends before any frame'
        def toHost = Pipe.open()
        toHost.sink().close()
        host.serveAccepted(new FrameCodec(Channels.newInputStream(toHost.source()), OutputStream.nullOutputStream()))

        then: 'the peer broke the protocol, and nothing keeps the host any more'
        thrown(IOException)
        AgentProgramSpec.poll { host.idleFor(0) }

        cleanup:
        host?.killAll()
    }

    def "until its first connection a daemon waits as long as the relay that started it would, whatever its idle time"() {
        given: 'an idle host'
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')
        AgentProgramSpec.poll { host.idleFor(0) }
        long now = System.nanoTime()

        expect: 'started just now or 2 s ago with no connection yet: it stays'
        !AgentMain.mayStop(host, 0, false, now)
        !AgentMain.mayStop(host, 0, false, now - 2_000_000_000L)

        and: 'once the relay would have given up, or after a connection came and went, idle is idle'
        AgentMain.mayStop(host, 0, false, now - (AgentMain.CONNECT_WAIT_MILLIS + 1000) * 1_000_000)
        AgentMain.mayStop(host, 0, true, now)

        cleanup:
        host?.killAll()
    }

    @Timeout(120)
    def "the idle watch and a re-attaching connection never wait for each other"() {
        given: 'a host serving one connection, with a task that printed a line and still runs'
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')
        def conn = new Served(host)
        def client = conn.client
        def frames = conn.attach()
        def ws = new File(dir, 'ws')
        ws.mkdirs()
        client.write(new Frame.Start('t', ['echo ready; sleep 60'], [:], [] as Set, ws.path, false, AgentClient.WINDOW, false, null))
        assert next(frames) { it instanceof Frame.Chunk }

        and: "the daemon's idle watch asking all along, as it does every 200 ms"
        boolean watching = true
        def watch = Thread.start {
            for (int i = 0; i < 1_000_000 && watching; i++) host.idleFor(60_000)
        }

        when: 'the server re-attaches again and again (each resume sends the unacknowledged line again), then beats'
        // written from a thread of its own: a host that stopped reading would block the writer on the full pipe
        def writer = Thread.start {
            500.times { client.write(new Frame.Resume('t', 0, 0)) }
            client.write(new Frame.Heartbeat(42))
        }

        then: 'the heartbeat is answered: neither side holds what the other waits for'
        next(frames) { it instanceof Frame.Heartbeat && it.seq() == 42 }
        ManagementFactory.threadMXBean.findDeadlockedThreads() == null

        when: 'the task is cancelled while the watch still asks'
        client.write(new Frame.Cancel('t'))

        then: 'its exit comes'
        next(frames) { it instanceof Frame.Exit }

        cleanup:
        watching = false
        watch?.join(5000)
        conn?.toHost?.sink()?.close()
        conn?.fromHost?.source()?.close()
        writer?.interrupt()
        // bounded: on a host that deadlocked, killing the task would wait for the deadlocked task forever
        Thread.start { host?.killAll() }.join(10_000)
    }

    @Timeout(120)
    def "a re-attach gives the server no more credit than it acknowledged: it holds one window beyond what it read"() {
        given: 'a task printing three windows of output to a server that reads none of it'
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')
        def conn = new Served(host)
        def frames = conn.attach()
        long window = AgentClient.WINDOW
        def ws = new File(dir, 'ws')
        ws.mkdirs()
        conn.client.write(new Frame.Start('t', ["head -c ${3 * window} /dev/zero; sleep 60".toString()], [:], [] as Set,
                ws.path, false, window, false, null))
        long received = 0
        def receive = { Frame f -> if (f instanceof Frame.Chunk && f.stream() == StreamName.STDOUT) received = Math.max(received, f.offset() + f.data().length); false }

        expect: 'it sends one window, the credit of a start'
        next(frames) { receive(it); received == window }

        when: 'the server re-attaches holding that window (it read none of it), then says it read half of it'
        conn.client.write(new Frame.Resume('t', window, 0))
        conn.client.write(new Frame.Ack('t', StreamName.STDOUT, (long) (window / 2), window))
        next(frames) { receive(it); received >= window + window / 2 }
        conn.client.write(new Frame.Heartbeat(7))
        next(frames) { receive(it); it instanceof Frame.Heartbeat }

        then: 'it sent up to half a window plus a window, not a window beyond what the server held'
        received == window + window / 2

        cleanup:
        conn?.toHost?.sink()?.close()
        conn?.fromHost?.source()?.close()
        Thread.start { host?.killAll() }.join(10_000)
    }

    @Timeout(120)
    def "a kill that takes its time does not hold up the connection's other frames"() {
        given: 'a host whose tasks take as long to kill as the spec says (as a container removed by podman may)'
        def killed = new CountDownLatch(1)
        def exit = new CompletableFuture<Integer>()
        def running = [
                stdin      : { null },
                stdout     : { new ByteArrayInputStream(new byte[0]) },
                stderr     : { new ByteArrayInputStream(new byte[0]) },
                waitFor    : { exit.get() },
                onExit     : { exit },
                kill       : { killed.await(60, TimeUnit.SECONDS); exit.complete(137) },
                outputText : { '' },
                collectArtifacts: { globs, zip, stopped -> io.stoker.engine.exec.CollectedArtifacts.NONE }
        ] as RunningTask
        def host = new AgentHost({ launch -> running } as Executor, 'spec')
        def conn = new Served(host)
        def frames = conn.attach()
        def ws = new File(dir, 'ws')
        ws.mkdirs()
        conn.client.write(new Frame.Start('t', ['true'], [:], [] as Set, ws.path, false, AgentClient.WINDOW, false, null))
        assert next(frames) { it instanceof Frame.Ack }

        when: 'the server cancels the task and then beats, while the kill is still going on'
        conn.client.write(new Frame.Cancel('t'))
        conn.client.write(new Frame.Heartbeat(9))

        then: 'the heartbeat is answered'
        next(frames) { it instanceof Frame.Heartbeat && it.seq() == 9 }

        when: 'the kill is done'
        killed.countDown()

        then: "the task's exit follows"
        next(frames) { it instanceof Frame.Exit && it.code() == 137 }

        cleanup:
        killed.countDown()
        conn?.toHost?.sink()?.close()
        conn?.fromHost?.source()?.close()
        host?.killAll()
    }

    /** Takes frames until one matches (true), or none did within the deadline (false). */
    private static boolean next(LinkedBlockingQueue<Frame> frames, Closure<Boolean> wanted) {
        long deadline = System.nanoTime() + (long) (20e9 * AgentProgramSpec.FACTOR)
        while (System.nanoTime() < deadline) {
            Frame f = frames.poll(100, TimeUnit.MILLISECONDS)
            if (f != null && wanted(f)) return true
        }
        false
    }

    /** A connection to the host over two pipes, served on a thread of its own; {@code client} is the server's end. */
    static class Served {
        final Pipe toHost = Pipe.open()
        final Pipe fromHost = Pipe.open()
        final FrameCodec client = new FrameCodec(Channels.newInputStream(fromHost.source()), Channels.newOutputStream(toHost.sink()))
        final Thread thread

        /** Says hello as the spec's server and reads every frame the host sends into the queue returned. */
        LinkedBlockingQueue<Frame> attach() {
            def frames = new LinkedBlockingQueue<Frame>()
            client.write(new Frame.Hello(Frame.PROTOCOL, 'spec', [], 'owner'))
            Thread.start {
                try {
                    for (Frame f = client.read(); f != null; f = client.read()) frames.add(f)
                } catch (IOException ignored) {
                    // closed at the end
                }
            }
            frames
        }

        Served(AgentHost host) {
            thread = Thread.start {
                try {
                    host.serve(new FrameCodec(Channels.newInputStream(toHost.source()), Channels.newOutputStream(fromHost.sink())))
                } catch (IOException ignored) {
                    // the spec closes the connection
                }
            }
        }
    }
}

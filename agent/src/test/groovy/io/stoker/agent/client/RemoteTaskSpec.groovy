package io.stoker.agent.client

import io.stoker.agent.protocol.Frame
import io.stoker.agent.protocol.FrameCodec
import io.stoker.agent.protocol.StreamName
import spock.lang.Specification
import spock.lang.Timeout

import java.nio.channels.Channels
import java.nio.channels.Pipe
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

import static io.stoker.agent.program.AgentProgramSpec.FACTOR

/** A remote task's output as the server receives it from an agent, against an agent played by the spec. */
class RemoteTaskSpec extends Specification {

    @Timeout(120)
    def "output beyond the agent's credit waits for the engine's reads instead of stopping them"() {
        given: 'a client attached to an agent, with one task started'
        def toAgent = Pipe.open()
        def fromAgent = Pipe.open()
        def agent = new FrameCodec(Channels.newInputStream(toAgent.source()), Channels.newOutputStream(fromAgent.sink()))
        def client = new AgentClient('spec', 'owner')
        def attached = CompletableFuture.supplyAsync {
            client.attach(new FrameCodec(Channels.newInputStream(fromAgent.source()), Channels.newOutputStream(toAgent.sink())))
        }
        assert agent.read() instanceof Frame.Hello
        agent.write(new Frame.Hello(Frame.PROTOCOL, 'played', []))
        attached.get(20, TimeUnit.SECONDS)
        long window = AgentClient.WINDOW
        def task = client.start(new Frame.Start('t', ['true'], [:], [] as Set, '/nowhere', false, window, false, null))
        assert agent.read() instanceof Frame.Start
        Thread.start { // the client's acknowledgements: read and dropped
            try {
                while (agent.read() != null) { }
            } catch (IOException ignored) {
                // closed at the end
            }
        }

        when: 'the agent sends two windows at once (as one did after a re-attach), then the exit'
        long total = 2 * window
        Thread.start {
            for (long at = 0; at < total; at += 64 * 1024) {
                agent.write(new Frame.Chunk('t', StreamName.STDOUT, at, new byte[64 * 1024]))
            }
            agent.write(new Frame.Exit('t', 0, '', total, 0, null, null))
        }

        and: 'the client is waiting for room to write the second window, before the engine reads anything'
        assert waitingToWrite()

        and: 'the engine then reads the output in small reads, each acknowledged as it goes'
        def read = CompletableFuture.supplyAsync {
            long n = 0
            byte[] buf = new byte[4096]
            for (int r = task.stdout().read(buf); r >= 0; r = task.stdout().read(buf)) n += r
            n
        }

        then: 'every byte arrives and the task ends: the reader waiting for room never holds what a read needs'
        read.get((long) (30 * FACTOR), TimeUnit.SECONDS) == total
        task.exit().get((long) (30 * FACTOR), TimeUnit.SECONDS).code() == 0

        cleanup:
        toAgent?.sink()?.close()
        fromAgent?.source()?.close()
    }

    /** Whether the client's frame reader waits, within the deadline, for room in a task's output buffer. */
    private static boolean waitingToWrite() {
        long deadline = System.nanoTime() + (long) (20e9 * FACTOR)
        while (System.nanoTime() < deadline) {
            def waiting = Thread.allStackTraces.find { thread, stack ->
                thread.name == 'agent-frames' && thread.state == Thread.State.WAITING &&
                        stack.any { it.className == StreamBuffer.name && it.methodName == 'write' }
            }
            if (waiting) return true
            Thread.sleep(10)
        }
        false
    }
}

package io.stoker.agent.program

import io.stoker.agent.protocol.Frame
import io.stoker.agent.protocol.FrameCodec
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.channels.Channels
import java.nio.channels.Pipe

/** When the agent program may stop: the daemon's idle watch asks its host. */
class AgentHostSpec extends Specification {
    @TempDir
    File dir

    def "a connection whose hello is still on its way keeps the program from stopping"() {
        given: 'a host with no task and no connection'
        def host = new AgentHost(dir.toPath().resolve('scratch'), [:], 'spec')
        def toHost = Pipe.open()
        def fromHost = Pipe.open()
        def client = new FrameCodec(Channels.newInputStream(fromHost.source()), Channels.newOutputStream(toHost.sink()))
        def served = Thread.start {
            try {
                host.serve(new FrameCodec(Channels.newInputStream(toHost.source()), Channels.newOutputStream(fromHost.sink())))
            } catch (IOException ignored) {
                // the spec closes the connection
            }
        }

        expect: 'it is not idle once the connection is being served, before any frame came'
        AgentProgramSpec.poll { !host.idleFor(0) }

        when: 'the hello comes and the host answers'
        client.write(new Frame.Hello(Frame.PROTOCOL, 'spec', [], 'owner'))
        def answer = client.read()

        then: 'it stays busy while connected'
        answer instanceof Frame.Hello
        !host.idleFor(0)

        when: 'the connection ends'
        toHost.sink().close()
        served.join((long) (20_000 * AgentProgramSpec.FACTOR))

        then: 'nothing keeps it any more'
        !served.alive
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
}

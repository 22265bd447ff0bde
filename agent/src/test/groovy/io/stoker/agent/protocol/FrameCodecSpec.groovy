package io.stoker.agent.protocol

import spock.lang.Specification

import java.nio.ByteBuffer

class FrameCodecSpec extends Specification {

    static Frame roundTrip(Frame f) {
        def bytes = new ByteArrayOutputStream()
        new FrameCodec(new ByteArrayInputStream(new byte[0]), bytes).write(f)
        new FrameCodec(new ByteArrayInputStream(bytes.toByteArray()), OutputStream.nullOutputStream()).read()
    }

    def "every message of the protocol survives a round trip through the codec"() {
        expect:
        roundTrip(frame) == frame

        where:
        frame << [
                new Frame.Hello(Frame.PROTOCOL, 'stoker-agent abc', ['t1', 't2']),
                new Frame.Start('t1', ['echo hi', '#!/usr/bin/env python3\nprint(1)'], [A: 'b', S: 's3cret'],
                        ['S'] as Set, '/srv/ws', true, 1 << 20, true, null),
                new Frame.Start('t2', ['true'], [:], [] as Set, '/srv/ws', false, 1 << 20, false,
                        new io.stoker.model.Container('debian:12', io.stoker.model.Container.PullPolicy.NEVER, [])),
                new Frame.Start('t3', ['true'], [:], [] as Set, '/srv/ws', false, 1 << 20, false,
                        new io.stoker.model.Container('127.0.0.1:5000/org/app:1', io.stoker.model.Container.PullPolicy.ALWAYS,
                                [new io.stoker.model.Service('db', 'postgres:16', [A: 'b'], ['postgres'], 'pg_isready')], 'BOT'),
                        new io.stoker.engine.image.RegistryCredentials('bot', 'pw:with:colons')),
                new Frame.Ack('t1', StreamName.STDOUT, 4096, 1 << 20),
                new Frame.Close('t1', StreamName.STDIN, 12),
                new Frame.Exit('t1', 3, 'k=v\n', 10, 0, new WorkspaceChanges(
                        [new FileEntry('a/b', 'f' as char, 3, 1_700_000_000_123_456_789L, 0644, null),
                         new FileEntry('l', 'l' as char, 0, 1, 0777, 'a/b')], ['gone']), null),
                new Frame.Exit('t2', 126, '', 0, 0, null, 'cannot start the task: no such directory'),
                new Frame.Cancel('t1'),
                new Frame.Resume('t1', 100, 7),
                new Frame.Unknown('t9'),
                new Frame.Release('t1'),
                new Frame.Heartbeat(42),
                new Frame.Quit('server stopping'),
        ]
    }

    def "a chunk's bytes arrive exactly, whatever they are"() {
        given:
        byte[] data = (0..255).collect { it as byte } as byte[]

        when:
        def back = roundTrip(new Frame.Chunk('t1', StreamName.STDERR, 1234, data)) as Frame.Chunk

        then:
        back.task() == 't1'
        back.stream() == StreamName.STDERR
        back.offset() == 1234
        back.data() == data
    }

    def "frames written from several threads at once each arrive whole"() {
        given:
        def bytes = new ByteArrayOutputStream()
        def codec = new FrameCodec(new ByteArrayInputStream(new byte[0]), bytes)

        when:
        def threads = (1..8).collect { n ->
            Thread.start { 200.times { i -> codec.write(new Frame.Chunk("t$n", StreamName.STDOUT, i, new byte[1000])) } }
        }
        threads*.join()
        def reader = new FrameCodec(new ByteArrayInputStream(bytes.toByteArray()), OutputStream.nullOutputStream())
        def frames = []
        for (def f = reader.read(); f != null; f = reader.read()) frames << f

        then:
        frames.size() == 1600
        frames.groupBy { it.task() }.every { k, v -> v*.offset() == (0..199) }
    }

    def "the stream ending between frames reads as the end, inside a frame as an error"() {
        given:
        def bytes = new ByteArrayOutputStream()
        new FrameCodec(new ByteArrayInputStream(new byte[0]), bytes).write(new Frame.Heartbeat(1))
        byte[] whole = bytes.toByteArray()

        expect:
        new FrameCodec(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream()).read() == null

        when:
        new FrameCodec(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 2)), OutputStream.nullOutputStream()).read()

        then:
        thrown(EOFException)
    }

    def "a frame larger than the limit is refused before it is read"() {
        given:
        byte[] header = ByteBuffer.allocate(4).putInt(FrameCodec.MAX_FRAME + 1).array()

        when:
        new FrameCodec(new ByteArrayInputStream(header), OutputStream.nullOutputStream()).read()

        then:
        def e = thrown(FrameCodec.ProtocolException)
        e.message.contains('at most')
    }

    def "a body that is not a message of the protocol is refused, and never names a class to load"() {
        given:
        byte[] body = json.getBytes('UTF-8')
        byte[] framed = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array()

        when:
        new FrameCodec(new ByteArrayInputStream(framed), OutputStream.nullOutputStream()).read()

        then:
        def e = thrown(FrameCodec.ProtocolException)
        e.message.startsWith('not a frame of this protocol')

        where:
        json << ['{"type":"shell","command":"id"}',
                 '{"type":"java.lang.ProcessBuilder"}',
                 '{"@class":"java.lang.Runtime"}',
                 'not json at all',
                 '{"type":"heartbeat"}']
    }
}

package io.stoker.engine.log

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** A tap sees the bytes a task's log file gets, in order, for the runs it asks for, and the log's end. */
class LogTapSpec extends Specification {
    @TempDir Path tmp

    static class Recording implements LogTap {
        final Map<String, ByteArrayOutputStream> seen = [:].asSynchronized()
        final List<String> closed = [].asSynchronized()

        LogTap.Sink open(String runKey, String task) {
            if (runKey != 'tapped') return null
            def out = seen.computeIfAbsent(task) { new ByteArrayOutputStream() }
            new LogTap.Sink() {
                void lines(byte[] buf, int off, int len) { out.write(buf, off, len) }

                void close() { closed << task }
            }
        }
    }

    def "the tap gets exactly what the file holds, the kept tail of a capped log included"() {
        given: 'a cap of 2 KiB, so the middle of a long output is left out and its tail written at the end'
        def tap = new Recording()
        def store = new FileLogStore(tmp, 2048, tap)

        when:
        def log = store.open('tapped', 'build')
        200.times { log.line(LogStream.OUT, 1_000L * it, "line $it") }
        log.lines(LogStream.ERR, 5_000L, 'no newline'.bytes, 0, 10)
        log.close()
        def other = store.open('other', 'build')
        other.line(LogStream.OUT, 1L, 'not tapped')
        other.close()

        then:
        tap.seen['build'].toByteArray() == store.file('tapped', 'build').toFile().bytes
        new String(tap.seen['build'].toByteArray()).contains('log truncated')
        tap.closed == ['build']
        tap.seen.size() == 1
    }
}

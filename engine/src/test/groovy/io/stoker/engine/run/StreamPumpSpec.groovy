package io.stoker.engine.run

import io.stoker.engine.log.LineWriter
import io.stoker.engine.log.LogStream
import io.stoker.engine.log.SecretMask
import io.stoker.engine.log.TaskLog
import spock.lang.Specification
import spock.lang.Timeout

import java.nio.charset.StandardCharsets
import java.time.Clock
import java.util.concurrent.CopyOnWriteArrayList

/** The pump between a task's output, its log and its pipe readers, when the log cannot be written. */
@Timeout(30)
class StreamPumpSpec extends Specification {

    /** A log on a full disk: every write fails, as the file store's does. */
    static class FullDisk implements TaskLog {
        int tries

        void lines(LogStream stream, long epochMillis, byte[] buf, int off, int len) {
            tries++
            throw new UncheckedIOException(new IOException('No space left on device'))
        }

        String location() { 'full' }

        void close() {}
    }

    static class Reader extends ByteArrayOutputStream {
        boolean closed

        void close() { closed = true }
    }

    def "a log that cannot be written is told once, and the output still reaches every reader to its end"() {
        given: 'about 1 MB of output, far more than a pipe holds: a task whose output is not read blocks on its next write'
        byte[] output = (('x' * 99 + '\n') * 10_000).getBytes(StandardCharsets.UTF_8)
        def task = new ByteArrayInputStream(output)
        def log = new FullDisk()
        def reader = new Reader()
        def errors = new CopyOnWriteArrayList<Exception>()

        when:
        new StreamPump(task, new LineWriter(log, LogStream.OUT, SecretMask.NONE, Clock.systemUTC()), [reader],
                { }, { errors << it; throw new UncheckedIOException(new IOException('the note fails too')) },
                java.time.Duration.ofDays(1)).run()

        then: 'the whole output was read and handed on, the reader saw its end, and the failure was told once'
        task.available() == 0
        reader.toByteArray() == output
        reader.closed
        errors*.message == ['java.io.IOException: No space left on device']
        log.tries == 2 // the chunk, and the one try at the end whether it takes lines again
    }

    /** A log on a disk that is full until {@link #room} is set, as a disk is once a big file is deleted. */
    static class FullForAWhile implements TaskLog {
        volatile boolean room
        final StringBuilder text = new StringBuilder()

        synchronized void lines(LogStream stream, long epochMillis, byte[] buf, int off, int len) {
            if (!room) throw new UncheckedIOException(new IOException('No space left on device'))
            new String(buf, off, len, StandardCharsets.UTF_8).readLines().each { text.append(stream.name()).append(' ').append(it).append('\n') }
        }

        String location() { 'for a while' }

        void close() {}
    }

    def "a log that can be written again takes the output from then on, saying how much it missed"() {
        given:
        def out = new java.io.PipedOutputStream()
        def task = new java.io.PipedInputStream(out, 1 << 16)
        def log = new FullForAWhile()
        def errors = new CopyOnWriteArrayList<Exception>()
        def pump = new Thread(new StreamPump(task, new LineWriter(log, LogStream.OUT, SecretMask.NONE, Clock.systemUTC()),
                [], { }, { errors << it }, java.time.Duration.ZERO))
        pump.start()

        when: 'ten lines while the disk is full, then room, then two more'
        out.write(('lost\n' * 10).getBytes(StandardCharsets.UTF_8))
        out.flush()
        long deadline = System.nanoTime() + 10_000_000_000L
        // the failure told: the lines were read and their write failed (not merely read and not yet written)
        while (errors.isEmpty() && System.nanoTime() < deadline) Thread.sleep(1)
        log.room = true
        out.write('kept 1\nkept 2\n'.getBytes(StandardCharsets.UTF_8))
        out.close()
        pump.join(10_000)

        then:
        errors.size() == 1
        log.text.toString() == 'SYSTEM … 50 bytes of its output were not logged: the log could not be written (is the disk full?)\n' +
                'OUT kept 1\nOUT kept 2\n'
    }

    def "without readers the output is still read to its end"() {
        given:
        def task = new ByteArrayInputStream(('line\n' * 100_000).getBytes(StandardCharsets.UTF_8))

        when:
        new StreamPump(task, new LineWriter(new FullDisk(), LogStream.ERR, SecretMask.NONE, Clock.systemUTC()), [],
                { }, { }).run()

        then:
        task.available() == 0
    }
}

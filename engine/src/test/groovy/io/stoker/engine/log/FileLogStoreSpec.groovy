package io.stoker.engine.log

import spock.lang.Specification
import spock.lang.Timeout
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit


@Timeout(60) // a hang is a failure, not a stuck build
class FileLogStoreSpec extends Specification {

    @TempDir
    Path tmp

    static class Collector implements LogFollower {
        final List<LogLine> lines = new CopyOnWriteArrayList<>()
        final CountDownLatch ended = new CountDownLatch(1)
        /** When set, the first line blocks until the gate opens (at most 20 s; then {@link #gateTimedOut} is set). */
        volatile CountDownLatch gate
        volatile boolean gateTimedOut

        void line(LogLine line) {
            def g = gate
            if (g != null && !g.await(20, TimeUnit.SECONDS)) gateTimedOut = true
            lines << line
        }

        void end() { ended.countDown() }
    }

    def "a follower that starts before the log opens gets every line and then the end"() {
        given:
        def store = new FileLogStore(tmp)
        def c = new Collector()
        def sub = store.follow('r1', 'a', c)

        when:
        def log = store.open('r1', 'a')
        log.line(LogStream.OUT, 0L, 'one')
        log.line(LogStream.ERR, 1L, 'two')
        log.close()

        then:
        c.ended.await(5, TimeUnit.SECONDS)
        c.lines*.text == ['one', 'two']
        c.lines*.stream == [LogStream.OUT, LogStream.ERR]
        c.lines[1].time().toEpochMilli() == 1

        cleanup:
        sub.close()
    }

    def "a follower after the end reads the whole file"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r1', 'a')
        (1..3).each { log.line(LogStream.OUT, 0L, "l$it") }
        log.close()
        def c = new Collector()

        when:
        store.follow('r1', 'a', c)

        then:
        c.ended.await(5, TimeUnit.SECONDS)
        c.lines*.text == ['l1', 'l2', 'l3']
        Files.readString(Path.of(log.location())).startsWith('1970-01-01T00:00:00.000Z out l1\n')
    }

    def "a follow begun as the log before it ends gets the end of a log written in a blink, and so does a later one"() {
        given: "pairs of logs: a task's, then the next task's one line (a skipped task's), written right after it"
        def store = new FileLogStore(tmp)
        int pairs = 300
        def followers = (1..pairs).collect { new Collector() }

        when: 'each second log is followed the moment the first one ends, as a run log follows its tasks in order'
        (1..pairs).each { i ->
            def first = new LogFollower() {
                void line(LogLine l) { }
                void lines(byte[] b, int o, int n) { }
                void end() { store.follow('r1', "b$i", followers[i - 1]) }
            }
            store.follow('r1', "a$i", first)
            def a = store.open('r1', "a$i")
            a.line(LogStream.OUT, 0L, 'work')
            a.close()
            def b = store.open('r1', "b$i")
            b.line(LogStream.SYSTEM, 0L, 'skipped')
            b.close()
        }

        then: 'every follow of a second log ended with its line'
        followers.every { it.ended.await(10, TimeUnit.SECONDS) && it.lines*.text == ['skipped'] }

        and: 'a follower after all of it reads each such log whole and ends'
        (1..pairs).every { i ->
            def late = new Collector()
            store.follow('r1', "b$i", late)
            late.ended.await(10, TimeUnit.SECONDS) && late.lines*.text == ['skipped']
        }
    }

    def "a follower reconnecting from a line number gets only the lines after it"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r1', 'a')
        (1..5).each { log.line(LogStream.OUT, 0L, "l$it") }
        log.close()
        def c = new Collector()

        when:
        store.follow('r1', 'a', 3, c)

        then:
        c.ended.await(5, TimeUnit.SECONDS)
        c.lines*.text == ['l4', 'l5']
    }

    def "a follower is given whole lines as stored, however the file is read, and a reconnect skips across reads"() {
        given: 'lines longer than one read of the file (64 KiB), between short ones'
        def store = new FileLogStore(tmp)
        def log = store.open('r1', 'a')
        def long1 = 'x' * 100_000
        def long2 = 'y' * 200_000
        def texts = ['first', long1, 'middle', long2] + (1..3000).collect { "short $it".toString() }
        texts.each { log.line(LogStream.OUT, 7L, it) }
        log.close()
        def raw = new BlockCollector()
        def resumed = new Collector()

        when:
        store.follow('r1', 'a', raw)
        store.follow('r1', 'a', 3, resumed) // from the line after 'middle'

        then: 'every block ends a line, and together they are the file'
        raw.ended.await(5, TimeUnit.SECONDS)
        raw.blocks.every { it.endsWith('\n') }
        raw.blocks.join('') == Files.readString(store.file('r1', 'a'))
        raw.blocks.size() > 1

        and: 'a follower that only takes parsed lines gets them whole, after the skipped ones'
        resumed.ended.await(5, TimeUnit.SECONDS)
        resumed.lines*.text == texts.drop(3)
        resumed.lines[0].text().length() == 200_000
    }

    static class BlockCollector implements LogFollower {
        final List<String> blocks = new CopyOnWriteArrayList<>()
        final CountDownLatch ended = new CountDownLatch(1)

        void line(LogLine line) { throw new IllegalStateException('a block follower is given blocks') }

        void lines(byte[] buf, int off, int len) { blocks << new String(buf, off, len, StandardCharsets.UTF_8) }

        void end() { ended.countDown() }
    }

    def "a slow follower never slows the writer and still gets every line in order"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r1', 'a')
        def slow = new Collector(gate: new CountDownLatch(1)) // stuck in its first line until the writer is done
        def fast = new Collector()
        store.follow('r1', 'a', slow)
        store.follow('r1', 'a', fast)

        when: 'the writer writes 1000 lines in chunks while the slow follower is stuck'
        (0..<10).each { chunk ->
            def text = (0..<100).collect { "line ${chunk * 100 + it}\n" }.join('').getBytes(StandardCharsets.UTF_8)
            log.lines(LogStream.OUT, System.currentTimeMillis(), text, 0, text.length)
        }
        log.close()
        slow.gate.countDown()

        then: 'the writer finished without waiting for the stuck follower (no wall-clock race: a writer that waited would have held the gate shut)'
        !slow.gateTimedOut
        fast.ended.await(10, TimeUnit.SECONDS)
        slow.ended.await(20, TimeUnit.SECONDS)
        slow.lines.size() == 1000
        slow.lines*.text == (0..<1000).collect { "line $it".toString() }
        fast.lines*.text == slow.lines*.text
    }

    def "a log over its cap keeps its first lines, says what it left out, and keeps its last lines"() {
        given:
        def store = new FileLogStore(tmp, 4096)
        def log = store.open('r1', 'a')

        when:
        (1..1000).each { log.line(LogStream.OUT, 0L, "line $it ".padRight(50, 'x')) }
        log.line(LogStream.SYSTEM, 0L, 'exit code 1')
        log.close()
        def text = Files.readString(Path.of(log.location()))
        def lines = text.readLines()

        then: 'within the cap and a notice line'
        text.length() < 4096 + 300
        lines[0].contains(' out line 1 ')
        lines.count { it.contains(' system log truncated') } == 1
        // it counts the stored log's bytes, as the cap does, and says so (not "bytes of output")
        lines.find { it.contains(' system log truncated') } =~
                /log truncated: this task's log passed its limit of 4096 bytes; \d+ bytes of it in the middle \(lines with their time and stream\) are left out, its last \d+ bytes follow/

        and: 'the last lines, up to the end, are there after the notice'
        lines.last().endsWith(' system exit code 1')
        lines[-2].contains(' out line 1000 ')
        lines.findIndexOf { it.contains('log truncated') } < lines.findIndexOf { it.contains(' out line 1000 ') }
    }

    def "a log over its cap whose writer was killed before the task ended says it was truncated when it is next opened"() {
        given: 'a writer past the cap, its notice and last lines still in memory, killed (never closed)'
        def killed = new FileLogStore(tmp, 4096)
        def log = killed.open('r6', 'a')
        (1..1000).each { log.line(LogStream.OUT, 0L, "line $it ".padRight(50, 'x')) }
        Path file = Path.of(log.location())
        long head = Files.size(file)

        when: 'the next process (the recovery at a restart) opens the log and writes why it stops'
        def recovery = new FileLogStore(tmp, 4096).open('r6', 'a')
        recovery.line(LogStream.SYSTEM, 0L, 'server restarted: the run was interrupted here and is marked failed')
        recovery.close()
        def lines = Files.readAllLines(file)

        then: 'its first lines, one truncation line naming the cap and what is lost, then the closing line'
        lines[0].contains(' out line 1 ')
        lines.count { it.contains(' system log truncated') } == 1
        lines[-2].endsWith(" system log truncated: this task's log passed its limit of 4096 bytes; the server stopped"
                + " before the task ended, so what it wrote after these first $head bytes is lost")
        lines[-1].endsWith(' system server restarted: the run was interrupted here and is marked failed')

        and: 'a later opening adds no second notice'
        def again = new FileLogStore(tmp, 4096).open('r6', 'a')
        again.close()
        Files.readAllLines(file).count { it.contains('log truncated') } == 1
    }

    def "the mark of a log over its cap is down before anyone can see the head full, so a kill at that moment keeps the notice"() {
        given: 'a tap that looks for the mark each time it is given lines (it sees them as a follower does)'
        Path file = new FileLogStore(tmp).file('r8', 'a')
        List<Boolean> markSeen = new CopyOnWriteArrayList<>()
        def store = new FileLogStore(tmp, 4096, { String run, String task ->
            new LogTap.Sink() {
                void lines(byte[] buf, int off, int len) { markSeen << Files.exists(FileLogStore.cutMark(file)) }
                void close() {}
            }
        } as LogTap)
        def log = store.open('r8', 'a')

        when: 'one chunk fills the head and goes past it'
        String chunk = (1..200).collect { "line $it" }.join('\n')
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8)
        log.lines(LogStream.OUT, 0L, bytes, 0, bytes.length)

        then: 'the head was shown once, and the mark was there by then'
        markSeen == [true]

        cleanup:
        log?.close()
    }

    def "a capped log that ended normally gets no second notice when it is opened again"() {
        given:
        def store = new FileLogStore(tmp, 4096)
        def log = store.open('r7', 'a')
        (1..1000).each { log.line(LogStream.OUT, 0L, "line $it ".padRight(50, 'x')) }
        log.close()

        when:
        new FileLogStore(tmp, 4096).open('r7', 'a').close()

        then:
        Files.readAllLines(Path.of(log.location())).count { it.contains('log truncated') } == 1
        store.files('r7')*.fileName*.toString() == ['a.log']
    }

    def "a first chunk larger than the log's head keeps the lines of it that fit, then the notice and the tail"() {
        given: 'a fast writer whose first read holds 20,000 lines (as `seq 1 20000` in one read)'
        def store = new FileLogStore(tmp, 65536)
        def log = store.open('r5', 'a')
        byte[] chunk = (1..20000).collect { "$it" }.join('\n').concat('\n').getBytes(StandardCharsets.UTF_8)

        when:
        log.lines(LogStream.OUT, 0L, chunk, 0, chunk.length)
        log.close()
        def texts = Files.readAllLines(Path.of(log.location())).collect { it.substring(it.indexOf(' ', 25) + 1) }
        int notice = texts.findIndexOf { it.startsWith('log truncated') }

        then: 'the first lines, in order, fill the head'
        notice > 1000
        texts.subList(0, notice) == (1..notice).collect { "$it".toString() }

        and: 'the last lines follow the notice, up to the end'
        texts.last() == '20000'
        def tail = texts.subList(notice + 1, texts.size()).collect { it as int }
        tail == ((tail[0])..20000).toList()
    }

    def "a cap below a KiB is refused"() {
        when:
        new FileLogStore(tmp, 100)

        then:
        thrown(IllegalArgumentException)
    }

    def "a closed subscription gets nothing more"() {
        given:
        def store = new FileLogStore(tmp)
        def closed = new Collector()
        store.follow('r1', 'a', closed).close()
        def open = new Collector()
        store.follow('r1', 'a', open)

        when:
        def log = store.open('r1', 'a')
        log.line(LogStream.OUT, 0L, 'after close')
        log.close()

        then:
        open.ended.await(5, TimeUnit.SECONDS)
        open.lines*.text == ['after close']
        closed.lines.isEmpty()
        closed.ended.count == 1
    }

    def "the line writer cuts bytes into lines, keeps partial lines and masks secrets"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r1', 'a')
        def w = new LineWriter(log, LogStream.OUT, SecretMask.of(['hunter22', 'x']), Clock.systemUTC())

        when:
        ['par', 'tial line\nsecond hun', 'ter22 line\nno newline at end'].each {
            def b = it.getBytes(StandardCharsets.UTF_8)
            w.write(b, 0, b.length)
        }
        w.finish()
        log.close()
        def texts = Files.readAllLines(Path.of(log.location())).collect { it.substring(it.indexOf(' out ') + 5) }

        then:
        texts == ['partial line', 'second **** line', 'no newline at end']
    }

    def "secret masking takes each line of a multi-line secret and ignores very short values"() {
        expect:
        SecretMask.of(['line-one\nline-two', 'ab']).apply('a line-one b line-two ab') == 'a **** b **** ab'
    }

    def "a secret straddling the cut of an over-long line is masked in the piece that carries it"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r2', 'a')
        String secret = 'straddling-secret-value'
        def w = new LineWriter(log, LogStream.OUT, SecretMask.of([secret]), Clock.systemUTC())
        // the secret starts 5 bytes before the point where an endless line is cut
        byte[] text = ('a' * (LineWriter.MAX_LINE - 1 - 5) + secret + 'b' * 100 + '\n').getBytes(StandardCharsets.UTF_8)

        when: 'it arrives in small chunks, never with a newline until the end'
        for (int off = 0; off < text.length; off += 1000) w.write(text, off, Math.min(1000, text.length - off))
        w.finish()
        log.close()
        def pieces = Files.readAllLines(Path.of(log.location())).collect { it.substring(it.indexOf(' out ') + 5) }

        then:
        pieces.size() == 2
        !pieces.any { it.contains('straddl') || it.contains('secret-value') || it.contains('value') && it.contains('ing-') }
        pieces[1] ==~ /a*\*{4}b{100}/
        pieces.join('').replace('****', secret) == new String(text, StandardCharsets.UTF_8).trim()
    }

    def "a secret split across two chunks of a stream is masked, and chunks without one are logged as they came"() {
        given:
        def store = new FileLogStore(tmp)
        def log = store.open('r3', 'a')
        def w = new LineWriter(log, LogStream.OUT, SecretMask.of(['s3cr3t-t0ken']), Clock.systemUTC())
        def lines = (1..2000).collect { "plain line $it" }
        def first = (lines.join('\n') + '\nthe token is s3cr').getBytes(StandardCharsets.UTF_8)
        def second = '3t-t0ken, said the task\nend\n'.getBytes(StandardCharsets.UTF_8)

        when: 'the secret\'s first bytes end one 64 KiB-sized chunk and its rest begins the next'
        w.write(first, 0, first.length)
        w.write(second, 0, second.length)
        w.finish()
        log.close()
        def text = Files.readString(Path.of(log.location()))
        def texts = text.readLines().collect { it.substring(it.indexOf(' out ') + 5) }

        then:
        !text.contains('s3cr') && !text.contains('t0ken')
        texts == lines + ['the token is ****, said the task', 'end']
    }

    def "a log over its cap keeps whole last lines however the output was chunked"() {
        given:
        def store = new FileLogStore(tmp, 4096)
        def log = store.open('r4', 'a')
        def w = new LineWriter(log, LogStream.OUT, SecretMask.NONE, Clock.systemUTC())
        byte[] all = (1..3000).collect { "line $it" }.join('\n').concat('\n').getBytes(StandardCharsets.UTF_8)

        when: 'chunks of 777 bytes cut lines anywhere'
        for (int off = 0; off < all.length; off += 777) w.write(all, off, Math.min(777, all.length - off))
        w.finish()
        log.close()
        def texts = Files.readAllLines(Path.of(log.location())).collect { it.substring(it.indexOf(' ', 25) + 1) }
        int notice = texts.findIndexOf { it.startsWith('log truncated') }

        then: 'every kept line is whole and in order up to the last'
        notice > 0
        texts[0] == 'line 1'
        texts.last() == 'line 3000'
        def tail = texts.subList(notice + 1, texts.size()).collect { it.substring(5) as int }
        tail == ((tail[0])..3000).toList()
    }
}

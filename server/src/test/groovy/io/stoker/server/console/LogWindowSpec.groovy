package io.stoker.server.console

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** A window or a search of a log of long lines stays a few megabytes, and says where the rest is. */
class LogWindowSpec extends Specification {

    @TempDir
    Path tmp

    LogWindow window = new LogWindow()

    /** 200 stored lines of 64 KiB each: 12.8 MB, three times what one answer may carry. */
    Path longLines() {
        Path file = tmp.resolve('task.log')
        String text = 'x' * (64 * 1024 - 40)
        file.withWriter('UTF-8') { w ->
            200.times { w.write("2026-11-27T09:24:59.503Z out $it $text\n") }
        }
        file
    }

    def "a window of long lines stops before the line that would pass the byte limit, and the rest follows on"() {
        given:
        Path file = longLines()

        when: 'all 5,000 lines the API allows are asked for'
        def first = window.read(file, 0, 5000)

        then: 'fewer come back, within the limit, with the total that says there is more'
        first.total() == 200
        first.lines().size() < 200
        first.lines().sum { it.length() + 1 } <= LogWindow.MAX_ANSWER_BYTES

        when: 'the next windows start where each one stopped'
        List<String> all = new ArrayList<>(first.lines())
        int reads = 1
        while (all.size() < 200 && reads < 20) {
            all.addAll(window.read(file, all.size(), 5000).lines())
            reads++
        }

        then: 'every line is read once, in order'
        all.size() == 200
        all.withIndex().every { line, i -> line.split(' ', 4)[2] == "$i" }
    }

    def "a line longer than the limit still makes a window of one line"() {
        given:
        Path file = tmp.resolve('huge.log')
        Files.writeString(file, 'a' * 100 + '\nb\n')

        expect:
        window.read(file, 0, 10, 50).lines() == ['a' * 100]
        window.read(file, 1, 10, 50).lines() == ['b']
    }

    def "a search of long lines stops within the byte limit and says it was truncated"() {
        when:
        def found = window.search(longLines(), 'xxx', 10_000)

        then:
        found.truncated()
        found.matches().size() < 200
        found.matches().sum { it.text().length() } <= LogWindow.MAX_ANSWER_BYTES
        found.matches()*.line() == (0L..<found.matches().size()).toList()
    }
}

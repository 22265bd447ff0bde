package io.stoker.server.logstream

import io.stoker.server.Http
import io.stoker.server.outbox.DeliveryState
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * A run's log streamed to an HTTP receiver as one long-lived chunked POST, over real sockets on 127.0.0.1: a drop in
 * the middle of the body is resumed by a new request from the acknowledged byte offset, so the receiver, keeping
 * what it acknowledged, has the log exactly once; the position survives a restart.
 */
class HttpLogStreamSpec extends Specification {
    @TempDir Path dir
    LogStreamFixture f
    LogReceiver receiver = new LogReceiver()

    def setup() {
        f = new LogStreamFixture(dir)
    }

    def cleanup() {
        f.close()
        receiver.close()
    }

    def "a receiver that drops the connection mid-stream and then accepts gets every line exactly once"() {
        given: 'the receiver drops the first request after 300 bytes of its body'
        receiver.dropAfter = 300
        f.start()
        f.streams.subscribe('run-1', [LogTarget.parse(receiver.url())])

        when: 'a task writes lines while the stream is open'
        def build = f.logs.open('run-1', 'build')
        f.write(build, 10)
        Http.eventually { receiver.requests.any { it.dropped } }

        and: 'more lines come after the drop, from two tasks, and the run ends'
        f.write(build, 10)
        build.close()
        def test = f.logs.open('run-1', 'test')
        f.write(test, 15)
        test.close()
        f.end('run-1')

        then: 'the stream is delivered'
        Http.eventually { f.row('run-1').state() == DeliveryState.DELIVERED }

        and: 'what the receiver acknowledged is the combined log, byte for byte: no line twice, none lost'
        String log = f.combinedText('run-1')
        receiver.acknowledged == log
        log.readLines().size() == 35
        log.readLines().collect { it.replaceAll(/^\[(\w+)\] \S+ out /, '$1: ') } ==
                (1..20).collect { "build: line $it of the build".toString() } + (21..35).collect { "test: line $it of the build".toString() }

        and: 'the dropped request started at 0 and the next one at the offset acknowledged before it'
        receiver.requests[0].dropped && receiver.requests[0].offset == 0
        def answered = receiver.answered
        answered[0].offset == 0
        answered.every { it.headers['x-stoker-run'] == 'run-1' && it.headers['content-type'].startsWith('text/plain') }
        answered.every { it.headers['transfer-encoding'] == 'chunked' }
        (1..<answered.size()).every { answered[it].offset == answered[it - 1].offset + answered[it - 1].body.size() }
        answered[-1].headers['x-stoker-log-complete'] == 'true'
        f.row('run-1').acked() == log.bytes.length
    }

    def "the acknowledged position survives a restart and the stream resumes from it"() {
        given: 'requests end every 200 ms, so positions are acknowledged while the run goes on'
        def settings = LogStreamFixture.settings([STOKER_LOG_STREAM_MAX_REQUEST: '200ms'])
        f.start(settings)
        f.streams.subscribe('run-2', [LogTarget.parse(receiver.url())])
        def build = f.logs.open('run-2', 'build')
        f.write(build, 10)
        Http.eventually { f.row('run-2').acked() > 0 }

        when: 'the streams stop (the server stops), more lines are written, then a new process starts'
        f.streams.close()
        long acked = f.row('run-2').acked()
        f.write(build, 10)
        build.close()
        f.ended << 'run-2'
        f.start(settings)

        then: 'it resumes from the stored offset and ends with the whole log'
        Http.eventually { f.row('run-2').state() == DeliveryState.DELIVERED }
        receiver.acknowledged == f.combinedText('run-2')
        receiver.answered.any { it.offset == acked && acked > 0 }
        f.combinedText('run-2').readLines().size() == 20
    }

    def "a run that ends while a stopped server's stream of it is being resumed still completes that stream"() {
        given: 'a stream a stopped server left pending, its run\'s task log written and closed'
        f.start()
        f.streams.subscribe('run-5', [LogTarget.parse(receiver.url())])
        def build = f.logs.open('run-5', 'build')
        f.write(build, 5)
        build.close()
        f.streams.close()

        when: 'a new process resumes it, and the run\'s end is told just after the store answered "not ended"'
        f.endWhenAsked << 'run-5'
        f.start()

        then: 'the stream still learns the end: it is delivered, the whole log acknowledged'
        Http.eventually(30_000) { f.row('run-5').state() == DeliveryState.DELIVERED }
        receiver.acknowledged == f.combinedText('run-5')
        f.combinedText('run-5').readLines().size() == 5
    }

    /** A run of three lines streamed to the receiver, ended. */
    private void streamThreeLines(String run) {
        f.streams.subscribe(run, [LogTarget.parse(receiver.url())])
        def build = f.logs.open(run, 'build')
        f.write(build, 3)
        build.close()
        f.end(run)
    }

    def "a receiver that keeps failing past the window is given up; a 4xx is not retried"() {
        given:
        receiver.answer = status
        f.start(LogStreamFixture.settings([STOKER_OUTBOX_WINDOW: '300ms']))
        streamThreeLines('run-3')

        expect:
        Http.eventually { f.row('run-3').state() == state }
        f.row('run-3').lastError()

        where:
        status | state
        503    | DeliveryState.EXPIRED
        404    | DeliveryState.FAILED
    }

    def "a receiver that answers with a redirect is refused at once, its error naming where it moved"() {
        given: 'the receiver says it moved to https, as a proxy in front of it would'
        receiver.answer = 301
        receiver.answerHeaders = 'Location: https://logs.example/in\r\n'
        f.start()
        streamThreeLines('run-6')

        expect: 'not retried for the whole window, and the error says what to change'
        Http.eventually { f.row('run-6').state() == DeliveryState.FAILED }
        f.row('run-6').lastError() ==
                'HTTP 301: the receiver redirects to https://logs.example/in, which is not followed: give that URL instead'
    }

    def "a run that never wrote a line still tells its receiver the log is complete and empty"() {
        given:
        f.start()
        f.streams.subscribe('run-4', [LogTarget.parse(receiver.url())])

        when:
        f.end('run-4')

        then:
        Http.eventually { f.row('run-4').state() == DeliveryState.DELIVERED }
        receiver.answered[-1].headers['x-stoker-log-complete'] == 'true'
        receiver.answered.every { it.body.size() == 0 && it.offset == 0 }
    }
}

package io.stoker.server.logstream.kafka

import io.stoker.server.Http
import io.stoker.server.logstream.LogStreamFixture
import io.stoker.server.logstream.LogTarget
import io.stoker.server.outbox.DeliveryState
import org.apache.kafka.clients.consumer.ConsumerRecord
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Run logs as records on real KRaft brokers (child JVMs started by the spec): key = run key, one record per batch
 * of lines with the batch's byte offset in a header, in order per run; {@code failover(…)} moves to the second
 * broker when the first is stopped, from the last acknowledged offset.
 */
class KafkaLogStreamSpec extends Specification {
    @Shared @TempDir Path brokersDir
    @Shared KafkaBroker first
    @Shared KafkaBroker second
    @TempDir Path dir
    LogStreamFixture f

    def setupSpec() {
        // both start at once: each costs two JVM starts
        first = new KafkaBroker(brokersDir.resolve('a')).start()
        second = new KafkaBroker(brokersDir.resolve('b')).start()
        first.awaitUp()
        second.awaitUp()
    }

    def cleanupSpec() {
        first?.close()
        second?.close()
    }

    def setup() {
        f = new LogStreamFixture(dir)
        def settings = LogStreamFixture.settings([STOKER_OUTBOX_TIMEOUT: '2s'])
        f.start(settings, [new KafkaLogShipper(settings.outbox().timeout())])
    }

    def cleanup() {
        f.close()
    }

    static long offset(ConsumerRecord r) { new String(r.headers().lastHeader('x-stoker-log-offset').value()) as long }

    static String text(List<ConsumerRecord<String, byte[]>> records) {
        records.collect { new String(it.value(), 'UTF-8') }.join('')
    }

    def "two runs' logs arrive on the topic in order per run, keyed by run, ending with a complete record"() {
        given:
        String target = "kafka://${first.address}/stoker-logs"
        f.streams.subscribe('run-a', [LogTarget.parse(target)])
        f.streams.subscribe('run-b', [LogTarget.parse(target)])

        when: 'both runs write in turns, then end'
        def a = f.logs.open('run-a', 'build')
        def b = f.logs.open('run-b', 'build')
        5.times { f.write(a, 4); f.write(b, 3) }
        a.close(); b.close()
        f.end('run-a'); f.end('run-b')
        Http.eventually(60_000) { ['run-a', 'run-b'].every { f.row(it).state() == DeliveryState.DELIVERED } }

        then: 'each run has its records in order; their values are its combined log exactly'
        def records = first.records('stoker-logs') { got -> got.count { it.headers().lastHeader('x-stoker-log-complete') } >= 2 }
        ['run-a', 'run-b'].every { run ->
            def mine = records.findAll { it.key() == run }
            def offsets = mine.collect { offset(it) }
            offsets[0] == 0 && offsets == offsets.sort(false) &&
                    text(mine) == f.combinedText(run) &&
                    mine[-1].headers().lastHeader('x-stoker-log-complete') != null &&
                    mine.every { new String(it.headers().lastHeader('x-stoker-run').value()) == run }
        }
        f.combinedText('run-a').readLines().size() == 20
    }

    def "failover: when the first broker stops, the records go on at the second from the acknowledged offset"() {
        given:
        f.streams.subscribe('run-f', [LogTarget.parse("failover(kafka://${first.address}/failover-logs, kafka://${second.address}/failover-logs)")])
        def build = f.logs.open('run-f', 'build')

        when: 'some lines reach the first broker'
        f.write(build, 10)
        Http.eventually(60_000) { f.row('run-f').acked() > 0 && f.row('run-f').acked() == f.combinedText('run-f').bytes.length }
        def before = first.records('failover-logs') { got -> text(got.findAll { it.key() == 'run-f' }) == f.combinedText('run-f') }

        and: 'the first broker is stopped, then more lines come and the run ends'
        first.stop()
        f.write(build, 10)
        build.close()
        f.end('run-f')

        then: 'the stream is delivered through the second broker'
        Http.eventually(90_000) { f.row('run-f').state() == DeliveryState.DELIVERED }
        def after = second.records('failover-logs') { got -> got.any { it.headers().lastHeader('x-stoker-log-complete') } }
                .findAll { it.key() == 'run-f' }
        after.size() > 0
        offset(after[0]) == before.collect { offset(it) + it.value().length }.max()

        and: 'the first broker has the start, the second the rest: together the whole log, in order, nothing twice'
        text(before.findAll { it.key() == 'run-f' }) + text(after) == f.combinedText('run-f')
        f.combinedText('run-f').readLines().size() == 20
    }
}

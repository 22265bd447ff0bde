package io.stoker.store.postgres

import spock.lang.Requires
import spock.lang.Specification

import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** A notification channel on the real test PostgreSQL, its LISTEN connection cut as a network cut would. */
@Requires({ TestPostgres.available() })
class PgChannelSpec extends Specification {
    TestPostgres pg = TestPostgres.create()
    PgChannel channel

    def cleanup() {
        channel?.close()
        pg.close()
    }

    /** Waits (at most 20 s) until {@code condition} holds. */
    static boolean eventually(Closure<Boolean> condition) {
        long end = System.nanoTime() + 20_000_000_000L
        while (!condition()) {
            if (System.nanoTime() > end) return false
            Thread.sleep(50)
        }
        true
    }

    def "a channel whose LISTEN connection was cut listens again, says so, and hears what is sent from then on"() {
        given:
        def heard = new CopyOnWriteArrayList<String>()
        def again = new AtomicInteger()
        channel = PgChannel.open(PostgresUrl.parse(pg.dbUrl()), 'test_chan', { String p -> heard.add(p) }, { again.incrementAndGet() })
        channel.send('before')

        expect: 'the first LISTEN is not a return'
        eventually { heard == ['before'] }
        again.get() == 0

        when:
        int cut = pg.terminate('LISTEN test_chan')

        then:
        cut == 1
        eventually { again.get() == 1 }

        when:
        channel.send('after')

        then:
        eventually { heard.contains('after') }
    }
}

package io.stoker.agent.client

import spock.lang.Specification

import java.time.Duration

/** How a task's log says how long an agent may stay away, or was away. */
class LinkOutageSpec extends Specification {

    def "durations read as seconds, with tenths only where there are any"() {
        expect:
        LinkOutage.seconds(Duration.ofMillis(millis)) == text

        where:
        millis  || text
        45_000  || '45s'
        3_200   || '3.2s'
        3_249   || '3.2s'
        40      || '0s'
        500     || '0.5s'
        120_000 || '120s'
    }
}

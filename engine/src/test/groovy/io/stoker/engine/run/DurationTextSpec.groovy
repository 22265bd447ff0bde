package io.stoker.engine.run

import spock.lang.Specification

import java.time.Duration

/** One duration format for logs, reasons and the CLI. */
class DurationTextSpec extends Specification {

    def "#millis ms reads #text"() {
        expect:
        DurationText.of(millis) == text
        DurationText.of(Duration.ofMillis(millis)) == text

        where:
        millis    | text
        0         | '0ms'
        200       | '200ms'
        1_000     | '1.0s'
        1_234     | '1.2s'
        59_949    | '59.9s'
        59_999    | '59.9s'
        60_000    | '1m0s'
        123_000   | '2m3s'
        3_599_999 | '59m59s'
        3_600_000 | '1h0m0s'
        7_384_000 | '2h3m4s'
    }
}

package io.stoker.server.forge

import spock.lang.Specification

import java.time.Duration

/** The schedule a commit status whose token cannot be read is tried on, as data. */
class TokenRetrySpec extends Specification {

    def "by default a status waits 5 s doubling to 5 min between tries, and is given up after an hour of waits"() {
        given:
        def retry = TokenRetry.DEFAULTS
        List<Duration> waits = []
        Duration waited = Duration.ZERO

        when: 'every try fails'
        for (int failures = 1; ; failures++) {
            def next = retry.next(failures, waited)
            if (next.empty) break
            waits << next.get()
            waited += next.get()
        }

        then:
        waits.take(7)*.toSeconds() == [5, 10, 20, 40, 80, 160, 300]
        waits.drop(6).every { it == Duration.ofMinutes(5) }
        waited >= Duration.ofHours(1)
        waited < Duration.ofHours(1).plusMinutes(5)
    }

    def "the environment shortens it"() {
        expect:
        TokenRetry.fromEnv([STOKER_COMMIT_STATUS_BACKOFF: '50ms', STOKER_COMMIT_STATUS_MAX_BACKOFF: '200ms',
                            STOKER_COMMIT_STATUS_WINDOW: '10s']) ==
                new TokenRetry(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(10))
        TokenRetry.fromEnv([:]) == TokenRetry.DEFAULTS
    }
}

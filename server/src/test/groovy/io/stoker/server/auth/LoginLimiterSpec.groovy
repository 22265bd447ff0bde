package io.stoker.server.auth

import spock.lang.Specification

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * One limiter's count: failures in the window plus the checks still in flight, so parallel guesses cannot all pass
 * the check before any is counted.
 */
class LoginLimiterSpec extends Specification {
    def limiter = new LoginLimiter(5, Duration.ofMinutes(15), Clock.fixed(Instant.parse('2026-11-29T10:00:00Z'), ZoneOffset.UTC))

    def "5 checks in flight fill the limit: a 6th waits, though no failure was counted yet"() {
        expect:
        (1..5).every { limiter.begin('k').isEmpty() }
        limiter.begin('k').isPresent()
        limiter.begin('other').isEmpty()
    }

    def "a check that ends without a failure frees its place; one that failed keeps it as a failure"() {
        given:
        (1..5).each { limiter.begin('k') }

        when: 'one check failed and ended'
        limiter.failed('k')
        limiter.end('k')

        then: '1 failure and 4 in flight still fill the limit'
        limiter.begin('k').isPresent()

        when: 'one check ends with the right password'
        limiter.end('k')

        then:
        limiter.begin('k').isEmpty()
    }
}

package io.stoker.server.outbox

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import org.slf4j.LoggerFactory
import spock.lang.Specification

import java.time.Duration
import java.time.Instant

/** A failure a timer meets on every tick is logged once, then at most once a minute, and once when it ends. */
class RepeatedFailureSpec extends Specification {
    Logger logger = (Logger) LoggerFactory.getLogger('io.stoker.spec.RepeatedFailure')
    ListAppender<ILoggingEvent> logged = new ListAppender<>()
    RepeatedFailure failure = new RepeatedFailure(logger, 'outbox: looking for due deliveries')
    Instant t0 = Instant.parse('2026-11-27T12:00:00Z')

    def setup() {
        logged.start()
        logger.level = Level.INFO // the recovery is an INFO line; the test configuration may log only warnings
        logger.addAppender(logged)
    }

    def cleanup() {
        logger.detachAppender(logged)
        logger.level = null
    }

    def "two minutes of failures every 500 ms are three lines, and the recovery one more"() {
        when:
        (0..<240).each { failure.failed(t0 + Duration.ofMillis(500 * it), new IllegalStateException('gone')) }
        failure.succeeded(t0 + Duration.ofMinutes(2))

        then:
        logged.list*.formattedMessage == [
                'outbox: looking for due deliveries failed; tried again on every tick, said again at most once a minute while it fails: java.lang.IllegalStateException: gone',
                'outbox: looking for due deliveries still fails (121 times since 2026-11-27T12:00:00Z): java.lang.IllegalStateException: gone',
                'outbox: looking for due deliveries works again, after 240 failed tries since 2026-11-27T12:00:00Z']
        logged.list*.level*.toString() == ['WARN', 'WARN', 'INFO']
    }

    def "success without a failure says nothing, and a new failure after a recovery is said at once"() {
        when:
        failure.succeeded(t0)
        failure.failed(t0, new IllegalStateException('a'))
        failure.succeeded(t0 + Duration.ofSeconds(1))
        failure.failed(t0 + Duration.ofSeconds(2), new IllegalStateException('b'))

        then:
        logged.list.size() == 3
        logged.list[2].formattedMessage.endsWith(': java.lang.IllegalStateException: b')
    }
}

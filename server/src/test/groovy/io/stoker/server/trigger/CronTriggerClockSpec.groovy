package io.stoker.server.trigger

import io.stoker.dsl.cron.CronSchedule
import io.vertx.core.Vertx
import spock.lang.AutoCleanup
import spock.lang.Specification

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZonedDateTime
import java.time.temporal.ChronoUnit
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

class CronTriggerClockSpec extends Specification {

    static Instant at(String utc) { Instant.parse(utc + 'Z') }

    MutableClock clock = new MutableClock(at('2026-05-04T09:59:30'))
    TriggerClock triggers = new TriggerClock(clock)

    @AutoCleanup('close')
    Vertx vertx

    def setup() {
        triggers.register('cron:a', [CronSchedule.parse('*/15 * * * *', 'a')])
        triggers.register('cron:b', [CronSchedule.parse('0 * * * *', 'b')])
    }

    def "dueSince lists each key once with its first firing time in (last, now]"() {
        expect:
        keysAndTimes(triggers.dueSince(at(last), at(now))) == expected

        where:
        last                  | now                   | expected
        '2026-05-04T10:07:00' | '2026-05-04T10:14:59' | []
        '2026-05-04T10:07:00' | '2026-05-04T10:15:00' | ['cron:a@10:15']
        '2026-05-04T10:15:00' | '2026-05-04T10:20:00' | []
        '2026-05-04T10:07:00' | '2026-05-04T11:00:00' | ['cron:a@10:15', 'cron:b@11:00']
        '2026-05-04T09:00:00' | '2026-05-04T12:00:00' | ['cron:a@09:15', 'cron:b@10:00']
        '2026-05-04T10:59:59' | '2026-05-04T11:00:00' | ['cron:a@11:00', 'cron:b@11:00']
        '2026-05-04T11:00:00' | '2026-05-04T10:00:00' | []
    }

    def "tick fires what became due since the previous tick, once, and nothing when the clock goes back"() {
        expect:
        triggers.tick() == []

        when:
        clock.set(at('2026-05-04T10:00:00'))

        then:
        keysAndTimes(triggers.tick()) == ['cron:a@10:00', 'cron:b@10:00']
        triggers.tick() == []
        triggers.lastTick() == at('2026-05-04T10:00:00')

        when:
        clock.set(at('2026-05-04T09:00:00'))

        then:
        triggers.tick() == []
        triggers.lastTick() == at('2026-05-04T10:00:00')

        when:
        clock.set(at('2026-05-04T10:15:00'))

        then:
        keysAndTimes(triggers.tick()) == ['cron:a@10:15']
    }

    def "a key with several schedules fires at the earliest due one; unregistered keys stop firing"() {
        given:
        triggers.register('cron:c', [CronSchedule.parse('50 9 * * *', 'c'), CronSchedule.parse('5 10 * * *', 'c')])

        expect:
        keysAndTimes(triggers.dueSince(at('2026-05-04T09:00:00'), at('2026-05-04T10:10:00'))).contains('cron:c@09:50')

        when:
        triggers.unregister('cron:a')
        triggers.register('cron:c', [])

        then:
        triggers.keys() == ['cron:b'] as Set
    }

    def "a clock resumed from a persisted last tick catches up once"() {
        given:
        def resumed = new TriggerClock(clock, at('2026-05-04T07:30:00'))
        resumed.register('cron:b', [CronSchedule.parse('0 * * * *', 'b')])

        expect:
        keysAndTimes(resumed.tick()) == ['cron:b@08:00']
        resumed.tick() == []
    }

    def "schedules are read in the clock's zone"() {
        given:
        def paris = new TriggerClock(new MutableClock(at('2026-05-04T00:00:00'), ZoneId.of('Europe/Paris')))
        paris.register('cron:noon', [CronSchedule.parse('0 12 * * *', 'n')])

        expect: 'noon in Paris in May is 10:00 UTC'
        paris.dueSince(at('2026-05-04T09:00:00'), at('2026-05-04T10:00:00'))*.scheduledAt()*.toInstant() == [at('2026-05-04T10:00:00')]
    }

    def "started on Vert.x it fires at the next minute boundary, and a failing callback does not stop the others"() {
        given: 'a clock running 150 ms before a minute boundary'
        vertx = Vertx.vertx()
        def real = Instant.now()
        def target = real.truncatedTo(ChronoUnit.MINUTES).plus(5, ChronoUnit.MINUTES).minusMillis(150)
        def clock = Clock.offset(Clock.systemUTC(), Duration.between(real, target))
        // since = target: the boundary stays in the first window however slow this machine is before start()
        def live = new TriggerClock(clock, target)
        live.register('a-fails', [CronSchedule.parse('* * * * *', 'x')])
        live.register('b-works', [CronSchedule.parse('* * * * *', 'y')])
        def fired = new LinkedBlockingQueue<TriggerClock.Firing>()

        when:
        live.start(vertx) { TriggerClock.Firing f ->
            if (f.key() == 'a-fails') {
                throw new IllegalStateException('boom')
            }
            fired.add(f)
        }
        def firing = fired.poll(10 * io.stoker.server.Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)


        then:
        firing != null
        firing.key() == 'b-works'
        firing.scheduledAt().toInstant() == target.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)

        cleanup:
        live?.stop()
    }

    private static List<String> keysAndTimes(List<TriggerClock.Firing> firings) {
        firings.collect { "${it.key()}@${it.scheduledAt().toLocalTime()}".toString() }
    }
}

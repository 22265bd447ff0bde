package io.stoker.server.db

import spock.lang.Specification

import java.sql.SQLException

/** The store's health as /healthz reads it: a flag set by the failing path, cleared by a write that goes through. */
class StoreHealthSpec extends Specification {
    long now = 0
    int probes = 0
    boolean writable = false
    StoreHealth health = new StoreHealth({ ->
        probes++
        if (!writable) throw new SQLException('still full')
    }, { -> now })

    def "a healthy store is never asked: the check costs no database round trip"() {
        expect:
        (1..1000).every { health.problem().isEmpty() }
        probes == 0
    }

    def "after a failure it says why, tries a write at most once a second, and is ok once one goes through"() {
        when:
        health.failed('the database cannot be written: no space left on device')

        then: 'said at once, without a probe'
        health.problem().get() == 'the database cannot be written: no space left on device'
        probes == 0

        when: 'polled often within the second, then after it'
        (1..100).each { health.problem() }
        now += 999_000_000
        health.problem()

        then:
        probes == 0

        when:
        now += 1_000_000
        def stillFull = health.problem()

        then:
        stillFull.isPresent()
        probes == 1

        when: 'the disk has room again'
        writable = true
        now += StoreHealth.PROBE_EVERY.toNanos()

        then:
        health.problem().isEmpty()
        probes == 2
        health.problem().isEmpty()
        probes == 2
    }
}

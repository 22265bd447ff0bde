package io.stoker.server.forge

import io.stoker.server.db.Database
import io.stoker.server.trigger.MutableClock
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/** Delivery ids in a real H2 file: a repeat is a replay, per host; ids older than the retention are pruned. */
class SeenDeliveriesSpec extends Specification {
    @Shared @TempDir Path dir
    @Shared @AutoCleanup Database db
    MutableClock clock = new MutableClock(Instant.parse('2026-03-01T10:00:00Z'))

    def setupSpec() {
        db = Database.open(dir)
    }

    def "an id is new once per host; a repeat is a replay"() {
        given:
        def seen = new SeenDeliveries(db, clock, Duration.ofDays(7))

        expect:
        seen.firstSeen(GitHost.GITHUB, 'a-1')
        !seen.firstSeen(GitHost.GITHUB, 'a-1')
        seen.firstSeen(GitHost.GITEA, 'a-1')

        when: 'a delivery that started nothing is forgotten'
        seen.forget(GitHost.GITHUB, 'a-1')

        then:
        seen.firstSeen(GitHost.GITHUB, 'a-1')
    }

    def "a delivery an earlier release recorded under its plain id is a replay for a project's own hook after the upgrade"() {
        given: 'a plain id an earlier release recorded (V96 marks the rows that were there before ids were scoped)'
        def seen = new SeenDeliveries(db, clock, Duration.ofDays(7))
        assert seen.firstSeen(GitHost.GITHUB, 'up-1')
        db.connection().withCloseable { c ->
            c.createStatement().withCloseable { it.executeUpdate("UPDATE webhook_deliveries SET before_scopes = TRUE WHERE delivery_id = 'up-1'") }
        }

        expect: "the same delivery sent again, verified by a project's own secret (a scoped key), is refused"
        !(seen.record(GitHost.GITHUB, 'up-1@0123abcd', 'up-1', null) instanceof SeenDeliveries.Seen.First)

        and: 'a plain id recorded since (the server secret\'s hook) leaves the project\'s own hook its own delivery'
        seen.firstSeen(GitHost.GITHUB, 'now-1')
        seen.record(GitHost.GITHUB, 'now-1@0123abcd', 'now-1', null) instanceof SeenDeliveries.Seen.First
        seen.record(GitHost.GITHUB, 'now-1@0123abcd', 'now-1', null) instanceof SeenDeliveries.Seen.SameId
    }

    def "ids older than the retention are pruned as new ones arrive, so the table stays bounded"() {
        given:
        def seen = new SeenDeliveries(db, clock, Duration.ofHours(1))
        seen.prune()
        (1..50).each { assert seen.firstSeen(GitHost.GITLAB, "old-$it") }

        when: 'within the retention'
        clock.advance(Duration.ofMinutes(59))

        then:
        !seen.firstSeen(GitHost.GITLAB, 'old-1')

        when: 'past it: the next delivery prunes them'
        clock.advance(Duration.ofMinutes(2))
        seen.firstSeen(GitHost.GITLAB, 'new-1')

        then:
        seen.count() == 1 // every older row went (also the other features'), the new one stays
        seen.firstSeen(GitHost.GITLAB, 'old-1') // no longer recognised: the documented limit of the retention
    }

    def "two copies of one delivery sent at once: exactly one is first"() {
        given:
        def seen = new SeenDeliveries(db, clock, Duration.ofDays(1))
        def pool = Executors.newFixedThreadPool(8)

        when:
        def results = pool.invokeAll((1..8).collect { { -> seen.firstSeen(GitHost.GITHUB, 'race') } as Callable<Boolean> })*.get()

        then:
        results.count { it } == 1

        cleanup:
        pool.shutdownNow()
    }
}

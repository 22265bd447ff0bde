package io.stoker.engine.cache

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/** The file store's layout rules: one zip per key and scope, fallback to the default branch, a size cap by last use. */
class FileCacheStoreSpec extends Specification {

    @TempDir
    Path dir

    MutableClock clock = new MutableClock()

    static class MutableClock extends Clock {
        Instant now = Instant.parse('2026-11-28T10:00:00Z')

        ZoneOffset getZone() { ZoneOffset.UTC }

        Clock withZone(java.time.ZoneId zone) { this }

        Instant instant() { now }
    }

    Path archive(CacheStore store, int bytes) {
        Path p = store.newArchive()
        Files.write(p, new byte[bytes])
        p
    }

    def "a key is kept once per scope: a second save keeps the first"() {
        given:
        def store = FileCacheStore.server(dir, 1000, p -> Optional.of('main'), clock)
        def main = CacheScope.branch('web', 'main')

        expect:
        store.save(main, 'deps-1', archive(store, 10))
        !store.save(main, 'deps-1', archive(store, 20))
        Files.size(store.restore(main, 'deps-1').get()) == 10
        store.list('web')*.bytes() == [10L]
        Files.list(dir.resolve('.staging')).count() == 0
    }

    def "the least recently used caches go once a project holds more than its limit; other projects keep theirs"() {
        given:
        def store = FileCacheStore.server(dir, 100, p -> Optional.of('main'), clock)
        def main = CacheScope.branch('web', 'main')
        store.save(main, 'a', archive(store, 40))
        clock.now += java.time.Duration.ofMinutes(1)
        store.save(main, 'b', archive(store, 40))
        store.save(CacheScope.branch('api', 'main'), 'a', archive(store, 90))
        clock.now += java.time.Duration.ofMinutes(1)
        store.restore(main, 'a')                          // a is used again: b is now the oldest

        when:
        clock.now += java.time.Duration.ofMinutes(1)
        store.save(main, 'c', archive(store, 40))

        then:
        store.list('web')*.key() == ['c', 'a']
        store.list('api')*.key() == ['a']
        store.list('web')*.lastUsed() == [clock.now, clock.now - java.time.Duration.ofMinutes(1)]
    }

    def "names that look alike or like paths stay apart and inside the store"() {
        given:
        def store = FileCacheStore.server(dir, 1000, p -> Optional.empty(), clock)

        when:
        store.save(CacheScope.branch('web', 'a/b'), 'k', archive(store, 1))
        store.save(CacheScope.branch('web', 'a_b'), 'k', archive(store, 2))
        store.save(CacheScope.branch('..', '..'), '..', archive(store, 3))

        then:
        store.restore(CacheScope.branch('web', 'a/b'), 'k').map { Files.size(it) } == Optional.of(1L)
        store.restore(CacheScope.branch('web', 'a_b'), 'k').map { Files.size(it) } == Optional.of(2L)
        store.list('..')*.scope() == ['branch ..']
        store.list('..')*.key() == ['..']
        Files.walk(dir).allMatch { it.normalize().startsWith(dir) }
    }

    def "dropping a project's caches leaves the others"() {
        given:
        def store = FileCacheStore.server(dir, 1000, p -> Optional.of('main'), clock)
        store.save(CacheScope.branch('web', 'main'), 'a', archive(store, 1))
        store.save(new CacheScope('web', 'x', 3L), 'a', archive(store, 1))
        store.save(CacheScope.branch('api', 'main'), 'a', archive(store, 1))

        expect:
        store.drop('web') == 2
        store.list('web') == []
        store.list('api').size() == 1
        store.drop('none') == 0
    }

    def "dropping one key drops it in every scope of the project, and no other key nor project's"() {
        given:
        def store = FileCacheStore.server(dir, 1000, p -> Optional.of('main'), clock)
        store.save(CacheScope.branch('web', 'main'), 'deps-1', archive(store, 1))
        store.save(new CacheScope('web', 'x', 3L), 'deps-1', archive(store, 1))
        store.save(CacheScope.branch('web', 'main'), 'deps-2', archive(store, 1))
        store.save(CacheScope.branch('api', 'main'), 'deps-1', archive(store, 1))

        expect:
        store.drop('web', 'deps-1') == 2
        store.list('web')*.key() == ['deps-2']
        store.list('api')*.key() == ['deps-1']
        store.drop('web', 'deps-1') == 0
    }

    def "a server's store drops the half-written zips a day old when it opens, not another server's fresh one"() {
        given:
        def staging = Files.createDirectories(dir.resolve('.staging'))
        def stale = Files.write(staging.resolve('cache-1.zip'), new byte[1])
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(clock.now - java.time.Duration.ofDays(2)))
        def fresh = Files.write(staging.resolve('cache-2.zip'), new byte[1])
        Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(clock.now))

        when:
        FileCacheStore.server(dir, 1000, p -> Optional.empty(), clock)

        then:
        !Files.exists(stale)
        Files.exists(fresh)
    }

    def "a local store has one scope for every branch"() {
        given:
        def store = FileCacheStore.local(dir, 1000, clock)
        store.save(new CacheScope(null, 'main', null), 'a', archive(store, 1))

        expect:
        store.restore(new CacheScope(null, 'feature', null), 'a').isPresent()
        store.restore(new CacheScope(null, null, null), 'a').isPresent()
    }
}

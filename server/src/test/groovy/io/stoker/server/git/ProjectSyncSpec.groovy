package io.stoker.server.git

import spock.lang.Specification
import spock.lang.Timeout

import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** A burst of syncs of one project: those that pile up behind a running fetch share the next one. */
@Timeout(60)
class ProjectSyncSpec extends Specification {
    static final GitCredentials NONE = null

    ProjectSync sync = new ProjectSync()
    /** A thread per caller, as each request has its own: the common pool may have fewer threads than callers. */
    ExecutorService callers = Executors.newCachedThreadPool()
    AtomicInteger fetches = new AtomicInteger()

    /** A fetch that counts itself and answers refs naming its number. */
    SyncResult fetched() {
        int n = fetches.incrementAndGet()
        new SyncResult([main: "commit-$n".toString()], [:])
    }

    def "callers that arrive while a fetch runs share the one fetch that starts after them"() {
        given: 'a fetch that is running and held'
        def running = new CountDownLatch(1)
        def release = new CountDownLatch(1)
        def first = CompletableFuture.supplyAsync({
            sync.sync('https://git.example/a.git', NONE, {
                running.countDown()
                release.await(30, TimeUnit.SECONDS)
                fetched()
            })
        }, callers)
        running.await(30, TimeUnit.SECONDS)

        when: 'five more syncs come meanwhile (five webhooks of one push), and the first fetch ends'
        def later = (1..5).collect { CompletableFuture.supplyAsync({ sync.sync('https://git.example/a.git', NONE, this::fetched) }, callers) }
        assert waitFor { sync.waiting() == 5 }
        release.countDown()

        then: 'the first gets its own fetch; the five share one more, which started after they came'
        first.get(30, TimeUnit.SECONDS).branches() == [main: 'commit-1']
        later*.get(30, TimeUnit.SECONDS)*.branches() == [[main: 'commit-2']] * 5
        fetches.get() == 2
    }

    def "a sync that arrives after a fetch ended fetches again: that fetch may predate its push"() {
        when:
        def one = sync.sync('https://git.example/a.git', NONE, this::fetched)
        def two = sync.sync('https://git.example/a.git', NONE, this::fetched)

        then:
        one.branches() == [main: 'commit-1']
        two.branches() == [main: 'commit-2']
    }

    def "another URL or other credentials never take a fetch made for the first"() {
        given: 'a fetch running for one URL, and a sync of another URL and one with credentials waiting behind it'
        def running = new CountDownLatch(1)
        def release = new CountDownLatch(1)
        def first = CompletableFuture.supplyAsync({
            sync.sync('https://git.example/a.git', NONE, { running.countDown(); release.await(30, TimeUnit.SECONDS); fetched() })
        }, callers)
        running.await(30, TimeUnit.SECONDS)
        def same = CompletableFuture.supplyAsync({ sync.sync('https://git.example/a.git', NONE, this::fetched) }, callers)
        assert waitFor { sync.waiting() == 1 }
        def moved = CompletableFuture.supplyAsync({ sync.sync('https://git.example/b.git', NONE, this::fetched) }, callers)
        def withToken = CompletableFuture.supplyAsync({ sync.sync('https://git.example/a.git', new GitCredentials('ci', 't0k'), this::fetched) }, callers)
        assert waitFor { sync.waiting() == 3 }

        when:
        release.countDown()
        [first, same, moved, withToken]*.get(30, TimeUnit.SECONDS)

        then: 'the first fetch, then one each: the same-URL caller came after the first fetch started'
        fetches.get() == 4
        moved.get().branches() != first.get().branches()
        withToken.get().branches() != first.get().branches()
    }

    def "a failed fetch is shared with nobody, and a removed mirror is fetched again"() {
        when: 'a fetch fails'
        sync.sync('https://git.example/a.git', NONE, { throw new GitMirrorException('cannot fetch', null) })

        then:
        thrown(GitMirrorException)

        when: 'the next sync comes, then the mirror is removed and one more comes'
        def after = sync.sync('https://git.example/a.git', NONE, this::fetched)
        sync.exclusively {}
        def again = sync.sync('https://git.example/a.git', NONE, this::fetched)

        then: 'each fetched for itself'
        after.branches() == [main: 'commit-1']
        again.branches() == [main: 'commit-2']
    }

    def "a push that queued before a fetch started takes that fetch's outcome, a failure too; a later one fetches"() {
        given: 'a push marks where the fetches stood when it came, then waits its turn'
        long queued = sync.mark()

        when: 'a fetch started after it fails (a host that does not answer)'
        sync.sync('https://git.example/a.git', NONE, { throw new GitMirrorException('the git host sent nothing', null) })

        then:
        thrown(GitMirrorException)

        when: 'the queued push syncs'
        sync.sync(queued, 'https://git.example/a.git', NONE, this::fetched)

        then: 'it is told the same, without waiting for the host again'
        def e = thrown(GitMirrorException)
        e.message == 'the git host sent nothing'
        fetches.get() == 0

        when: 'a push that came after the failure syncs'
        def later = sync.sync(sync.mark(), 'https://git.example/a.git', NONE, this::fetched)

        then:
        later.branches() == [main: 'commit-1']
    }

    def cleanup() {
        callers.shutdownNow()
    }

    private static boolean waitFor(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + 30_000_000_000L
        while (System.nanoTime() < deadline) {
            if (condition()) return true
            Thread.sleep(5)
        }
        false
    }
}

package io.stoker.engine.run

import spock.lang.Specification
import spock.lang.Timeout

import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * The threads a run's work goes on: the engine's own (platform, daemon, named), reused once idle, and never a queue
 * that work waits in behind work that blocks.
 */
@Timeout(30)
class TaskThreadsSpec extends Specification {
    final threads = new TaskThreads(Thread.ofPlatform().daemon().name('spec-task-', 0).factory())

    def "work runs on a thread of the engine's factory"() {
        when:
        def ran = new CompletableFuture<Thread>()
        threads.run { ran.complete(Thread.currentThread()) }

        then:
        def thread = ran.get(10, TimeUnit.SECONDS)
        thread.name.startsWith('spec-task-')
        thread.daemon
        !thread.virtual
    }

    def "work never waits behind work that blocks: with no idle thread another one starts"() {
        given:
        def release = new CountDownLatch(1)
        def started = new CountDownLatch(3)

        when: 'three pieces of work that each block until released'
        3.times { threads.run { started.countDown(); release.await() } }

        then: 'all three are going at once'
        started.await(10, TimeUnit.SECONDS)

        cleanup:
        release.countDown()
    }

    def "a thread that finished its work takes the next piece instead of a new thread starting"() {
        given: 'one piece of work done, its thread back in the pool waiting for more'
        def first = new CompletableFuture<Thread>()
        threads.run { first.complete(Thread.currentThread()) }
        Thread idle = first.get(10, TimeUnit.SECONDS)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (idle.state != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) Thread.onSpinWait()
        assert idle.state == Thread.State.TIMED_WAITING

        when:
        def second = new CompletableFuture<Thread>()
        threads.run { second.complete(Thread.currentThread()) }

        then:
        second.get(10, TimeUnit.SECONDS).is(idle)
    }
}

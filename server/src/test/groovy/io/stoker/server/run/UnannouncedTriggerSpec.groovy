package io.stoker.server.run

import io.stoker.engine.run.RunState
import io.stoker.server.event.LifecycleEvent
import io.stoker.server.event.RunQueued
import io.stoker.server.event.RunStarted
import io.stoker.server.trigger.TriggerFixture
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

/**
 * An API trigger saves its run before the 201 and announces it (its queued event, the dispatcher's start) only
 * once the answer is out: {@link RunService#triggerUnannounced} leaves the announcement to its caller.
 */
class UnannouncedTriggerSpec extends Specification {
    @TempDir
    Path tmp

    @AutoCleanup
    TriggerFixture f

    List<LifecycleEvent> published = new CopyOnWriteArrayList<>()

    def setup() {
        f = new TriggerFixture(tmp, Instant.parse('2026-11-24T12:00:00Z'))
        f.events.subscribe { LifecycleEvent e -> published.add(e) }
        f.freestyle('p', "job('noop') { task('t') { sh 'true' } }")
    }

    def "the run is saved as queued but nobody hears of it, and nothing starts it, until it is announced"() {
        when:
        def run = f.service.triggerUnannounced('p', 'noop', [:], null, null, 'api', true, false, [], { key -> })

        then: 'stored, queued, and no event yet'
        f.runs.find(run.queued().key()).get().status() == RunState.QUEUED
        published.findAll { it instanceof RunQueued }.isEmpty()
        f.dispatcher.goingCount().get() == 0

        when:
        def queued = run.announce()

        then: 'announced: its queued event, and the dispatcher starts it'
        queued == run.queued()
        published.any { it instanceof RunQueued && it.run() == queued.key() }
        awaitFinal(queued.key()) == RunState.SUCCEEDED
    }

    def "a look at the queue before the announcement (another run ended or was queued) starts nothing: queued is heard before running"() {
        given: 'a run saved and not announced yet'
        def first = f.service.triggerUnannounced('p', 'noop', [:], null, null, 'api', true, false, [], { key -> })

        when: 'the dispatcher looks at the queue, and a second run is queued and announced behind it'
        f.dispatcher.poke()
        def second = f.service.trigger('p', 'noop', [:], null, null, 'api', true, { key -> })

        then: 'neither starts: the queue keeps its order, and the first waits for its announcement'
        f.dispatcher.goingCount().get() == 0
        f.runs.find(first.queued().key()).get().status() == RunState.QUEUED
        f.runs.find(second.key()).get().status() == RunState.QUEUED

        when:
        first.announce()

        then: "both run, and each one's queued event came before its start"
        awaitFinal(first.queued().key()) == RunState.SUCCEEDED
        awaitFinal(second.key()) == RunState.SUCCEEDED
        [first.queued().key(), second.key()].every { key ->
            def mine = published.findAll { it.run() == key }
            mine.findIndexOf { it instanceof RunQueued } >= 0
                    && mine.findIndexOf { it instanceof RunQueued } < mine.findIndexOf { it instanceof RunStarted }
        }
    }

    def "a plain trigger announces at once"() {
        when:
        def queued = f.service.trigger('p', 'noop', [:], null, null, 'api', true, { key -> })

        then:
        published.any { it instanceof RunQueued && it.run() == queued.key() }
        awaitFinal(queued.key()) == RunState.SUCCEEDED
    }

    private RunState awaitFinal(String key) {
        long deadline = System.nanoTime() + 30_000_000_000L
        while (System.nanoTime() < deadline) {
            RunState state = f.runs.find(key).get().status()
            if (state.isFinal()) return state
            Thread.sleep(20)
        }
        return f.runs.find(key).get().status()
    }
}

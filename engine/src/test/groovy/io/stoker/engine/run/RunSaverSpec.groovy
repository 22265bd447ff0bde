package io.stoker.engine.run

import spock.lang.Specification
import spock.lang.Timeout

import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ScheduledThreadPoolExecutor

@Timeout(20)
class RunSaverSpec extends Specification {
    final lock = new Object()
    volatile RunState state = RunState.RUNNING
    volatile boolean takenOver
    final saved = new CopyOnWriteArrayList<RunState>()
    final published = new CopyOnWriteArrayList<EngineEvent>()
    final store = new RunStore() {
        void save(RunRecord run) {
            if (takenOver) throw new RunLost('run r1 is held by server B now')
            saved << run.state()
        }
        Optional<RunRecord> load(String key) { Optional.empty() }
        List<RunRecord> list() { [] }
    }
    final listener = new RunListener() {
        void changed(EngineEvent event) { published << event }
    }
    final timer = new ScheduledThreadPoolExecutor(1)
    final timerHeld = new CountDownLatch(1)

    final lost = new CopyOnWriteArrayList<String>()
    def saver = new RunSaver(lock, 'r1', store, listener, { record(state) }, timer, new TaskThreads(Thread.ofPlatform().factory()), { lost << it })

    def cleanup() {
        timerHeld.countDown()
        timer.shutdownNow()
    }

    def "the run's last change is saved at once, not after a save waiting for its interval"() {
        given: 'a timer that runs nothing until the feature ends: a save scheduled on it never starts by itself'
        timer.execute { timerHeld.await() }

        when: 'a change is saved, the next waits for the interval, and then the run ends'
        saver.changed(event(RunState.RUNNING))
        saver.awaitSaved()
        saver.changed(event(RunState.RUNNING))
        state = RunState.SUCCEEDED
        saver.changedLast(event(RunState.SUCCEEDED))
        saver.awaitSaved()

        then: 'the end is saved and told without the timer'
        saved.last() == RunState.SUCCEEDED
        published*.state() == [RunState.RUNNING, RunState.RUNNING, RunState.SUCCEEDED]
    }

    def "a save the store refuses because another server took the run over publishes nothing, and nothing is saved after"() {
        given:
        saver.changed(event(RunState.RUNNING))
        saver.awaitSaved()

        when: 'the run is taken over elsewhere, then it changes here and ends here'
        takenOver = true
        saver.changed(event(RunState.RUNNING))
        saver.awaitSaved()
        takenOver = false
        state = RunState.SUCCEEDED
        saver.changedLast(event(RunState.SUCCEEDED))
        saver.awaitSaved()

        then: 'the engine hears why once (right after the refused save); only the first change was saved and told'
        io.stoker.engine.fixtures.EngineFixture.await(5000) { !lost.isEmpty() }
        lost == ['run r1 is held by server B now']
        saved == [RunState.RUNNING]
        published*.state() == [RunState.RUNNING]
    }

    static RunEvent event(RunState s) {
        new RunEvent('r1', s, Instant.EPOCH)
    }

    static RunRecord record(RunState s) {
        new RunRecord(new RunContext('r1', 1, null, null, 'api', 'j', 'p', null), s, '', [:], Instant.EPOCH, Instant.EPOCH,
                s == RunState.RUNNING ? null : Instant.EPOCH)
    }
}

package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.time.Clock
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * Every event reaches the listener only after the run store holds its state: whoever reacts to an event by
 * reading the store never reads an older state than the event reports.
 */
@Timeout(60)
class SaveBeforePublishSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()
    RecordingStore store = new RecordingStore()

    @AutoCleanup
    EngineFixture f

    @AutoCleanup
    RunEngine engine

    def setup() {
        f = new EngineFixture(tmp, fake)
        engine = new RunEngine(fake, f.logs, f.artifacts, store, Clock.systemUTC())
    }

    def "every event's state was saved before the event was published"() {
        given: 'retries (a task runs twice), a pipe, a failure and a skipped dependant'
        fake.on('flaky') { exitCode = 1 }
        fake.on('bad') { exitCode = 2 }
        def j = job('j', task('a', 'x'), task('flaky', [needs: ['a'], retry: 2], 'x'), task('w', 'x'),
                task('r', [input: 'w'], 'x'), task('bad', [needs: ['r']], 'x'), task('after', [needs: ['bad']], 'x'),
                task('always', [needs: ['bad'], when: 'always()'], 'x'))
        def behind = new CopyOnWriteArrayList<String>()
        def seen = new CopyOnWriteArrayList<EngineEvent>()
        def listener = new RunListener() {
            void changed(EngineEvent event) {
                seen << event
                RunRecord saved = store.saved[event.runKey()]
                switch (event) {
                    case TaskEvent -> {
                        def t = (event as TaskEvent)
                        def s = saved?.task(t.task())
                        if (s == null || !atOrAfter(s.attempts(), s.state(), t.attempt(), t.state())) {
                            behind << "${t.task()} ${t.state()}#${t.attempt()} published while saved ${s?.state()}#${s?.attempts()}".toString()
                        }
                    }
                    case RunEvent -> {
                        def r = (event as RunEvent)
                        if (saved == null || rank(saved.state()) < rank(r.state())) {
                            behind << "run ${r.state()} published while saved ${saved?.state()}".toString()
                        }
                    }
                }
            }
        }

        when:
        def run = engine.run(f.request(j), listener)

        then:
        run.state() == RunState.FAILED
        run.task('flaky').attempts() == 3
        seen.size() > 20
        behind == []
        store.saved[run.key()] == run

        and: 'events still come in the order things happened'
        seen.findAll { it instanceof RunEvent }*.state() == [RunState.RUNNING, RunState.FAILED]
        seen.findAll { it instanceof TaskEvent && it.task() == 'flaky' }.collect { "${it.state().label()}#${it.attempt()}" } ==
                ['queued#0', 'running#1', 'running#2', 'running#3', 'failed#3']
        seen.last() instanceof RunEvent
    }

    def "the run's result completes only after its last event was published"() {
        given:
        def last = new CopyOnWriteArrayList<RunState>()
        def listener = new RunListener() {
            void runChanged(RunEvent e) { last << e.state() }
        }

        when:
        def handle = engine.start(f.request(job('j', task('a', 'x'))), listener)
        handle.await()

        then:
        last.last() == RunState.SUCCEEDED
    }

    def "a run the store says was taken over elsewhere stops here: its tasks are killed and its end is neither saved nor told"() {
        given: 'two tasks running side by side'
        fake.on('a') { hold = true }
        fake.on('b') { hold = true }
        def finals = new CopyOnWriteArrayList<RunState>()
        def listener = new RunListener() {
            void runChanged(RunEvent e) { if (e.state().isFinal()) finals << e.state() }
        }
        def handle = engine.start(f.request(job('j', task('a', 'x'), task('b', 'x'))), listener)
        assert EngineFixture.await(5000) {
            ['a', 'b'].every { store.saved[handle.key()]?.task(it)?.state() == TaskState.RUNNING } &&
                    fake.runningNow().containsAll(['a', 'b']) // saved as running just before the executor starts it
        }
        def before = store.saved[handle.key()]

        when: 'another server takes the run over; then a task ends here, which the engine saves'
        store.lost = true
        fake.release('a')
        handle.result().get(10, TimeUnit.SECONDS)

        then: 'the other task was killed, nothing was written after the takeover, and no end went out'
        fake.runningNow().isEmpty()
        store.saved[handle.key()] == before
        finals.isEmpty()
        f.log(before, 'b').contains('taken over elsewhere')
    }

    private static boolean atOrAfter(int savedAttempts, TaskState saved, int attempt, TaskState state) {
        savedAttempts > attempt || (savedAttempts == attempt && rank(saved) >= rank(state))
    }

    private static int rank(TaskState s) {
        s.isFinal() ? TaskState.SUCCEEDED.ordinal() : s.ordinal() // every end ranks alike, after every state before one
    }

    private static int rank(RunState s) {
        s.isFinal() ? 2 : s.ordinal()
    }

    /** Keeps the last saved record of each run; slow enough that an event published before its save is caught. */
    static class RecordingStore implements RunStore {
        final Map<String, RunRecord> saved = new ConcurrentHashMap<>()
        /** Set when another server "took the runs over": saves are refused from then on. */
        volatile boolean lost

        void save(RunRecord run) {
            if (lost) throw new RunLost("run ${run.key()} is held by another server now")
            Thread.sleep(2) // a disk write takes time: widen the window an early event would fall into
            saved[run.key()] = run
        }

        Optional<RunRecord> load(String runKey) { Optional.ofNullable(saved[runKey]) }

        List<RunRecord> list() { new ArrayList<>(saved.values()) }
    }
}

package io.stoker.engine.approval

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeApprovals
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.engine.run.Outcome
import io.stoker.engine.run.Resumption
import io.stoker.engine.run.ReusedTask
import io.stoker.engine.run.RunEngine
import io.stoker.engine.run.RunRecord
import io.stoker.engine.run.RunStore
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskRecord
import io.stoker.engine.run.TaskState
import io.stoker.engine.trigger.JobTrigger
import io.stoker.model.Approval
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream
import java.time.Clock
import java.util.concurrent.CopyOnWriteArrayList
import java.time.Instant
import java.time.temporal.ChronoUnit

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A run resumed after a restart of the server, as the engine gets it: its own tasks that had ended (kept as they
 * ended, not run again) and its gates as they were — one still waiting asks again with its question and first
 * deadline, one approved is not asked again.
 */
@Timeout(60)
class ResumedGateSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()
    FakeApprovals people = new FakeApprovals()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake, JobTrigger.UNAVAILABLE, people)
    }

    static final Instant BUILT = Instant.parse('2026-11-27T17:00:00Z')

    /** The job: a build, then a ship task behind a gate of one hour whose question names the build's version. */
    static deploy() {
        job('deploy', task('build', 'make'),
                task('ship', [needs: ['build'], approval: new Approval('Deploy ${{ outputs.build.version }}?', ['rita'],
                        3_600_000)], 'deploy ${{ outputs.build.version }}'))
    }

    /** The build as it ended before the restart, in the run {@code key}. */
    static ReusedTask built(String key) {
        ReusedTask.kept(key, new TaskRecord('build', TaskState.SUCCEEDED, new Outcome.Succeeded(), 2, [version: '1.2'],
                null, null, BUILT, BUILT.plusSeconds(30), null))
    }

    def "a gate that waited asks again with its question and first deadline; approved, the run goes on without running again what ended"() {
        given: 'a run that waited at its gate, asked before the restart with a deadline in 20 minutes'
        def request = f.request(deploy(), [key: 'deploy-7'])
        Instant deadline = Instant.now().plus(20, ChronoUnit.MINUTES)
        def gate = Gate.waiting('Deploy 1.2 (asked before)?', ['rita'], deadline)

        when:
        def handle = f.engine.start(request.withReused([build: built('deploy-7')]).withResumed(resumed([ship: gate])),
                RunListener.NONE)

        then: 'it asks again, as before, until the same deadline'
        await(10_000) { people.asked('ship') }
        with(people.requests[0]) {
            question() == 'Deploy 1.2 (asked before)?'
            approvers() == ['rita']
            it.deadline() == deadline
        }
        handle.snapshot().task('ship').state() == TaskState.WAITING

        when:
        people.approve('ship', 'rita', 'go')
        def run = handle.await()

        then: 'the build kept how it ran and did not run again; its output reached the ship task'
        run.state() == RunState.SUCCEEDED
        fake.started() == ['ship']
        fake.launches.find { it.task() == 'ship' }.scripts() == ['deploy 1.2']
        with(run.task('build')) {
            attempts() == 2
            startedAt() == BUILT
            endedAt() == BUILT.plusSeconds(30)
            outputs() == [version: '1.2']
        }
        f.log(run, 'build').contains('ended before the server restarted')
        f.log(run, 'ship').contains('the server restarted: waiting again for approval: Deploy 1.2 (asked before)?')
    }

    def "a gate whose deadline passed while the server was down rejects at once"() {
        given:
        def gate = Gate.waiting('Deploy 1.2?', ['rita'], Instant.now().minusSeconds(60))

        when:
        def run = f.engine.run(f.request(deploy(), [key: 'deploy-8']).withReused([build: built('deploy-8')])
                .withResumed(resumed([ship: gate])), RunListener.NONE)

        then:
        run.state() == RunState.FAILED
        fake.started() == []
        run.task('ship').state() == TaskState.FAILED
        run.task('ship').outcome().reason() == 'rejected: no decision within 1h0m0s'
    }

    def "a gate approved before the restart is not asked again: its task runs, the decision kept on record"() {
        given:
        def approved = Gate.waiting('Deploy 1.2?', ['rita'], Instant.now().plusSeconds(600))
                .decided(Decision.approved('rita', 'go'), Instant.now().minusSeconds(5))

        when:
        def run = f.engine.run(f.request(deploy(), [key: 'deploy-9']).withReused([build: built('deploy-9')])
                .withResumed(resumed([ship: approved])), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        people.requests.isEmpty()
        fake.started() == ['ship']
        run.task('ship').approval() == approved
    }

    def "a resumed run's first save already holds what it kept: its ended task as it ended, its gate waiting"() {
        given: 'an engine whose store keeps every save'
        def saves = new EverySave()
        def engine = new RunEngine(fake, JobTrigger.UNAVAILABLE, people, f.logs, f.artifacts, saves, Clock.systemUTC())
        def gate = Gate.waiting('Deploy 1.2?', ['rita'], Instant.now().plus(20, ChronoUnit.MINUTES))

        and: 'the build collected artifacts, which take a moment to take back'
        def zip = tmp.resolve('build.zip')
        new ZipOutputStream(Files.newOutputStream(zip)).withCloseable { out ->
            out.putNextEntry(new ZipEntry('dist/app.bin'))
            def random = new Random(7)
            byte[] chunk = new byte[1 << 16]
            64.times { random.nextBytes(chunk); out.write(chunk) }
            out.closeEntry()
        }
        def build = built('deploy-10')
        build = new ReusedTask(build.fromRun(), build.state(), build.outputs(), zip, build.resumed())

        when:
        engine.start(f.request(deploy(), [key: 'deploy-10']).withReused([build: build])
                .withResumed(resumed([ship: gate])), RunListener.NONE)
        // the run is saved by its saver's own thread, soon after the change: the gate may be asked before it lands
        assert await(10_000) { people.asked('ship') && saves.first() != null }

        then: 'a server stopping right after that save finds the run as resumable as before: nothing pending or lost'
        with(saves.first()) {
            state() == RunState.RUNNING
            task('build').state() == TaskState.SUCCEEDED
            task('build').attempts() == 2
            task('build').startedAt() == BUILT
            task('build').endedAt() == BUILT.plusSeconds(30)
            task('build').outputs() == [version: '1.2']
            task('ship').state() == TaskState.WAITING
            task('ship').approval() == gate
        }

        cleanup:
        engine?.close()
    }

    def "a resumed run's job timeout counts from its first start: what is left of it, not all of it again"() {
        given: 'a job of 10 minutes that first started 10 minutes less a second ago'
        def gate = Gate.waiting('Deploy 1.2?', ['rita'], Instant.now().plus(20, ChronoUnit.MINUTES))
        def request = f.request(job('deploy', [timeout: 600_000], task('build', 'make'), task('ship',
                [needs: ['build'], approval: new Approval('Deploy?', ['rita'], 3_600_000)], 'deploy')), [key: 'deploy-11'])

        when:
        def run = f.engine.run(request.withReused([build: built('deploy-11')]).withResumed(new Resumption(
                Instant.now().minus(10, ChronoUnit.MINUTES).plusSeconds(1), [ship: gate])), RunListener.NONE)

        then: 'it times out within that second, as a timeout does, keeping what ended'
        run.state() == RunState.TIMEDOUT
        run.reason() == 'job timed out after 10m0s'
        run.task('build').state() == TaskState.SUCCEEDED
        run.task('ship').state() == TaskState.CANCELLED
        fake.started() == []
    }

    def "a resumed run whose job timeout passed while the server was down ends timed out at once"() {
        given:
        def gate = Gate.waiting('Deploy 1.2?', ['rita'], Instant.now().plus(20, ChronoUnit.MINUTES))
        def request = f.request(job('deploy', [timeout: 600_000], task('build', 'make'), task('ship',
                [needs: ['build'], approval: new Approval('Deploy?', ['rita'], 3_600_000)], 'deploy')), [key: 'deploy-12'])

        when:
        def run = f.engine.run(request.withReused([build: built('deploy-12')]).withResumed(new Resumption(
                Instant.now().minus(11, ChronoUnit.MINUTES), [ship: gate])), RunListener.NONE)

        then: 'its gate is not asked again, and its ended task keeps its end'
        run.state() == RunState.TIMEDOUT
        run.reason() == 'job timed out after 10m0s'
        run.task('build').state() == TaskState.SUCCEEDED
        run.task('build').attempts() == 2
        run.task('ship').state() == TaskState.CANCELLED
        people.requests.isEmpty()

        and: 'the gate stays on record as it was, asked and undecided, as when a timeout stops a run at its gate'
        run.task('ship').approval() == gate
    }

    /** A run resumed with {@code gates}, first started when its build did. */
    static Resumption resumed(Map<String, Gate> gates) {
        new Resumption(BUILT, gates)
    }

    /** Keeps every record saved, in order. */
    static class EverySave implements RunStore {
        final List<RunRecord> saved = new CopyOnWriteArrayList<>()

        void save(RunRecord run) { saved << run }

        RunRecord first() { saved[0] }

        Optional<RunRecord> load(String runKey) { Optional.ofNullable(saved.findAll { it.key() == runKey }.last()) }

        List<RunRecord> list() { saved.groupBy { it.key() }.values().collect { it.last() } }
    }
}

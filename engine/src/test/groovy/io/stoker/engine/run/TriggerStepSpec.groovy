package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.engine.fixtures.FakeJobTrigger
import io.stoker.engine.params.ResolvedParameters
import io.stoker.engine.trigger.JobTrigger
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.sh
import static io.stoker.engine.fixtures.Jobs.steps
import static io.stoker.engine.fixtures.Jobs.string
import static io.stoker.engine.fixtures.Jobs.task
import static io.stoker.engine.fixtures.Jobs.trigger

/** Trigger steps on the fake executor and a recording trigger port: segments, waiting, failures, cancels. */
@Timeout(60)
class TriggerStepSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()
    FakeJobTrigger jobs = new FakeJobTrigger()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake, jobs)
    }

    def "sh steps around a trigger run as two launches, the trigger between them, with rendered parameters"() {
        given:
        def launchesAtTrigger = []
        jobs.onRequest = { launchesAtTrigger << fake.launches.size() }
        jobs.endWith['deploy'] = RunState.SUCCEEDED
        fake.on('version') { output = 'version=1.2.3' }

        when:
        def run = f.run(job('build', [parameters: [string('ENV', 'prod')]],
                task('version', 'make version'),
                steps('publish', [needs: ['version']],
                        sh('echo one'), sh('echo two'),
                        trigger('deploy', [VERSION: '${{ outputs.version.version }}', TARGET: '${{ params.ENV }}']),
                        sh('echo three'))),
                [params: new ResolvedParameters([ENV: 'prod'])])

        then:
        run.state() == RunState.SUCCEEDED
        fake.launches*.task() == ['version', 'publish', 'publish']
        fake.launches[1].scripts() == ['echo one', 'echo two']
        fake.launches[2].scripts() == ['echo three']
        launchesAtTrigger == [2]
        jobs.requests.size() == 1
        with(jobs.requests[0]) {
            it.job() == 'deploy'
            parameters() == [VERSION: '1.2.3', TARGET: 'prod']
            parameters().keySet().toList() == ['VERSION', 'TARGET']
            runKey() == run.context().key()
            it.task() == 'publish'
            waitForRun()
        }
        def log = f.log(run, 'publish')
        log.contains('triggering deploy with VERSION=1.2.3 TARGET=prod')
        log.contains('triggered deploy run deploy-1')
        log.contains('deploy run deploy-1 succeeded')
    }

    def "with wait the step fails when the triggered run does not succeed, and later steps and tasks do not run"() {
        given:
        jobs.endWith['deploy'] = state

        when:
        def run = f.run(job('build',
                steps('publish', trigger('deploy'), sh('echo after')),
                task('announce', [needs: ['publish']], 'echo done')))

        then:
        run.state() == RunState.FAILED
        run.task('publish').state() == TaskState.FAILED
        run.task('publish').outcome().reason() == "triggered run deploy-1 of 'deploy' ${state.label()}"
        run.task('announce').state() == TaskState.SKIPPED
        fake.launches.empty
        f.log(run, 'publish').contains("deploy run deploy-1 ${state.label()}")

        where:
        state << [RunState.FAILED, RunState.CANCELLED, RunState.TIMEDOUT]
    }

    def "without wait the step succeeds once the run is started, whatever becomes of it"() {
        when: 'the triggered run never ends'
        def run = f.run(job('build', steps('publish', trigger('deploy', [:], false), sh('echo after'))))

        then:
        run.state() == RunState.SUCCEEDED
        fake.launches*.scripts() == [['echo after']]
        !jobs.requests[0].waitForRun()
        !jobs.ends['deploy-1'].done
        f.log(run, 'publish').contains('triggered deploy run deploy-1')
    }

    def "a trigger the port refuses fails the task with the port's reason"() {
        given:
        jobs.refuse['nope'] = "job 'nope' does not exist"

        when:
        def run = f.run(job('build', steps('publish', sh('echo before'), trigger('nope'))))

        then:
        run.task('publish').state() == TaskState.FAILED
        run.task('publish').outcome().reason() == "cannot trigger 'nope': job 'nope' does not exist"
        f.log(run, 'publish').contains("cannot trigger nope: job 'nope' does not exist")
    }

    def "an engine built without a trigger port fails trigger steps with a clear reason"() {
        given:
        def plain = new EngineFixture(tmp.resolve('plain'), new FakeExecutor())

        when:
        def run = plain.run(job('build', steps('publish', trigger('deploy'))))

        then:
        run.task('publish').outcome().reason() == "cannot trigger 'deploy': triggering other jobs is not available here"

        cleanup:
        plain?.close()
    }

    def "a failing sh segment before the trigger means nothing is triggered"() {
        given:
        fake.on('publish') { exitCode = 3 }

        when:
        def run = f.run(job('build', steps('publish', sh('false'), trigger('deploy'))))

        then:
        run.task('publish').state() == TaskState.FAILED
        jobs.requests.empty
    }

    def "a parameter template that cannot be rendered fails the step without triggering"() {
        when:
        def run = f.run(job('build', steps('publish', trigger('deploy', [V: '${{ 1 + }}']))))

        then:
        run.task('publish').state() == TaskState.FAILED
        run.task('publish').outcome().reason().startsWith('template error')
        jobs.requests.empty

        and: 'its log ends saying so, with no time for an attempt that started nothing'
        def last = f.log(run, 'publish').readLines().last()
        last.contains('failed: template error: ')
        !last.contains(' after ')
    }

    def "cancelling the run while a step waits cancels the wait and the task ends cancelled"() {
        given:
        def handle = f.engine.start(f.request(job('build',
                steps('publish', trigger('deploy'), sh('echo after')))), RunListener.NONE)

        expect:
        await(5000) { jobs.ends['deploy-1'] != null && handle.snapshot().task('publish').state() == TaskState.RUNNING }

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('publish').state() == TaskState.CANCELLED
        jobs.ends['deploy-1'].cancelled
        fake.launches.empty
        f.log(run, 'publish').contains('stopped waiting for deploy run deploy-1 (cancelled)')
    }

    def "the task's time limit covers the wait: the task times out and the wait is cancelled"() {
        when:
        // 2 s, not 0.3 s: the limit must fall in the wait, and a loaded machine may take longer than 0.3 s to get there
        def run = f.run(job('build', steps('publish', [timeout: EngineFixture.ms(2000)], trigger('deploy'))))

        then:
        run.task('publish').state() == TaskState.TIMEDOUT
        jobs.ends['deploy-1'].cancelled
        f.log(run, 'publish').contains('while waiting')
    }

    def "the job's time limit also stops a waiting step"() {
        when:
        // 2 s, not 0.3 s: the limit must fall in the wait, and a loaded machine may take longer than 0.3 s to get there
        def run = f.run(job('build', [timeout: EngineFixture.ms(2000)], steps('publish', trigger('deploy'))))

        then:
        run.state() == RunState.TIMEDOUT
        run.task('publish').state() == TaskState.TIMEDOUT
        jobs.ends['deploy-1'].cancelled
    }

    def "a retried task triggers again on each attempt"() {
        given:
        jobs.endWith['deploy'] = RunState.FAILED

        when:
        def run = f.run(job('build', steps('publish', [retry: 2], trigger('deploy'))))

        then:
        run.task('publish').attempts() == 3
        jobs.requests.size() == 3
        jobs.ends.keySet() == ['deploy-1', 'deploy-2', 'deploy-3'] as Set
    }

    def "a waiting step gives its slot back: another task runs meanwhile, and the step's next sh step waits for a slot"() {
        given: 'one parallel slot; build is held running until released'
        fake.on('build') { hold = true }
        def handle = f.engine.start(f.request(job('j',
                steps('call', trigger('deploy'), sh('echo after')),
                task('build', 'make')), [parallel: 1]), RunListener.NONE)

        expect: 'build has the slot while call waits for deploy, which holds none'
        await(5000) { jobs.ends['deploy-1'] != null && fake.started() == ['build'] }
        handle.awaitingRuns() == ['call'] as Set
        !handle.parked()

        when: 'deploy ends while build still holds the only slot'
        jobs.finish('deploy-1', RunState.SUCCEEDED)

        then: 'call waits for a slot before its sh step'
        await(5000) { f.log(handle.snapshot(), 'call').contains('waiting for a free slot') }
        fake.started() == ['build']
        handle.snapshot().task('call').state() == TaskState.RUNNING

        when:
        fake.release('build')
        def run = handle.await()

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['build', 'call']
        fake.launches[1].scripts() == ['echo after']
        handle.awaitingRuns().isEmpty()
    }

    def "a run whose only task left waits for its triggered run is parked (it needs no slot) until that run ends"() {
        given:
        def handle = f.engine.start(f.request(job('j', steps('call', trigger('deploy'), sh('echo after'))),
                [parallel: 1]), RunListener.NONE)

        expect:
        await(5000) { jobs.ends['deploy-1'] != null && handle.parked() }
        handle.awaitingRuns() == ['call'] as Set

        when:
        jobs.finish('deploy-1', RunState.SUCCEEDED)
        def run = handle.await()

        then:
        run.state() == RunState.SUCCEEDED
        !handle.parked()
        fake.launches*.task() == ['call']
        !f.log(run, 'call').contains('waiting for a free slot')
    }

    def "cancelling the run while a task waits for a slot after its trigger step ends the task cancelled"() {
        given:
        fake.on('build') { hold = true }
        def handle = f.engine.start(f.request(job('j',
                steps('call', trigger('deploy'), sh('echo after')),
                task('build', 'make')), [parallel: 1]), RunListener.NONE)
        await(5000) { jobs.ends['deploy-1'] != null && fake.started() == ['build'] }
        jobs.finish('deploy-1', RunState.SUCCEEDED)
        await(5000) { f.log(handle.snapshot(), 'call').contains('waiting for a free slot') }

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('call').state() == TaskState.CANCELLED
        f.log(run, 'call').contains('stopped waiting for a free slot (cancelled)')
        fake.started() == ['build']
    }
}

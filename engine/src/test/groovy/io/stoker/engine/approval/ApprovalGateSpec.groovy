package io.stoker.engine.approval

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeApprovals
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.engine.run.EngineEvent
import io.stoker.engine.run.GateEvent
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskEvent
import io.stoker.engine.run.TaskState
import io.stoker.engine.trigger.JobTrigger
import io.stoker.model.Approval
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** Approval gates on the fake executor and a fake approval port: waiting without a slot, approve, reject, timeout. */
@Timeout(60)
class ApprovalGateSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()
    FakeApprovals people = new FakeApprovals()
    List<EngineEvent> events = new CopyOnWriteArrayList<>()
    RunListener listener = new RunListener() {
        @Override
        void changed(EngineEvent e) {
            events << e
        }
    }

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake, JobTrigger.UNAVAILABLE, people)
    }

    static Approval gate(String question = 'Deploy to prod?', List<String> approvers = ['release'], long timeout = 3_600_000) {
        new Approval(question, approvers, timeout)
    }

    def "a question is rendered with the run's parameters and outputs, never with a secret or an env value"() {
        given: 'a build whose output is a version, and a gate asking about it'
        fake.on('build') { output = 'version=1.4.2' }
        def question = 'Deploy ${{ outputs.build.version }} to ${{ params.TARGET }} (${{ secrets.TOKEN }}${{ env.KEY }})?'
        def handle = f.engine.start(f.request(job('deploy', [env: [KEY: '${{ secrets.TOKEN }}']],
                task('build', 'make'),
                task('ship', [needs: ['build'], secrets: ['TOKEN'], approval: gate(question)], 'deploy.sh')),
                [params: new io.stoker.engine.params.ResolvedParameters([TARGET: 'prod']), secrets: [TOKEN: 's3cret']]), listener)

        when:
        assert await(10_000) { people.asked('ship') }

        then: 'the people asked read the values; a secret, also through env, stays out'
        people.requests[0].question() == 'Deploy 1.4.2 to prod ()?'
        handle.snapshot().task('ship').approval().question() == 'Deploy 1.4.2 to prod ()?'

        cleanup:
        handle?.cancel()
    }

    def "a question that does not render is asked as written"() {
        given:
        def handle = f.engine.start(f.request(job('deploy',
                task('ship', [approval: gate('Deploy ${{ params.TARGET ?? }}?')], 'deploy.sh'))), listener)

        when:
        assert await(10_000) { people.asked('ship') }

        then:
        people.requests[0].question() == 'Deploy ${{ params.TARGET ?? }}?'

        cleanup:
        handle?.cancel()
    }

    def "a gated task waits without a slot while others run, and runs once approved"() {
        given: 'one parallel slot, a gate, and a task beside it held running'
        fake.on('lint') { hold = true }
        def handle = f.engine.start(f.request(job('deploy',
                task('build', 'make'),
                task('ship', [needs: ['build'], approval: gate()], 'deploy.sh'),
                task('lint', [needs: ['build']], 'lint.sh')), [parallel: 1]), listener)

        when: 'the gate opens'
        assert await(10_000) { people.asked('ship') && fake.started().contains('lint') }

        then: 'the gate task waits, lint holds the only slot, and the request says what is asked of whom'
        handle.snapshot().task('ship').state() == TaskState.WAITING
        handle.snapshot().task('ship').approval().isWaiting()
        with(people.requests[0]) {
            question() == 'Deploy to prod?'
            approvers() == ['release']
            runKey() == handle.key()
        }
        !handle.parked()

        when: 'lint ends: only the gate is left, so the run needs no slot'
        fake.release('lint')

        then:
        await(10_000) { handle.parked() }

        when:
        people.approve('ship', 'alice', 'go')
        def run = handle.await()

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['build', 'lint', 'ship']
        with(run.task('ship').approval()) {
            verdict() == Decision.Verdict.APPROVED
            decidedBy() == 'alice'
            comment() == 'go'
            decidedAt() != null
        }
        f.log(run, 'ship').contains('waiting for approval: Deploy to prod? (approvers: release;')
        f.log(run, 'ship').contains('approved by alice: go')
    }

    def "the gate's opening and decision are typed events, published after the task's waiting state was saved"() {
        when:
        def handle = f.engine.start(f.request(job('deploy', task('ship', [approval: gate()], 'deploy.sh'))), listener)
        await(10_000) { people.asked('ship') }
        people.approve('ship')
        handle.await()

        then:
        def gates = events.findAll { it instanceof GateEvent } as List<GateEvent>
        gates*.gate()*.verdict() == [null, Decision.Verdict.APPROVED]
        def states = events.findAll { it instanceof TaskEvent }*.state()
        states.indexOf(TaskState.WAITING) < states.indexOf(TaskState.QUEUED)
    }

    def "a rejected gate fails its task and what needs it is skipped, as after a failed build"() {
        when:
        def handle = f.engine.start(f.request(job('deploy',
                task('ship', [approval: gate()], 'deploy.sh'),
                task('announce', [needs: ['ship']], 'mail.sh'))), listener)
        await(10_000) { people.asked('ship') }
        people.reject('ship', 'bob', 'not on a Friday')
        def run = handle.await()

        then:
        run.state() == RunState.FAILED
        run.task('ship').state() == TaskState.FAILED
        run.task('ship').outcome().reason() == 'rejected by bob: not on a Friday'
        run.task('ship').approval().verdict() == Decision.Verdict.REJECTED
        run.task('ship').approval().decidedBy() == 'bob'
        run.task('announce').state() == TaskState.SKIPPED
        fake.started() == []
    }

    def "an undecided gate rejects itself when its timeout passes, and the request is withdrawn"() {
        when:
        def run = f.run(job('deploy', task('ship', [approval: gate('Go?', [], 200)], 'deploy.sh')))

        then:
        run.state() == RunState.FAILED
        run.task('ship').outcome().reason() == 'rejected: no decision within 200ms'
        run.task('ship').approval().decidedBy() == null
        await(5_000) { people.withdrawn('ship') }
        fake.started() == []
    }

    def "a job timeout shorter than the gate's wait ends the run timed out, and the gate's deadline is the job's"() {
        when: 'the gate would wait an hour, the job may take 4 s'
        // 4 s, not 1.5: the gate must be asked before the job's time is up, which a loaded machine may not do in 1.5 s
        def handle = f.engine.start(f.request(job('deploy', [timeout: 4000],
                task('ship', [approval: gate('Go?', [], 3_600_000)], 'deploy.sh'),
                task('cleanup', [needs: ['ship'], when: 'always()'], 'clean.sh'))), listener)
        await(10_000) { people.asked('ship') }
        def asked = people.requests[0]
        def run = handle.await()

        then: "what is asked and shown names the job's deadline, not one an hour later"
        !asked.deadline().isAfter(run.startedAt().plusMillis(4000))
        run.task('ship').approval().deadline() == asked.deadline()

        and: 'the run ends as a job timeout does: timed out, its waiting task cancelled, nothing started after it'
        run.state() == RunState.TIMEDOUT
        run.reason() == 'job timed out after 4.0s'
        run.task('ship').state() == TaskState.CANCELLED
        run.task('ship').outcome().reason() == 'job timed out after 4.0s before it started'
        run.task('cleanup').state() == TaskState.CANCELLED
        people.withdrawn('ship')
        fake.started() == []
        f.log(run, 'ship').contains('rejected if undecided by ' + asked.deadline())
    }

    def "a gate whose wait ends before the job's timeout rejects the task as its own timeout says"() {
        when:
        def run = f.run(job('deploy', [timeout: 60_000], task('ship', [approval: gate('Go?', [], 200)], 'deploy.sh')))

        then:
        run.state() == RunState.FAILED
        run.task('ship').outcome().reason() == 'rejected: no decision within 200ms'
        run.task('ship').approval().deadline().isBefore(run.startedAt().plusMillis(60_000))
    }

    def "cancelling a run cancels its waiting task and withdraws the request"() {
        when:
        def handle = f.engine.start(f.request(job('deploy', task('ship', [approval: gate()], 'deploy.sh'))), listener)
        await(10_000) { people.asked('ship') }
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('ship').state() == TaskState.CANCELLED
        people.withdrawn('ship')
    }

    def "a decision after the run ended changes nothing"() {
        given:
        def handle = f.engine.start(f.request(job('deploy', task('ship', [approval: gate()], 'deploy.sh'))), listener)
        await(10_000) { people.asked('ship') }
        handle.cancel()
        def run = handle.await()

        when:
        people.approve('ship')

        then:
        f.store.load(run.key()).get().task('ship').state() == TaskState.CANCELLED
        fake.started() == []
    }

    def "without anybody to ask (the local CLI) a gate is rejected at once, saying why"() {
        given:
        def local = new EngineFixture(Files.createDirectories(tmp.resolve('local')), fake)

        when:
        def run = local.run(job('deploy', task('ship', [approval: gate()], 'deploy.sh')))

        then:
        run.task('ship').state() == TaskState.FAILED
        run.task('ship').outcome().reason() == 'rejected: nobody can approve in a local run: approval gates need a server'

        cleanup:
        local?.close()
    }
}

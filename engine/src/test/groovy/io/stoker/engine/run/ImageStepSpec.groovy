package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.engine.image.ImageDigest
import io.stoker.engine.image.ImageStepRequest
import io.stoker.engine.image.ImageStepResult
import io.stoker.engine.image.ImageSteps
import io.stoker.engine.trigger.JobTrigger
import io.stoker.engine.approval.ApprovalPort
import io.stoker.model.Pos
import io.stoker.model.Step
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.function.Consumer

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.EngineFixture.ms
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.sh
import static io.stoker.engine.fixtures.Jobs.steps

/**
 * buildImage and publishImage steps through the image-step port, on the fake executor and a recording port: what the
 * port is asked, the digest in the record, masking, a missing login, and a cancel or time limit interrupting it.
 */
@Timeout(60)
class ImageStepSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()
    List<ImageStepRequest> asked = Collections.synchronizedList([])
    Closure<ImageStepResult> answer = { ImageStepRequest r, Consumer<String> log ->
        log.accept('pushing with password hunter22 as the engine echoed it')
        new ImageStepResult.Pushed(r.push(), 'sha256:' + 'a' * 64)
    }
    volatile boolean interrupted

    @AutoCleanup
    EngineFixture f

    def setup() {
        ImageSteps port = { ImageStepRequest r, Consumer<String> log ->
            asked << r
            answer(r, log)
        } as ImageSteps
        f = new EngineFixture(tmp, fake, JobTrigger.UNAVAILABLE, ApprovalPort.UNAVAILABLE, port)
    }

    static Step build(String push, String credentials = null) {
        new Step.BuildImage('.', 'Containerfile', push, credentials, Pos.NONE)
    }

    static Step publish(String push, String credentials = null) {
        new Step.PublishImage('dist/**', 'scratch', ['/app/dist/run'], push, credentials, Pos.NONE)
    }

    def "image steps run between sh steps with push rendered and the login read from the run's secrets"() {
        when:
        def run = f.run(job('release', steps('image', sh('echo before'), build('reg.example:5000/org/app:${{ run.number }}', 'REG'),
                publish('reg.example:5000/org/jib:${{ run.number }}'), sh('echo after'))),
                [secrets: [REG: 'bot:hunter22']])

        then:
        run.state() == RunState.SUCCEEDED
        fake.launches*.scripts() == [['echo before'], ['echo after']]
        asked.size() == 2
        with(asked[0] as ImageStepRequest.Build) {
            push() == 'reg.example:5000/org/app:1'
            credentials().user() == 'bot'
            credentials().password() == 'hunter22'
            workspace() == f.workspace
        }
        with(asked[1] as ImageStepRequest.Publish) {
            push() == 'reg.example:5000/org/jib:1'
            credentials() == null
            entrypoint() == ['/app/dist/run']
        }

        and: 'both pushes are in the record with their digests'
        run.task('image').images() == [
                new ImageDigest('reg.example:5000/org/app:1', 'sha256:' + 'a' * 64, ImageDigest.Use.PUSHED),
                new ImageDigest('reg.example:5000/org/jib:1', 'sha256:' + 'a' * 64, ImageDigest.Use.PUSHED)]

        and: 'the password is masked alone, and the login never reached the task environment'
        def log = f.log(run, 'image')
        log.contains('buildImage pushing to reg.example:5000/org/app:1 as bot')
        log.contains('pushing with password **** as the engine echoed it')
        !log.contains('hunter22')
        fake.launches.every { !it.env().containsKey('REG') }
    }

    def "a login secret the run was not given fails the step in one sentence before the port is asked"() {
        when:
        def run = f.run(job('release', steps('image', build('reg.example:5000/org/app:1', 'MISSING'))))

        then:
        run.state() == RunState.FAILED
        asked.isEmpty()
        run.task('image').outcome().reason() == "the registry login secret 'MISSING' was not given to this run: it does not exist, or this project may not read it"
    }

    def "a login secret that is not user:password is refused by name"() {
        when:
        def run = f.run(job('release', steps('image', build('reg.example:5000/org/app:1', 'REG'))), [secrets: [REG: 'just-a-token']])

        then:
        run.task('image').outcome().reason() == "the registry login secret 'REG' does not hold user:password"
        !f.log(run, 'image').contains('just-a-token')
    }

    def "the port's failure fails the task with its sentence and later steps do not run"() {
        given:
        answer = { r, log -> new ImageStepResult.Failed("push: the registry reg.example:5000 refused the login of user 'bot'") }

        when:
        def run = f.run(job('release', steps('image', build('reg.example:5000/org/app:1'), sh('echo never'))))

        then:
        run.state() == RunState.FAILED
        run.task('image').outcome().reason() == "push: the registry reg.example:5000 refused the login of user 'bot'"
        fake.launches.isEmpty()
        run.task('image').images().isEmpty()
    }

    def "a cancel interrupts a running image step and the task is cancelled"() {
        given:
        def started = new CountDownLatch(1)
        answer = { r, log ->
            started.countDown()
            try {
                Thread.sleep(ms(60_000)) // stands for a push that takes long; the interrupt ends it
            } catch (InterruptedException e) {
                interrupted = true
                throw e
            }
            new ImageStepResult.Pushed(r.push(), 'sha256:never')
        }

        when:
        def handle = f.engine.start(f.request(job('release', steps('image', build('reg.example:5000/org/app:1')))), RunListener.NONE)
        assert started.await(ms(10_000), TimeUnit.MILLISECONDS)
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('image').state() == TaskState.CANCELLED
        await(ms(10_000)) { interrupted }
        f.log(run, 'image').contains('buildImage stopped (cancelled)')
    }

    def "the task's time limit interrupts a running image step and the task times out"() {
        given:
        answer = { r, log ->
            try {
                Thread.sleep(ms(60_000))
            } catch (InterruptedException e) {
                interrupted = true
                throw e
            }
            new ImageStepResult.Pushed(r.push(), 'sha256:never')
        }

        when:
        // 2 s, not 0.3 s: the limit must fall in the step, and a loaded machine may take longer than 0.3 s to start it
        def run = f.run(job('release', steps('image', [timeout: ms(2000)], build('reg.example:5000/org/app:1'))))

        then:
        run.task('image').state() == TaskState.TIMEDOUT
        interrupted
        f.log(run, 'image').contains(': stopping buildImage')
    }
}

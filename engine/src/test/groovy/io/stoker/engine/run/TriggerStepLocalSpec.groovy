package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeJobTrigger
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.sh
import static io.stoker.engine.fixtures.Jobs.steps
import static io.stoker.engine.fixtures.Jobs.task
import static io.stoker.engine.fixtures.Jobs.trigger

/** Trigger steps between real processes: the segments share the workspace, outputs and the time limit. */
@Timeout(60)
class TriggerStepLocalSpec extends Specification {

    @TempDir
    Path tmp

    FakeJobTrigger jobs = new FakeJobTrigger()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, null, jobs)
        jobs.endWith['deploy'] = RunState.SUCCEEDED
    }

    def "segments share the workspace, keep every output and collect artifacts after the last one"() {
        given:
        def seen = []
        jobs.onRequest = { seen << Files.readString(f.workspace.resolve('stage.txt')).trim() }

        when:
        def run = f.run(job('build',
                steps('publish', [artifacts: ['dist/*']],
                        sh('echo one > stage.txt; echo "first=1" >> "$STOKER_OUTPUT"'),
                        trigger('deploy', [FROM: '${{ run.key }}']),
                        sh('echo "$(cat stage.txt) two" > stage.txt; mkdir -p dist; cp stage.txt dist/; echo "second=2" >> "$STOKER_OUTPUT"')),
                task('after', [needs: ['publish']],
                        'test "${{ outputs.publish.first }}${{ outputs.publish.second }}" = 12')))

        then:
        run.state() == RunState.SUCCEEDED
        seen == ['one']
        jobs.requests[0].parameters() == [FROM: run.context().key()]
        run.task('publish').outputs() == [first: '1', second: '2']
        Files.readString(f.workspace.resolve('stage.txt')).trim() == 'one two'
        run.task('publish').artifacts() != null
    }

    def "a retried task's artifacts are its last attempt's: none when that one matched no file"() {
        given: 'the first e2e run fails, the second succeeds'
        jobs.onRequest = { req -> jobs.endWith['e2e'] = jobs.requests.isEmpty() ? RunState.FAILED : RunState.SUCCEEDED }

        when: 'the first attempt makes dist/a (zipped), then its e2e fails; the second makes nothing'
        def run = f.run(job('build', steps('publish', [artifacts: ['dist/*'], retry: 1],
                sh('rm -rf dist; if [ "$STOKER_ATTEMPT" = 1 ]; then mkdir dist; echo one > dist/a; fi'),
                trigger('e2e', [:]))))

        then: "the run succeeded with the second attempt, and publishes nothing of the first"
        run.state() == RunState.SUCCEEDED
        run.task('publish').attempts() == 2
        run.task('publish').artifacts() == null
        !Files.exists(f.artifacts.publishedDir(run.key()).resolve('publish.zip'))
    }

    def "a time limit is for the whole attempt, not for each segment"() {
        given:
        jobs.onRequest = { Thread.sleep(EngineFixture.ms(400)) } // a slow port: the start itself takes time

        when:
        def run = f.run(job('build', steps('publish', [timeout: EngineFixture.ms(700)],
                sh('sleep 0.4'), trigger('deploy'), sh('sleep 5'))))

        then: 'the last segment is killed when the attempt, not the segment, has used its time'
        run.task('publish').state() == TaskState.TIMEDOUT
        java.time.Duration.between(run.task('publish').startedAt(), run.task('publish').endedAt()).toMillis() <
                EngineFixture.ms(4000)
    }
}

package io.stoker.engine.start

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.engine.run.RunContext
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.model.Parameter
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** The one way a run is prepared, whoever starts it: parameters, declared secrets, a filled workspace. */
@Timeout(60)
class RunStarterSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake)
    }

    def "parameters are resolved over the defaults, and every bad value is named at once"() {
        given:
        def j = job('j', [parameters: [new Parameter.BoolParam('fast', false, '', null)]], task('t', 'true'))

        expect:
        RunStarter.parameters(j, [fast: 'yes']).values() == [fast: true]
        RunStarter.parameters(j, [:]).values() == [fast: false]

        when:
        RunStarter.parameters(j, [fast: 'maybe', other: '1'])

        then:
        def e = thrown(InvalidParameters)
        e.errors().size() == 2
        e.message.startsWith("invalid parameters for job 'j': ")
    }

    def "a source is asked once, for exactly the secrets the job and its tasks declare"() {
        given:
        def j = job('j', [secrets: ['A']], task('t', [secrets: ['B', 'A']], 'true'), task('u', [secrets: ['C']], 'true'))
        def asked = []
        SecretSource source = { name, declared -> asked << [name, declared as List]; [A: '1', B: '2', D: 'x'] }

        expect:
        RunStarter.declaredSecrets(j) as List == ['A', 'B', 'C']
        RunStarter.secrets(j, source) == [A: '1', B: '2', D: 'x']
        asked == [['j', ['A', 'B', 'C']]]
    }

    def "a job that declares no secrets never asks the source"() {
        given:
        SecretSource refusing = { name, declared -> throw new IllegalStateException('asked') }

        expect:
        RunStarter.secrets(job('j', task('t', 'true')), refusing) == [:]
    }

    def "start creates the workspace, fills it, then runs the job in it"() {
        given:
        def j = job('j', task('t', 'true'))
        Path ws = tmp.resolve('fresh/ws')
        def start = new RunStart(j, RunStarter.parameters(j, [:]), new RunContext('j-1', 1, null, null, 'manual', 'j', 'p'),
                [:], ws, { Path dir -> Files.writeString(dir.resolve('seed.txt'), 'x') } as WorkspaceSource)

        when:
        def record = new RunStarter(f.engine, 2).start(start, RunListener.NONE).await()

        then:
        record.state() == RunState.SUCCEEDED
        Files.readString(ws.resolve('seed.txt')) == 'x'
        fake.started() == ['t']
    }
}

package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.model.Pos
import io.stoker.model.Publish
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** A run of some tasks: those named and what they need run, the job's others end skipped without running. */
@Timeout(60)
class TaskSelectionSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake)
    }

    static final def JOB = job('ci',
            task('build', 'make'),
            task('lint', 'lint'),
            task('test', [needs: ['build'], matrix: [jdk: '17']], 'test 17'),
            task('test', [needs: ['build'], matrix: [jdk: '21']], 'test 21'),
            task('gen', 'gen'),
            task('pack', [needs: ['test[jdk=17]', 'test[jdk=21]'], input: 'gen'], 'pack'),
            task('deploy', [needs: ['pack']], 'deploy'))

    def "a selection holds the tasks named and what they need, directly or not, pipe writers included, in job order"() {
        expect:
        TaskSelection.of(JOB, names).tasks() as List == tasks

        where:
        names                   | tasks
        ['build']               | ['build']
        ['test']                | ['build', 'test[jdk=17]', 'test[jdk=21]']
        ['test[jdk=21]']        | ['build', 'test[jdk=21]']
        ['pack']                | ['build', 'test[jdk=17]', 'test[jdk=21]', 'gen', 'pack']
        ['lint', 'test[jdk=17]'] | ['build', 'lint', 'test[jdk=17]']
    }

    def "no name selects every task; names that are no task of the job are told, with the closest name and the names it has"() {
        expect:
        TaskSelection.of(JOB, []).all()
        TaskSelection.unknown(JOB, ['tset', 'build', 'test[jdk=8]', 'tset']) == ['tset', 'test[jdk=8]']
        TaskSelection.names(JOB) == ['build', 'lint', 'test', 'test[jdk=17]', 'test[jdk=21]', 'gen', 'pack', 'deploy']
        TaskSelection.refusal(JOB, ['build', 'test']) == null
        TaskSelection.refusal(JOB, ['tset']) == "job 'ci' has no task 'tset' — did you mean 'test'? (tasks: build, lint, test, test[jdk=17], test[jdk=21], gen, pack, deploy)"
        TaskSelection.refusal(JOB, ['tset', 'x']).startsWith("job 'ci' has no tasks 'tset', 'x' (tasks: build, ")
        TaskSelection.refusal(JOB, ['zzzz']) == "job 'ci' has no task 'zzzz' (tasks: build, lint, test, test[jdk=17], test[jdk=21], gen, pack, deploy)"

        when:
        TaskSelection.of(JOB, ['tset'])

        then:
        thrown(IllegalArgumentException)
    }

    def "only the selected tasks run; the others end skipped, not selected, and the run succeeds"() {
        when:
        def run = f.engine.run(f.request(JOB).withSelection(TaskSelection.of(JOB, ['test[jdk=17]'])), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() as Set == ['build', 'test[jdk=17]'] as Set
        ['lint', 'test[jdk=21]', 'gen', 'pack', 'deploy'].every {
            run.task(it).state() == TaskState.SKIPPED && run.task(it).outcome().reason() == TaskSelection.SKIP_REASON
        }
        f.log(run, 'deploy').contains('not selected for this run')
    }

    def "a selected pipe writer runs without its reader, which is not selected"() {
        given:
        def j = job('p', task('w', 'produce'), task('r', [input: 'w'], 'consume'))

        when:
        def run = f.engine.run(f.request(j).withSelection(TaskSelection.of(j, ['w'])), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['w']
        run.task('r').state() == TaskState.SKIPPED
    }

    def "a task left out is skipped even when its when would run it after anything"() {
        given:
        def j = job('n', task('build', 'make'), task('notify', [needs: ['build'], when: 'always()'], 'notify'))

        when:
        def run = f.engine.run(f.request(j).withSelection(TaskSelection.of(j, ['build'])), RunListener.NONE)

        then:
        fake.started() == ['build']
        run.task('notify').state() == TaskState.SKIPPED
        run.task('notify').outcome().reason() == TaskSelection.SKIP_REASON
    }

    def "a run of some tasks publishes no version, and its log says why"() {
        given:
        def j = job('rel', [publish: new Publish('1.0', 0, 0, Pos.NONE)], task('build', 'true'), task('docs', 'true'))
        def real = new EngineFixture(tmp.resolve('real'))

        when:
        def run = real.engine.run(real.request(j).withSelection(TaskSelection.of(j, ['build'])), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        real.versions.list('p').isEmpty()
        real.log(run, 'docs').contains("publish: nothing published, as the run is of some of the job's tasks only (asked for: build)")

        cleanup:
        real?.close()
    }
}

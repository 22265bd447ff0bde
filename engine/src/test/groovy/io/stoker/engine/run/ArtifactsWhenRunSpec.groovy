package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.model.ArtifactsWhen
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A task's artifacts are collected after success, after failure or both, as its {@code artifacts when:} says; and a
 * matrix cell's steps see its values as {@code MATRIX_<AXIS>}. The engine with the real local executor.
 */
@Timeout(60) // a hang is a failure, not a stuck build
class ArtifactsWhenRunSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    /** A test step that writes its report, then fails with exit code 3. */
    static final String FAILING_TEST = 'mkdir -p reports && echo "attempt $STOKER_ATTEMPT" > reports/junit.xml && exit 3'

    private static Map<String, String> entries(String zip) {
        new ZipFile(zip).withCloseable { z -> z.entries().collectEntries { [it.name, z.getInputStream(it).text] } }
    }

    def "a failing task with artifacts when always has them collected, and still fails with its exit code"() {
        when:
        def run = f.run(job('j', task('test', [artifacts: ['reports/**'], artifactsWhen: ArtifactsWhen.ALWAYS],
                FAILING_TEST, 'echo never > reports/later.txt')))
        def zip = run.task('test').artifacts()

        then:
        run.state() == RunState.FAILED
        run.task('test').state() == TaskState.FAILED
        run.task('test').exitCode() == 3
        zip != null
        entries(zip) == ['reports/junit.xml': 'attempt 1\n']
        // kept as a failed run's artifacts are: staged, marked unpublished
        zip.contains('staged')
        Files.readString(Path.of(zip).resolveSibling('UNPUBLISHED')).contains('failed')
        f.log(run, 'test').contains('artifacts: 1 file kept as test.zip')
    }

    def "on-failure collects a failing task's artifacts"() {
        when:
        def run = f.run(job('j', task('test', [artifacts: ['reports/**'], artifactsWhen: ArtifactsWhen.ON_FAILURE],
                FAILING_TEST)))

        then:
        run.task('test').state() == TaskState.FAILED
        entries(run.task('test').artifacts()) == ['reports/junit.xml': 'attempt 1\n']
    }

    def "by default a failing task's artifacts are not collected"() {
        when:
        def run = f.run(job('j', task('test', [artifacts: ['reports/**']], FAILING_TEST)))

        then:
        run.task('test').state() == TaskState.FAILED
        Files.exists(f.workspace.resolve('reports/junit.xml'))
        run.task('test').artifacts() == null
        !f.log(run, 'test').contains('artifacts:')
    }

    def "on-failure collects nothing from a task that succeeds; always and the default do"() {
        when:
        def run = f.run(job('j',
                task('onFailure', [artifacts: ['a/**'], artifactsWhen: ArtifactsWhen.ON_FAILURE], 'mkdir -p a && echo ok > a/r.txt'),
                task('always', [artifacts: ['b/**'], artifactsWhen: ArtifactsWhen.ALWAYS], 'mkdir -p b && echo ok > b/r.txt'),
                task('onSuccess', [artifacts: ['c/**']], 'mkdir -p c && echo ok > c/r.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        Files.exists(f.workspace.resolve('a/r.txt'))
        run.task('onFailure').artifacts() == null
        entries(run.task('always').artifacts()) == ['b/r.txt': 'ok\n']
        entries(run.task('onSuccess').artifacts()) == ['c/r.txt': 'ok\n']
    }

    def "a retried task keeps the failure artifacts of its last attempt only"() {
        when:
        def run = f.run(job('j', task('test', [artifacts: ['reports/**'], artifactsWhen: ArtifactsWhen.ON_FAILURE, retry: 1],
                FAILING_TEST)))

        then:
        run.task('test').state() == TaskState.FAILED
        run.task('test').attempts() == 2
        entries(run.task('test').artifacts()) == ['reports/junit.xml': 'attempt 2\n']
        f.log(run, 'test').count('artifacts: 1 file kept as test.zip') == 1
    }

    def "a task that ran out of its time keeps what it wrote when its when keeps failures, and still times out"() {
        when:
        def run = f.run(job('j',
                task('always', [artifacts: ['a/**'], artifactsWhen: ArtifactsWhen.ALWAYS, timeout: EngineFixture.ms(3000)],
                        'mkdir -p a && echo partial > a/junit.xml && sleep 30'),
                task('onFailure', [artifacts: ['b/**'], artifactsWhen: ArtifactsWhen.ON_FAILURE, timeout: EngineFixture.ms(3000)],
                        'mkdir -p b && echo partial > b/junit.xml && sleep 30')))

        then:
        run.task('always').state() == TaskState.TIMEDOUT
        run.task('onFailure').state() == TaskState.TIMEDOUT
        entries(run.task('always').artifacts()) == ['a/junit.xml': 'partial\n']
        entries(run.task('onFailure').artifacts()) == ['b/junit.xml': 'partial\n']
        f.log(run, 'always').contains('artifacts: 1 file kept as always.zip')
    }

    def "by default a task that ran out of its time keeps no artifacts"() {
        when:
        def run = f.run(job('j', task('slow', [artifacts: ['reports/**'], timeout: EngineFixture.ms(3000)],
                'mkdir -p reports && echo partial > reports/junit.xml && sleep 30')))

        then:
        run.task('slow').state() == TaskState.TIMEDOUT
        Files.exists(f.workspace.resolve('reports/junit.xml'))
        run.task('slow').artifacts() == null
    }

    def "a timed-out attempt that is retried keeps nothing of it; the last attempt's artifacts are kept"() {
        when:
        def run = f.run(job('j', task('slow', [artifacts: ['reports/**'], artifactsWhen: ArtifactsWhen.ALWAYS, retry: 1,
                timeout: EngineFixture.ms(3000)],
                'mkdir -p reports && echo "attempt $STOKER_ATTEMPT" > reports/junit.xml && sleep 30')))

        then:
        run.task('slow').state() == TaskState.TIMEDOUT
        run.task('slow').attempts() == 2
        entries(run.task('slow').artifacts()) == ['reports/junit.xml': 'attempt 2\n']
        f.log(run, 'slow').count('artifacts: 1 file kept as slow.zip') == 1
    }

    def "a matrix cell's steps see each of its values as MATRIX_ and the axis upper-cased; env written for the task wins"() {
        when:
        def run = f.run(job('j',
                task('test', [matrix: [jdk: '21', 'node-version': '20.1', db: 'pg'], env: [MATRIX_DB: 'mine']],
                        'echo "jdk=$MATRIX_JDK node=$MATRIX_NODE_VERSION db=$MATRIX_DB"'),
                task('plain', 'echo "outside=${MATRIX_JDK-unset}"')))

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'test[jdk=21,node-version=20.1,db=pg]').contains(' out jdk=21 node=20.1 db=mine')
        f.log(run, 'plain').contains(' out outside=unset')
    }
}

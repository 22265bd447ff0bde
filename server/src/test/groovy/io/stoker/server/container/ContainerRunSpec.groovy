package io.stoker.server.container

import io.stoker.container.ContainerEngine
import io.stoker.container.ContainerExecutor
import io.stoker.container.ContainerImageSteps
import io.stoker.container.ContainerSettings

import io.stoker.container.fixtures.Podman
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskState
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.server.container.Jobfiles.job

import static io.stoker.engine.fixtures.EngineFixture.await

/** Whole runs of Jobfiles whose tasks name an image, on the real engine with the container executor. */
@Timeout(240)
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class ContainerRunSpec extends Specification {

    @TempDir
    Path tmp

    String label = 'run-' + UUID.randomUUID()
    ContainerExecutor executor
    @AutoCleanup
    EngineFixture f

    def setup() {
        def scratch = Files.createDirectories(tmp.resolve('scratch'))
        executor = new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), Optional.of(Podman.engine()),
                ContainerSettings.defaults().withOwner(label))
        f = new EngineFixture(tmp, executor)
    }

    def cleanup() {
        executor?.reapLeftovers()
    }


    def "a container task pipes into a host task and back, and its outputs and artifacts work as on the host"() {
        when:
        def run = f.run(job("""\
job('j') {
  task('gen') {
    image '${Podman.IMAGE}'; pull 'never'
    sh 'seq 1 5; echo n=\$(seq 1 5 | wc -l) >> "\$STOKER_OUTPUT"; mkdir -p out; echo made > out/a.txt'
    artifacts 'out/**'
  }
  task('count') { input from: 'gen'; sh 'wc -l | tr -d " "' }
  task('host') { sh 'echo from-host' }
  task('back') { image '${Podman.IMAGE}'; pull 'never'; input from: 'host'; sh 'tr a-z A-Z' }
}
"""))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('gen').outputs().n == '5'
        f.log(run, 'gen').contains("running in $Podman.IMAGE")
        f.log(run, 'count').contains('5')
        f.log(run, 'back').contains('FROM-HOST')
        run.task('gen').artifacts() != null
        Podman.containers(label).isEmpty() || await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "a task whose image cannot be pulled fails with the reason, which its log says once"() {
        given: 'a port on 127.0.0.1 that refuses connections (held, so no other server takes it)'
        def refused = new ClosedPort()
        int port = refused.port

        when:
        def run = f.run(job("""job('j') { task('t') { image '127.0.0.1:$port/x/y:1'; sh 'echo ran' } }"""))
        def log = f.log(run, 't')

        then:
        run.task('t').state() == TaskState.FAILED
        run.task('t').outcome().reason() == "cannot pull image '127.0.0.1:$port/x/y:1': the registry 127.0.0.1:$port cannot be reached (connection refused)"
        log.count('cannot be reached') == 1
        log.readLines().last().contains('failed: cannot pull image')
        !log.contains(' out ran')

        cleanup:
        refused?.close()
    }

    def "a task in an image running past its timeout is timed out and its container removed"() {
        when: 'a limit of 15 s, not 3 s: the container must be started (seconds under load) and touch its file before it'
        def run = f.run(job("""\
job('j') {
  task('slow') { image '${Podman.IMAGE}'; pull 'never'; timeout seconds: 15; sh 'touch started; sleep 300' }
}
"""))

        then:
        run.task('slow').state() == TaskState.TIMEDOUT
        Files.exists(f.workspace.resolve('started'))
        await(20_000) { Podman.containers(label).isEmpty() }
    }

    def "cancelling a run kills the task's container and its services"() {
        given:
        def handle = f.engine.start(f.request(job("""\
job('j') {
  image '${Podman.IMAGE}'
  pull 'never'
  task('a') {
    services { idle image: '${Podman.IMAGE}', command: ['sleep', '300'] }
    sh 'touch started; sleep 300'
  }
}
""")), RunListener.NONE)
        assert await(60_000) { Files.exists(f.workspace.resolve('started')) }
        assert Podman.containers(label).size() == 2

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('a').state() == TaskState.CANCELLED
        await(20_000) { Podman.containers(label).isEmpty() }
    }
}

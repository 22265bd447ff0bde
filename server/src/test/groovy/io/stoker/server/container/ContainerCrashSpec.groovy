package io.stoker.server.container

import io.stoker.container.fixtures.Podman
import io.stoker.server.Http
import io.stoker.server.ServerProcess
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path

/**
 * A real server JVM killed with SIGKILL while a task runs in a container with a service: both containers outlive
 * it, and the next server on the same data directory removes them before it runs anything.
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class ContainerCrashSpec extends Specification {
    @TempDir Path dir
    ServerProcess server
    String runKey

    def cleanup() {
        server?.kill()
        if (runKey) containersOf(runKey).each { Podman.podman('rm', '-f', '-t', '0', it) }
    }

    static List<String> containersOf(String runKey) {
        Podman.podman('ps', '-a', '-q', '--filter', "label=io.stoker.run=$runKey").out.readLines()*.trim().findAll()
    }

    ServerProcess start(Path data) {
        ServerProcess.start(data, [CONTAINERS_CONF: Podman.containersConf().toString()])
    }

    def "a crash leaves the task's containers, and the next server on the data directory removes them"() {
        given:
        Podman.engine() // imports the busybox test image once
        Path data = dir.resolve('data')
        server = start(data)
        def http = Http.loggedIn(server.url)
        String jobfile = """
job('j') {
  task('t') {
    image '${Podman.IMAGE}'
    pull 'never'
    services { idle image: '${Podman.IMAGE}', command: ['sleep', '300'] }
    sh 'echo started; sleep 300'
  }
}"""
        def created = http.post('/projects', [name: 'crash-img', jobfile: jobfile])
        assert created.status == 201, created.text
        runKey = http.post('/projects/crash-img/jobs/j/runs', [:]).json.key
        Http.eventually(120_000) { http.get("/runs/$runKey/tasks/t/log").text.contains('started') }

        when: 'the server is killed with SIGKILL'
        server.kill()

        then: 'its task and service containers are still there'
        containersOf(runKey).size() == 2

        when: 'another server starts on the same data directory'
        server = start(data)
        http = Http.loggedIn(server.url)

        then: 'nothing of the run is left running, and the run says why it ended'
        containersOf(runKey).isEmpty()
        Http.eventually(60_000) { http.get("/runs/$runKey").json.status == 'failed' }
    }
}

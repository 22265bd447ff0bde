package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.ServerProcess
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real server JVM killed with {@code kill -9} while a deployment waits for its healthcheck: after a restart on the
 * same data the history shows that deployment closed as interrupted (with the reason), the version is not marked bad
 * and nothing was rolled back; the service it had started is adopted, and the next deployment there stops it.
 */
class DeploymentCrashSpec extends Specification {
    @TempDir Path dir
    ServerProcess server
    List<ProcessHandle> left = []

    def cleanup() {
        server?.kill()
        // the killed server's children (the deployment's shell, the service): stopped by their PIDs
        left.findAll { it.alive }.each { it.destroyForcibly() }
        servicePid().flatMap { ProcessHandle.of(it) }.ifPresent { p ->
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
        }
    }

    Optional<Long> servicePid() {
        Path pid = dir.resolve('data/deployments/shop/local/service.pid')
        try {
            // the file may be there and still empty (being written): that is no PID yet, not an error
            Optional.of(Long.parseLong(Files.readString(pid).lines().findFirst().orElse('').trim()))
        } catch (IOException | NumberFormatException ignored) {
            Optional.<Long> empty()
        }
    }

    static boolean alive(long pid) {
        ProcessHandle.of(pid).map { it.alive }.orElse(false)
    }

    def "a deployment cut short by kill -9 is closed as interrupted after the restart, its version not judged and its service adopted"() {
        given: 'version 1.0 of a project whose target is healthy only once a file exists'
        Path data = dir.resolve('data')
        Path healthy = dir.resolve('healthy')
        String jobfile = """
job('release') {
  parameters { string 'V', defaultValue: '1.0' }
  publish version: '\${{ params.V }}', keepLast: 1
  task('build') { sh 'echo app > app.txt'; artifacts 'app.txt' }
}
deploy('local') {
  run 'sleep 600'
  healthcheck 'test -f $healthy', within: 600
}
"""
        server = ServerProcess.start(data)
        Http http = Http.loggedIn(server.url)
        // the first Jobfile a fresh server JVM compiles can hit the compile time limit on a loaded machine: ask again
        Http.eventually(120_000) { http.post('/projects', [name: 'shop', jobfile: jobfile]).status == 201 ?: null }
        String release = http.post('/projects/shop/jobs/release/runs', [:]).json.key
        assert Http.eventually(120_000) { http.get("/runs/$release").json.status in ['succeeded', 'failed'] ?: null }
        assert http.get('/projects/shop/versions/1.0').status == 200

        when: 'a deployment has started the service and waits for its healthcheck'
        def deployment = http.post('/projects/shop/deployments', [version: '1.0', target: 'local']).json
        long service = Http.eventually(120_000) { servicePid().orElse(null) }
        assert http.get('/projects/shop/deployments').json.deployments*.state == ['running']
        left = server.process.toHandle().descendants().toList()
        assert new ProcessBuilder('kill', '-9', server.process.pid() as String).inheritIO().start().waitFor() == 0
        assert server.process.waitFor(30, TimeUnit.SECONDS)

        and: 'the server starts again on the same data'
        server = ServerProcess.start(data)
        http = new Http(server.url, http.token)
        def history = http.get('/projects/shop/deployments').json.deployments

        then: 'the deployment is closed as interrupted, with the reason'
        history.size() == 1
        history[0].id == deployment.id
        history[0].state == 'interrupted'
        history[0].detail.startsWith('server restarted during the deployment: version 1.0 was not judged')
        history[0].endedAt != null
        http.get("/runs/$deployment.run").json.with { [status, reason] } == ['failed', 'server restarted']

        and: 'the crash is not the version\'s fault: it is not marked bad and nothing was rolled back'
        http.get('/projects/shop/versions/1.0').json.status == 'new'

        and: 'the service it started still runs, its PID kept for the next deployment'
        alive(service)
        servicePid() == Optional.of(service)

        when: 'a newer version is published with keepLast: 1'
        String newer = http.post('/projects/shop/jobs/release/runs', [parameters: [V: '2.0']]).json.key
        assert Http.eventually(120_000) { http.get("/runs/$newer").json.status in ['succeeded', 'failed'] ?: null }

        then: 'retention keeps 1.0: it may be running on the target'
        http.get('/projects/shop/versions').json.versions*.version == ['2.0', '1.0']

        when: 'the target is deployed again, now healthy'
        Files.writeString(healthy, 'ok')
        def again = http.post('/projects/shop/deployments', [version: '1.0', target: 'local']).json
        def judged = Http.eventually(120_000) {
            http.get('/projects/shop/deployments').json.deployments.find { it.id == again.id && it.state != 'running' }
        }

        then: 'the adopted service was stopped and the new one judged good'
        judged.state == 'good'
        !alive(service)
        servicePid().map { alive(it) }.orElse(false)
        http.get('/projects/shop/versions/1.0').json.status == 'good'
    }
}

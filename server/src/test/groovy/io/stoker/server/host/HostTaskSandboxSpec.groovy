package io.stoker.server.host

import io.stoker.engine.exec.SandboxedLocalExecutorSpec
import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.Requires
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

/**
 * STOKER_TASK_SANDBOX=bwrap: a Jobfile's tasks on the server's machine cannot read the server's keys, database or
 * other runs' workspaces, and still build in their own workspace.
 */
@Requires({ SandboxedLocalExecutorSpec.bubblewrapWorks() })
class HostTaskSandboxSpec extends ServerSpecification {

    @TempDir
    Path elsewhere

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), Clock.systemUTC(), System.getenv() + [STOKER_TASK_SANDBOX: 'bwrap'])
    }

    def "a task cannot read the server's signing key or database, and builds in its own workspace"() {
        given:
        assert Files.exists(dataDir.resolve('jwt.key'))
        freestyle('nosy', """
job('peek') {
  task('look') {
    sh 'cat ${dataDir}/jwt.key 2>/dev/null && echo "KEY READ" || echo "no key"'
    sh 'ls ${dataDir}/*.db 2>/dev/null | wc -l'
    sh 'echo made > here.txt && cat here.txt && echo "\$STOKER_WORKSPACE" | grep -q "^${dataDir}/" && echo "in data"'
    sh 'echo ok >> "\$STOKER_OUTPUT"'
  }
}""")

        when:
        def run = awaitEnd(trigger('nosy', 'peek'))
        def log = http.get("/runs/${run.key}/tasks/look/log").text

        then:
        run.status == 'succeeded'
        log.contains('no key')
        !log.contains('KEY READ')
        log.readLines().any { it.endsWith(' 0') || it.trim() == '0' }
        log.contains('made')
        log.contains('in data')
    }

    def "a local deployment writes its release into the data directory and leaves its service running"() {
        given: 'version 1.0 of a project with a service target on this machine'
        freestyle('shop', """
job('release') {
  publish version: '1.0', keepLast: 1
  task('build') { sh 'echo app > app.txt'; artifacts 'app.txt' }
}
deploy('local') {
  run 'sleep 600'
  healthcheck 'true', within: 60
}""")
        assert awaitEnd(trigger('shop', 'release')).status == 'succeeded'

        when:
        assert http.post('/projects/shop/deployments', [version: '1.0', target: 'local']).status == 202
        def state = Http.eventually(60_000) {
            def d = http.get('/projects/shop/deployments').json.deployments[0]
            d?.state == 'running' ? null : d.state
        }
        Path target = dataDir.resolve('deployments/shop/local')
        long service = Files.readAllLines(target.resolve('service.pid')).first().trim() as long

        then: 'the release is in the real data directory, and the service runs on after the deployment'
        state == 'good'
        target.resolve('releases/1.0/app.txt').text == 'app\n'
        ProcessHandle.of(service).map { it.alive }.orElse(false)

        cleanup:
        // the recorded PID is the service's shell: its child (the sleep) is stopped too, not left for ten minutes
        if (service) ProcessHandle.of(service).ifPresent { p ->
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
        }
    }

    def "a setting the server does not know stops it at start with the one sentence to fix it"() {
        when:
        StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(elsewhere).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD)), Clock.systemDefaultZone(), Clock.systemUTC(),
                System.getenv() + [STOKER_TASK_SANDBOX: 'docker']).close()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_TASK_SANDBOX must be off, auto or bwrap, not 'docker'"
    }
}

package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Two real servers of a cluster share the data directory and so the services deployed to this machine: one leaving
 * cleanly (a rolling restart) stops none of them, while the other still reports them good.
 */
@Requires({ TestPostgres.available() })
class ClusterDeploySpec extends Specification {
    @TempDir Path dataDir
    TestPostgres pg = MigratedPostgres.create()
    List<ServerJvm> servers = []

    def cleanup() {
        servers.each { it.close() }
        servicePid().flatMap { ProcessHandle.of(it) }.ifPresent { p ->
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
        }
        pg.close()
    }

    ServerJvm start() {
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Xshare:auto'],
                [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process', STOKER_CLUSTER_LEASE: ClusterLeases.STEADY])
    }

    Optional<Long> servicePid() {
        try {
            Optional.of(Long.parseLong(Files.readAllLines(dataDir.resolve('deployments/shop/local/service.pid')).first().trim()))
        } catch (IOException | NumberFormatException ignored) {
            Optional.<Long> empty()
        }
    }

    def "a cluster server's clean stop leaves running the service deployed to this machine, which the others report good"() {
        given: 'two servers; version 1.0 deployed through the first as a service, and good'
        servers.addAll(ServerJvm.startCluster(2) { start() })
        def (a, b) = servers
        assert a.http.post('/projects', [name: 'shop', jobfile: """
job('release') {
  publish version: '1.0'
  task('build') { sh 'echo app > app.txt'; artifacts 'app.txt' }
}
deploy('local') {
  run 'sleep 600'
  healthcheck 'true', within: 60
}
"""]).status == 201
        String release = a.http.post('/projects/shop/jobs/release/runs', [:]).json.key
        assert Http.eventually(60_000) { a.http.get("/runs/$release").json.status in ['succeeded', 'failed'] ? a.http.get("/runs/$release").json.status : null } == 'succeeded'
        assert a.http.post('/projects/shop/deployments', [version: '1.0', target: 'local']).status == 202
        assert Http.eventually(60_000) { a.http.get('/projects/shop/deployments').json.deployments[0].state == 'good' ?: null }
        long service = servicePid().get()

        when: 'the first server stops cleanly (SIGTERM), as in a rolling restart'
        a.process.destroy()
        assert a.process.waitFor(60, TimeUnit.SECONDS)

        then: 'the service runs on, and the other server reports it good'
        ProcessHandle.of(service).map { it.alive }.orElse(false)
        b.http.get('/projects/shop/deployments').json.deployments[0].state == 'good'
        servicePid().get() == service
    }
}

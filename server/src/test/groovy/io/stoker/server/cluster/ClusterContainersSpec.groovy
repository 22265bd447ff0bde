package io.stoker.server.cluster

import io.stoker.container.fixtures.Podman
import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.store.postgres.TestPostgres
import spock.lang.IgnoreIf
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The servers of a cluster on one machine share the data directory and the container engine: each labels its task
 * containers as its own, so a server that joins (or starts again after a crash) leaves the others' running tasks
 * alone, and the containers of a server that is gone are removed once its runs are taken over.
 */
@Timeout(300)
@Requires({ TestPostgres.available() })
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class ClusterContainersSpec extends Specification {
    @TempDir Path dataDir
    TestPostgres pg = MigratedPostgres.create()
    List<ServerJvm> servers = []
    String runKey

    def cleanup() {
        servers.each { it.close() }
        if (runKey) containersOf(runKey).each { Podman.podman('rm', '-f', '-t', '0', it) }
        pg.close()
    }

    static List<String> containersOf(String runKey) {
        Podman.podman('ps', '-a', '-q', '--filter', "label=io.stoker.run=$runKey").out.readLines()*.trim().findAll()
    }

    ServerJvm start() {
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Xshare:auto'],
                [STOKER_DB: pg.dbUrl().toString(), STOKER_COMPILER: 'in-process', STOKER_CLUSTER_LEASE: '3s',
                 CONTAINERS_CONF: Podman.containersConf().toString()])
    }

    def "a server joining leaves another's container task running; the containers of a killed server are removed"() {
        given: 'one server running a task in a container'
        Podman.engine() // imports the busybox test image once
        servers << start()
        def first = servers[0]
        def made = first.http.post('/projects', [name: 'boxes', jobfile: """
job('long') {
  task('t') {
    image '${Podman.IMAGE}'
    pull 'never'
    sh 'echo started; sleep 300'
  }
}""".toString()])
        assert made.status == 201, made.text
        runKey = first.http.post('/projects/boxes/jobs/long/runs', [:]).json.key
        Http.eventually(120_000) { first.http.get("/runs/$runKey/tasks/t/log").text.contains('started') }
        String firstId = first.http.get('/cluster').json.servers.find { it.address == first.url() }.id

        when: 'a second server joins on the same data directory and database (it listens once its start-up sweep is done)'
        servers << start()
        def second = servers[1]

        then: "the first server's task is still running, in its container"
        containersOf(runKey).size() == 1
        first.http.get("/runs/$runKey").json.status == 'running'
        !second.output.any { it.contains('removed') && it.contains('left by') }

        when: 'the first server is killed (SIGKILL: its container outlives it)'
        first.process.destroyForcibly()
        assert first.process.waitFor(30, TimeUnit.SECONDS)

        then: 'the second server takes its run over as lost and removes the container it left'
        Http.eventually(60_000) { second.http.get("/runs/$runKey").json.status == 'failed' }
        second.http.get("/runs/$runKey").json.reason == "server $firstId lost"
        Http.eventually(60_000) { containersOf(runKey).isEmpty() }
    }
}

package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.server.auth.OpenStream
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Two real servers on one PostgreSQL database and data directory: a client of either one follows a log, cancels a
 * run and decides an approval gate of a run the other one holds, and hears the verdict on a deployment the other
 * one judged (events cross over LISTEN/NOTIFY).
 */
@Requires({ TestPostgres.available() })
class ClusterEventsSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared TestPostgres pg
    @Shared List<ServerJvm> servers = []

    def setupSpec() {
        pg = MigratedPostgres.create()
        Map env = [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process',
                   STOKER_CLUSTER_LEASE: ClusterLeases.STEADY]
        servers << ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], env)
        servers << ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], env)
        def made = servers[0].http.post('/projects', [name: 'ev', jobfile: '''
            job('lines') { task('t') { sh 'for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 0.25; done' } }
            job('long') { task('t') { sh 'sleep 60' } }
            job('gate') { task('t') { approval 'ship it?'; sh 'echo shipped' } }
        '''])
        assert made.status == 201, made.text
    }

    def cleanupSpec() {
        servers.each { it.close() }
        pg?.close()
    }

    /** Triggers a run and returns its key with the server holding it and the other one, once it runs. */
    List started(String job) {
        String key = servers[0].http.post("/projects/ev/jobs/$job/runs", [:]).json.key
        Http.eventually { servers[0].http.get("/runs/$key").json.status == 'running' }
        def holderId = Http.eventually {
            servers[0].http.get('/cluster').json.servers.find { it.runsHeld > 0 }?.id
        }
        def addresses = servers[0].http.get('/cluster').json.servers.collectEntries { [(it.id): it.address] }
        ServerJvm holder = servers.find { it.url() == addresses[holderId] }
        [key, holder, servers.find { it != holder }]
    }

    def "a log followed on one server shows every line a task on the other writes, as it comes, and ends with the run"() {
        when:
        def (key, holder, other) = started('lines')
        def text = other.http.get("/runs/$key/tasks/t/log?follow=true").text

        then:
        text.readLines().findAll { it.contains(' out line ') }*.replaceFirst(/.* out /, '') == (1..8).collect { "line $it" }
        other.http.get("/runs/$key").json.status == 'succeeded'
    }

    def "a run held by one server is cancelled through the other"() {
        when:
        def (key, holder, other) = started('long')
        def cancel = other.http.delete("/runs/$key")

        then:
        cancel.status == 202
        cancel.json.status == 'cancelling'
        Http.eventually { other.http.get("/runs/$key").json.status == 'cancelled' }
    }

    def "an approval gate waiting on one server is decided through the other"() {
        when:
        def (key, holder, other) = started('gate')
        Http.eventually { other.http.get("/runs/$key").json.tasks.t.status == 'waiting' }
        def approve = other.http.post("/runs/$key/tasks/t/approve", [comment: 'from the other server'])

        then:
        approve.status == 200
        def run = Http.eventually {
            def r = other.http.get("/runs/$key").json
            r.status in ['succeeded', 'failed'] ? r : null
        }
        run.status == 'succeeded'
        run.tasks.t.approval.decidedBy == 'admin'
    }

    def "a deployment's verdict is told on the /events of both servers, whichever judged it"() {
        given: 'a published version, and both servers\' event streams open'
        assert servers[0].http.post('/projects', [name: 'dep', jobfile: """
job('release') { publish version: '1.0'; task('build') { sh 'echo app > app.txt'; artifacts 'app.txt' } }
deploy('web') { run 'true' }
"""]).status == 201
        String release = servers[0].http.post('/projects/dep/jobs/release/runs', [:]).json.key
        assert Http.eventually(60_000) {
            String status = servers[0].http.get("/runs/$release").json.status
            status in ['succeeded', 'failed'] ? status : null
        } == 'succeeded'
        def streams = servers.collect { OpenStream.open(it.http, '/events') }

        when:
        def deployed = servers[0].http.post('/projects/dep/deployments', [version: '1.0', target: 'web'])
        assert deployed.status == 202, deployed.text

        then: 'each stream tells it good, the server that ran it and the other alike'
        streams.every { s ->
            def told = Http.eventually(60_000) { s.events('deployment').find { it.run == deployed.json.run } }
            told.verdict == 'good' && told.version == '1.0' && told.target == 'web' && told.deployment == deployed.json.id
        }

        cleanup:
        streams*.close()
    }

    def "a log followed on one server still ends with the task when that server's LISTEN connection keeps dropping"() {
        when: 'a task writes its lines on one server while every LISTEN connection of the cluster is cut again and again'
        def (key, holder, other) = started('lines')
        boolean cutting = true
        int cuts = 0
        def cutter = Thread.start {
            for (int i = 0; i < 600 && cutting; i++) { // a listener opens again a second after a cut
                cuts += pg.terminate('LISTEN stoker_cluster')
                Thread.sleep(50)
            }
        }
        def follow = java.util.concurrent.CompletableFuture.supplyAsync { other.http.get("/runs/$key/tasks/t/log?follow=true").text }
        String text = null
        try {
            text = follow.get(60 * Http.TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.SECONDS) // without the re-read: for ever
        } finally {
            cutting = false
            cutter.join()
        }

        then: 'every line came, and the follow ended although the end event was most likely lost to it'
        cuts > 0
        text.readLines().findAll { it.contains(' out line ') }*.replaceFirst(/.* out /, '') == (1..8).collect { "line $it" }
        Http.eventually { other.http.get("/runs/$key").json.status == 'succeeded' }
    }
}

package io.stoker.server.retention

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.api.ReplySchemas

import java.nio.file.Files
import java.time.Clock

/** A server keeping the newest two finished runs of each job (STOKER_KEEP_RUNS=2). */
class RunRetentionSpec extends ServerSpecification {

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), Clock.systemUTC(), System.getenv() + [STOKER_KEEP_RUNS: '2'])
    }

    def "older runs of a job go, rows, logs and artifacts, once newer ones end; numbers go on"() {
        given:
        freestyle('kept', '''
job('build') { task('make') { sh 'echo built > out.txt'; artifacts 'out.txt' } }
job('other') { task('t') { sh 'true' } }''')
        def other = awaitEnd(trigger('kept', 'other'))
        def keys = (1..4).collect { awaitEnd(trigger('kept', 'build')).key as String }

        when: 'the fourth run ended'
        Http.eventually { http.get('/runs?project=kept&job=build').json.runs.size() == 2 ?: null }

        then: 'the newest two of that job stay; the other job keeps its one run'
        http.get('/runs?project=kept&job=build').json.runs*.number == [4, 3]
        http.get("/runs/${other.key}").status == 200

        and: 'the older two answer 404, by key and by number, and their files are gone'
        keys.take(2).every { http.get("/runs/$it").status == 404 && !Files.exists(dataDir.resolve("runs/$it")) }
        http.get('/projects/kept/jobs/build/runs/1').status == 404
        keys.drop(2).every { Files.exists(dataDir.resolve("runs/$it")) }
        http.get("/runs/${keys[3]}/artifacts").json.toString().contains("make")

        when: 'the next run'
        def next = awaitEnd(trigger('kept', 'build'))

        then:
        next.number == 5
        Http.eventually { http.get('/runs?project=kept&job=build').json.runs*.number == [5, 4] ?: null }
    }

    def "a deployment whose run was discarded keeps naming it by key, its number null; the others say theirs"() {
        given: 'three deployments to staging: the oldest one\'s run goes, as deploy-staging keeps two'
        freestyle('shipped', """
job('release') { publish(); task('b') { sh 'echo app > app.txt'; artifacts 'app.txt' } }
deploy('staging') { run 'true' }""")
        assert awaitEnd(trigger('shipped', 'release')).status == 'succeeded'
        List<Map> deployed = (1..3).collect {
            def r = http.post('/projects/shipped/deployments', [version: '1', target: 'staging'])
            assert r.status == 202, r.text
            Http.eventually { http.get("/projects/shipped/deployments/${r.json.id}").json.state == 'good' ?: null }
            r.json
        }
        Http.eventually { http.get('/runs?project=shipped&job=deploy-staging').json.runs.size() == 2 ?: null }

        when:
        def list = http.get('/projects/shipped/deployments')
        def first = http.get("/projects/shipped/deployments/${deployed[0].id}")
        def target = http.get('/projects/shipped/targets')

        then: 'newest first: runs 3 and 2 by number, the discarded one by its key alone'
        list.json.deployments*.run == deployed.reverse()*.run
        list.json.deployments*.runNumber == [3, 2, null]
        list.json.deployments*.job == ['deploy-staging'] * 3
        first.json.run == deployed[0].run
        first.json.containsKey('runNumber') && first.json.runNumber == null
        target.json.targets[0].current.runNumber == 3

        and: 'each as the document describes it'
        ReplySchemas.problems('GET', '/projects/{project}/deployments', 200, list.text) == []
        ReplySchemas.problems('GET', '/projects/{project}/deployments/{id}', 200, first.text) == []
        ReplySchemas.problems('GET', '/projects/{project}/targets', 200, target.text) == []
    }
}

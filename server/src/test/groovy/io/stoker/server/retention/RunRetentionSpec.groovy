package io.stoker.server.retention

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer

import java.nio.file.Files
import java.time.Clock

/** A server keeping the newest two finished runs of each job (STOKER_KEEP_RUNS=2). */
class RunRetentionSpec extends ServerSpecification {

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(config, Clock.systemDefaultZone(), Clock.systemUTC(), System.getenv() + [STOKER_KEEP_RUNS: '2'])
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
}

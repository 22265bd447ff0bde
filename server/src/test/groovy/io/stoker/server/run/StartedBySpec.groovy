package io.stoker.server.run

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * A run says who started it ({@code startedBy}): the user whose token triggered or reran it, and nobody for a run a
 * trigger started (an upstream run's after trigger here). Stored beside the run's metadata, which stays as the caller
 * gave it.
 */
class StartedBySpec extends ServerSpecification {
    static final String PW = 'correct-horse-battery'
    @Shared Http dana

    def setupSpec() {
        freestyle('shop', '''
job('build') {
  task('t') { sh 'true' }
}
job('after-build') {
  triggers { after 'build' }
  task('t') { sh 'true' }
}
job('release') {
  publish version: '1.0.0'
  task('t') { sh 'mkdir -p dist && echo app > dist/app.txt'; artifacts 'dist/**' }
}
deploy('once') { run 'true' }
''')
        assert http.post('/users', [username: 'dana', password: PW, role: 'developer']).status == 201
        assert http.put('/projects/shop/members/dana', null).status in [200, 201, 204]
        dana = http.logIn('dana', PW)
    }

    def "a run a developer triggers names her as startedBy, and the run its after trigger starts names nobody"() {
        when:
        def reply = dana.post('/projects/shop/jobs/build/runs', [metadata: [ticket: 'SHOP-7']])

        then:
        reply.status == 201
        String key = reply.json.key
        with(awaitEnd(key)) {
            status == 'succeeded'
            trigger == 'api'
            startedBy == 'dana'
            metadata == [ticket: 'SHOP-7']
        }
        http.get('/runs?project=shop&job=build').json.runs.find { it.key == key }.startedBy == 'dana'

        and: 'the downstream run was started by its trigger, not by a person'
        def downstream = Http.eventually {
            http.get('/runs?project=shop&job=after-build').json.runs.find { it.metadata?.upstream?.run == key }
        }
        downstream.trigger == 'upstream'
        !downstream.containsKey('startedBy')
        !http.get("/runs/${downstream.key}").json.containsKey('startedBy')
    }

    def "a rerun names who reran it, not who started the run it repeats"() {
        given:
        String first = trigger('shop', 'build')
        awaitEnd(first)

        when:
        def reply = dana.post("/runs/$first/rerun", [:])

        then:
        reply.status == 201
        http.get("/runs/$first").json.startedBy == 'admin'
        with(http.get("/runs/${reply.json.key}").json) {
            trigger == 'rerun'
            startedBy == 'dana'
        }
    }

    def "a deployment's run names who deployed"() {
        given:
        assert awaitEnd(trigger('shop', 'release')).status == 'succeeded'

        when:
        def reply = dana.post('/projects/shop/deployments', [version: '1.0.0', target: 'once'])

        then:
        reply.status == 202
        with(awaitEnd(reply.json.run as String)) {
            trigger == 'deploy'
            startedBy == 'dana'
        }
    }
}

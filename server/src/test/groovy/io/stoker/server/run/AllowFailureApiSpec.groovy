package io.stoker.server.run

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas

/**
 * A task allowed to fail, over HTTP: its run succeeds, the API shows the failed task as an allowed failure (and the
 * job's graph its allowFailure), as openapi.json describes, and a server started again on the same data still does.
 */
class AllowFailureApiSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('ci') {
  task('lint')  { allowFailure true; sh 'echo lint found 3 problems; exit 3' }
  task('build') { needs 'lint'; sh 'echo built' }
}
job('strict') {
  task('lint')  { sh 'exit 3' }
  task('build') { needs 'lint'; sh 'echo built' }
}
'''

    def "a failed task allowed to fail shows allowedFailure, its run succeeds, and both survive a restart"() {
        given:
        freestyle('tolerant', JOBFILE)

        when:
        String key = trigger('tolerant', 'ci')
        def run = awaitEnd(key)

        then: 'the run succeeded; lint is failed, and said to be allowed to'
        run.status == 'succeeded'
        run.tasks.lint.status == 'failed'
        run.tasks.lint.exitCode == 3
        run.tasks.lint.allowedFailure == true
        run.tasks.build.status == 'succeeded'
        !run.tasks.build.containsKey('allowedFailure')
        ReplySchemas.problems('GET', '/runs/{key}', 200, http.get("/runs/$key").text) == []

        and: 'the definition says allowFailure where the API shows the graph'
        def graph = http.get("/runs/$key/graph")
        graph.json.tasks.find { it.name == 'lint' }.allowFailure == true
        !graph.json.tasks.find { it.name == 'build' }.containsKey('allowFailure')
        ReplySchemas.problems('GET', '/runs/{key}/graph', 200, graph.text) == []
        http.get('/projects/tolerant/jobs/ci').json.graph.tasks.find { it.name == 'lint' }.allowFailure == true

        when: 'a task not allowed to fail fails'
        def strict = awaitEnd(trigger('tolerant', 'strict'))

        then:
        strict.status == 'failed'
        strict.tasks.lint.status == 'failed'
        !strict.tasks.lint.containsKey('allowedFailure')
        strict.tasks.build.status == 'skipped'

        when: 'the server is started again on the same data'
        server.close()
        server = startServer(sameConfig())
        http = newHttp(server.url())

        then: 'the stored task still says so'
        def again = http.get("/runs/$key").json
        again.status == 'succeeded'
        again.tasks.lint.status == 'failed'
        again.tasks.lint.allowedFailure == true
        !http.get("/runs/${strict.key}").json.tasks.lint.containsKey('allowedFailure')
    }

    /** The settings {@link ServerSpecification#setupSpec} started the server with, on the same data. */
    private ServerConfig sameConfig() {
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(slots())
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)
        postgres ? config.withDb(postgres.dbUrl()) : config
    }
}

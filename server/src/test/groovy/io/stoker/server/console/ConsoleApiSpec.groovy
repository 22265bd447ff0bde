package io.stoker.server.console

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The resources the web pages read besides the others: log windows and search, a run's graph, job health,
 * executor status, live validation, badges of public projects and saved views; and the pages themselves at /.
 */
class ConsoleApiSpec extends ServerSpecification {
    @Shared String key

    def setupSpec() {
        freestyle('demo', '''
job('build') {
  parameters { string 'who', defaultValue: 'world' }
  task('gen') { sh 'for i in $(seq 1 3000); do echo "line $i"; done; printf "\\033[31mred\\033[0m\\n"' }
  task('after') { needs 'gen'; sh 'echo done' }
}
''')
        key = trigger('demo', 'build')
        assert awaitEnd(key).status == 'succeeded'
    }

    def "a log window gives lines by number, counting from 1, with the total"() {
        when:
        def w = http.get("/runs/$key/tasks/gen/log/lines?from=2&count=3").json

        then:
        w.from == 2
        w.total >= 3001
        w.lines.size() == 3
        w.lines.every { it ==~ /\S+ (out|err|system) .*/ }
        w.lines.collect { it.split(' ', 3)[2] } == ['line 1', 'line 2', 'line 3'] ||
                w.lines.collect { it.split(' ', 3)[2] } == ['line 2', 'line 3', 'line 4']

        and: 'past the end is an empty window, not an error'
        http.get("/runs/$key/tasks/gen/log/lines?from=999999").json.lines == []
    }

    def "search finds matching lines on the server and says when it stopped early"() {
        when:
        def all = http.get("/runs/$key/tasks/gen/log/search?q=LINE%20299").json
        def few = http.get("/runs/$key/tasks/gen/log/search?q=line&limit=5").json

        then:
        all.matches*.text.collect { it.split(' ', 3)[2] } as Set == ['line 299', 'line 2990', 'line 2991', 'line 2992',
                'line 2993', 'line 2994', 'line 2995', 'line 2996', 'line 2997', 'line 2998', 'line 2999'] as Set
        !all.truncated
        def window = http.get("/runs/$key/tasks/gen/log/lines?from=${all.matches[0].line}&count=1").json
        window.lines[0].endsWith('line 299')
        few.matches.size() == 5
        few.truncated

        and: "only the text a reader sees is searched, not the time and stream word each line is stored with"
        http.get("/runs/$key/tasks/gen/log/search?q=out").json.matches == []
        http.get("/runs/$key/tasks/gen/log/search?q=Z%20out").json.matches == []

        and: 'a search without text names the parameter'
        def bad = http.get("/runs/$key/tasks/gen/log/search")
        bad.status == 400
        bad.json.message.contains("'q'")
    }

    def "search counts lines as the log window does: a progress bar's carriage returns stay inside their line"() {
        given:
        freestyle('progress', '''
job('build') {
  task('dl') { sh 'printf "fetch\\r50%%\\r100%%\\n"; echo "error here"' }
}
''')
        def run = trigger('progress', 'build')
        awaitEnd(run)

        when:
        def found = http.get("/runs/$run/tasks/dl/log/search?q=error").json

        then: 'the match is the line the window shows under the same number'
        found.matches.size() == 1
        found.matches[0].text.endsWith('error here')
        http.get("/runs/$run/tasks/dl/log/lines?from=${found.matches[0].line}&count=1").json.lines[0].endsWith('error here')

        cleanup: 'the other features count the projects'
        http.delete('/projects/progress')
    }

    def "an unknown task's log is a 404"() {
        expect:
        http.get("/runs/$key/tasks/nope/log/lines").status == 404
        http.get("/runs/$key/tasks/nope/log/search?q=x").status == 404
    }

    def "a run's graph is its stored plan with needs edges and parameters"() {
        when:
        def g = http.get("/runs/$key/graph").json

        then:
        g.tasks*.name == ['gen', 'after']
        g.edges == [[from: 'gen', to: 'after', kind: 'needs']]
        g.parameters*.name == ['who']
    }

    def "job health summarises the last runs of every job"() {
        when:
        def h = http.get('/jobs/health').json['demo/build']

        then:
        h.lastStatus == 'succeeded'
        h.lastRun
        h.lastNumber == http.get("/runs/$h.lastRun").json.number
        h.lastDurationMillis >= 0
        h.health == 100
    }

    def "job health leaves cancelled runs out, as Jenkins leaves aborted builds out of its weather"() {
        given: 'a job whose run ends as its parameter says: one succeeds, one is cancelled while it runs'
        freestyle('weather', '''
job('w') {
  parameters { string 'end', defaultValue: 'true' }
  task('t') { sh 'while [ "${{ params.end }}" = wait ]; do sleep 0.1; done; ${{ params.end }}' }
}
''')
        assert awaitEnd(trigger('weather', 'w')).status == 'succeeded'
        def held = trigger('weather', 'w', [parameters: [end: 'wait']])
        assert http.delete("/runs/$held").status == 202
        assert awaitEnd(held).status == 'cancelled'

        expect: 'the cancel counts neither way'
        http.get('/jobs/health').json['weather/w'].health == 100

        when: 'one fails'
        assert awaitEnd(trigger('weather', 'w', [parameters: [end: 'false']])).status == 'failed'

        then: 'one success of two that ended on their own'
        with(http.get('/jobs/health').json['weather/w']) {
            health == 50
            lastStatus == 'failed'
            recent == ['failed', 'cancelled', 'succeeded']
        }

        cleanup: 'the other features count demo alone'
        http.delete('/projects/weather')
    }

    def "validation answers every diagnostic at its line and column without storing anything"() {
        when:
        def bad = http.post('/validate', [jobfile: "job('a') {\n  task('x') {\n    needs 'nope'\n    sh 'true'\n  }\n}\n"]).json
        def good = http.post('/validate', [jobfile: "job('a') { task('x') { sh 'true' } }"]).json

        then:
        !bad.valid
        bad.diagnostics[0].line == 3
        bad.diagnostics[0].col > 0
        bad.diagnostics[0].severity == 'error'
        bad.diagnostics[0].message.contains('nope')
        good.valid
        http.get('/projects').json*.name == ['demo']

        and:
        http.post('/validate', [:]).status == 400
    }

    def "executor status lists the built-in slots and what runs on them"() {
        when:
        def e = http.get('/executors').json

        then:
        e.local.executors == slots()
        e.local.tasks == []
        e.agents == []
    }

    def "executor status names the job and number of what each slot runs"() {
        given:
        freestyle('busy', "job('hold') { task('sleepy') { sh 'sleep 30' } }")
        def running = trigger('busy', 'hold')

        when:
        def task = Http.eventually { http.get('/executors').json.local.tasks.find { it.run == running } }

        then:
        task == [run: running, task: 'sleepy', project: 'busy', job: 'hold', number: 1]

        cleanup:
        http.delete("/runs/$running")
        awaitEnd(running)
    }

    def "admins read the server's settings without any secret in them; others may not"() {
        when:
        def reply = http.get('/settings')

        then:
        reply.status == 200
        reply.json.slots == slots()
        reply.json.dataDir == dataDir.toAbsolutePath().normalize().toString()
        reply.json.database.startsWith('h2')
        reply.json.webhookSecret in ['configured', 'generated']
        reply.json.agentHeartbeat ==~ /\d+(ms|s|m)/
        reply.json.jobfileCpu == '5s'
        !reply.text.contains(Http.ADMIN_PASSWORD)
        io.stoker.server.api.OpenApiBodiesSpec.problems(
                io.stoker.server.api.OpenApiBodiesSpec.DOC.at('/paths/~1settings/get/responses/200'), reply.text) == []

        when:
        http.post('/users', [username: 'vicky', password: 'viewer-password-1', role: 'viewer'])
        def viewer = Http.loggedIn(server.url(), 'vicky', 'viewer-password-1')

        then:
        viewer.get('/settings').status == 403
        http.anonymous().get('/settings').status == 401
    }

    def "a badge needs a token until its project is public"() {
        given:
        def anon = http.anonymous()

        expect:
        http.get('/projects/demo/jobs/build/badge.svg').text.contains('passing')
        anon.get('/projects/demo/jobs/build/badge.svg').status == 404

        when:
        def set = http.put('/projects/demo/public', [public: true])

        then:
        set.json == [project: 'demo', public: true]
        def badge = anon.get('/projects/demo/jobs/build/badge.svg?branch=nowhere')
        badge.status == 200
        badge.header('content-type').startsWith('image/svg+xml')
        badge.text.contains('no runs')
        http.get('/public-projects').json == ['demo']

        when:
        http.put('/projects/demo/public', [public: false])

        then:
        anon.get('/projects/demo/jobs/build/badge.svg').status == 404
        http.put('/projects/demo/public', [public: 'yes']).status == 400
        http.put('/projects/nope/public', [public: true]).status == 404
    }

    def "saved views belong to their owner"() {
        when:
        http.put('/views/Deploys', [filter: 'deploy'])
        http.put('/views/Demo', [filter: 'demo/'])

        then:
        http.get('/views').json == [[name: 'Deploys', filter: 'deploy'], [name: 'Demo', filter: 'demo/']]
        http.delete('/views/Deploys').status == 204
        http.get('/views').json*.name == ['Demo']
        http.delete('/views/Deploys').status == 404
        http.put('/views/%2F', [filter: 'x']).status in [400, 404]

        and: "'new' is taken by the page that makes a view"
        http.put('/views/new', [filter: 'x']).with { status == 400 && json.message.contains("cannot be 'new'") }

        and: "'All', in any case, is the dashboard's tab of every job; the refusal names the field"
        ['All', 'all', 'ALL'].every {
            http.put("/views/$it", [filter: 'x']).with { status == 400 && json.message.contains('tab of every job') && 'field: name' in json.details }
        }

        and: 'a name starts and ends with a letter or digit, and the refusal says so'
        ['-a', '_a', 'a%20'].every { http.put("/views/$it", [filter: 'x']).json.message.contains('starting and ending with a letter or digit') }
        http.put('/views/a%20b', [filter: 'x']).status == 200
        http.delete('/views/a%20b').status == 204
        http.get('/views').json*.name == ['Demo']
    }

    def "the pages are served at / and revalidated on every load"() {
        when:
        def client = HttpClient.newHttpClient()
        def index = client.send(HttpRequest.newBuilder(URI.create(server.url() + '/')).build(), HttpResponse.BodyHandlers.ofString())
        def module = client.send(HttpRequest.newBuilder(URI.create(server.url() + '/js/api.js')).build(), HttpResponse.BodyHandlers.ofString())

        then:
        index.statusCode() == 200
        index.body().contains('<script src="js/boot.js" defer>') // which imports js/main.js, and says so when it cannot
        index.headers().firstValue('cache-control').get() == 'no-cache'
        // they run only their own scripts, and nobody frames them (they hold the tokens)
        index.headers().firstValue('content-security-policy').get().startsWith("default-src 'self';")
        index.headers().firstValue('content-security-policy').get().contains("frame-ancestors 'none'")
        index.headers().firstValue('x-frame-options').get() == 'DENY'
        module.headers().firstValue('content-type').get().startsWith('text/javascript')
        !index.body().contains('http://') && !index.body().contains('https://') // nothing from the internet
    }

    def "only the pages' own files are served: no file with a slash after its name, no front-end test harness"() {
        given:
        def client = HttpClient.newHttpClient()

        expect:
        def reply = client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString())
        reply.statusCode() == 404
        reply.headers().firstValue('content-type').get().startsWith('application/json')

        where:
        path << ['/index.html/', '/app.css/', '/js/main.js/', '/app.css//', '/index.html%2F', '/index.html/.',
                 '/tests.html', '/js/test-kit.js', '/js/ansi.test.js', '/js/events.test.js', '/js/graph-layout.test.js',
                 '/js/log-window.test.js']
    }
}

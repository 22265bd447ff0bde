package io.stoker.server.shuttle

import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import com.sun.net.httpserver.HttpServer
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.api.ReplySchemas
import io.stoker.server.outbox.Receiver
import org.apache.commons.compress.archivers.tar.TarArchiveEntry
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.time.Clock
import java.util.zip.GZIPOutputStream

/**
 * The Build-Shuttle-compatible API over real HTTP: a source archive served on 127.0.0.1 is fetched, its Jobfile (or
 * a build guessed from its Makefile) runs with the caller's arguments as environment variables, status webhooks reach
 * a receiver, and the status, logs and stop endpoints answer under the caller's build id.
 */
class ShuttleSpec extends Specification {
    static final Map<String, String> ENV = SuiteEnv.with([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '200ms',
                                            STOKER_OUTBOX_TICK: '50ms', STOKER_OUTBOX_TIMEOUT: SuiteEnv.OUTBOX_TIMEOUT,
                                            STOKER_EXTRA_BUILD_ARGS: 'GREETING=server,EXTRA=from-server'])

    @Shared @TempDir java.nio.file.Path dir
    @Shared StokerServer server
    @Shared Http http
    @Shared HttpServer files
    @Shared Map<String, byte[]> served = [:]
    /** Refuses connections while the spec runs, and nothing else can listen there meanwhile. */
    @Shared @AutoCleanup ClosedPort closed = new ClosedPort()
    Receiver receiver = new Receiver()

    def setupSpec() {
        server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)), Clock.systemDefaultZone(), ENV)
        http = Http.loggedIn(server.url())
        files = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        files.createContext('/') { ex ->
            byte[] body = served[ex.requestURI.path]
            if (body == null) ex.sendResponseHeaders(404, -1)
            else {
                ex.sendResponseHeaders(200, body.length)
                ex.responseBody.write(body)
            }
            ex.close()
        }
        files.start()
    }

    def cleanupSpec() {
        server?.close()
        files?.stop(0)
    }

    def cleanup() {
        receiver.close()
    }

    /** Serves a .tar.gz of the given files and gives its URL. */
    String archive(String name, Map<String, String> content) {
        def bytes = new ByteArrayOutputStream()
        new TarArchiveOutputStream(new GZIPOutputStream(bytes)).withCloseable { tar ->
            content.each { path, text ->
                byte[] data = text.getBytes(StandardCharsets.UTF_8)
                def e = new TarArchiveEntry(path)
                e.size = data.length
                tar.putArchiveEntry(e)
                tar.write(data)
                tar.closeArchiveEntry()
            }
        }
        served["/$name"] = bytes.toByteArray()
        "http://127.0.0.1:${files.address.port}/$name"
    }

    Map status(String app, String build) {
        def r = http.get("/shuttle/$app/$build/status")
        assert r.status == 200, r.text
        assert ReplySchemas.problems('GET', '/shuttle/{app_id}/{build_id}/status', 200, r.text) == []
        r.json
    }

    Map awaitStatus(String app, String build, Collection<String> wanted) {
        Http.eventually(60_000) { def s = status(app, build); s.status in wanted ? s : null }
    }

    def "a tar.gz source with a Jobfile builds with the caller's arguments over the server's, and tells its receivers"() {
        given:
        receiver.up()
        String url = archive('app.tar.gz', [
                'Jobfile'  : "job('build') { task('t') { sh 'echo \"greeting=\$GREETING extra=\$EXTRA\" && cat hello.txt' } }",
                'hello.txt': 'hello from the source'])

        when:
        def r = http.post('/shuttle/web/b1', [source  : [url: url], arguments: [GREETING: 'caller'],
                                              metadata: [build: 'b1'], webhooks: [status: receiver.url()],
                                              human_readable_info: [title: 'first']])

        then:
        r.status == 200
        r.json == [status: 'OK']
        ReplySchemas.problems('POST', '/shuttle/{app_id}/{build_id}', 200, r.text) == []

        and: 'the build succeeds and says so in the Build-Shuttle shape'
        def s = awaitStatus('web', 'b1', ['succeeded', 'failed'])
        s == [building: false, status: 'succeeded', type: 'stoker', id: [build: 'b1']]

        and: 'its log holds the source and the merged environment'
        def log = http.get('/shuttle/web/b1/logs')
        log.status == 200
        log.text.contains('greeting=caller extra=from-server')
        log.text.contains('hello from the source')

        and: 'the receiver got every state'
        Http.eventually { receiver.got*.json*.status == ['queued', 'running', 'succeeded'] }
        receiver.got.every { it.json.id == [build: 'b1'] && it.json.type == 'stoker' }

        and: 'the app is a project'
        http.get('/projects/web').status == 200
    }

    def "a second POST of the same build id is a conflict"() {
        given:
        String url = archive('again.tar.gz', ['Jobfile': "job('build') { task('t') { sh 'true' } }"])
        assert http.post('/shuttle/again/b1', [source: [url: url]]).status == 200

        when:
        def r = http.post('/shuttle/again/b1', [source: [url: url]])

        then:
        r.status == 409
        r.json.message.contains("build 'b1' of app 'again' exists already")
    }

    def "a Build-Shuttle client's nulls for what it did not set are taken as absent; a null source is not"() {
        given:
        String url = archive('nulls.tar.gz', ['Jobfile': "job('build') { task('t') { sh 'true' } }"])

        expect:
        http.post('/shuttle/nulls/b1', [source: [url: url], destination: null, arguments: null, metadata: null,
                                        webhooks: null, human_readable_info: null]).status == 200
        http.post('/shuttle/nulls/b2', [source: null]).status == 400
    }

    def "a source with only a Makefile runs make and says so in the log"() {
        given:
        String url = archive('make.tar.gz', ['Makefile': 'all:\n\techo made-by-make\n'])

        when:
        def r = http.post('/shuttle/maker/1', [source: [url: url]])

        then:
        r.status == 200
        awaitStatus('maker', '1', ['succeeded', 'failed']).status == 'succeeded'
        def log = http.get('/shuttle/maker/1/logs').text
        log.contains('no Jobfile in the source; found Makefile, running: make')
        log.contains('made-by-make')
    }

    def "a source with neither a Jobfile nor a build file is refused with the reason"() {
        when:
        def r = http.post('/shuttle/empty/1', [source: [url: archive('readme.tar.gz', ['README': 'nothing'])]])

        then:
        r.status == 422
        r.json.message.contains('no Jobfile and no build file')
        http.get('/shuttle/empty/1/status').status == 404
    }

    def "a bad request is refused naming the field: #why"() {
        when:
        def r = http.post('/shuttle/bad/1', body)

        then:
        r.status == status
        (r.json.message + ' ' + r.json.details).contains(names)

        where:
        why                      | body                                                               || status | names
        'no source'              | [:]                                                                || 400    | "'source'"
        'a source without url'   | [source: [:]]                                                      || 400    | "'source.url'"
        'a string source'        | [source: 'x']                                                      || 400    | "'source'"
        'a bad argument name'    | [source: [url: 'http://127.0.0.1:1/a.tar.gz'], arguments: ['A-B': 1]] || 400 | "'arguments.A-B'"
        'a docker:// source naming no image' | [source: [url: 'docker://127.0.0.1:5000']]            || 400    | "'source.url'"
        'a docker:// login without password' | [source: [url: 'docker://bot@127.0.0.1:5000/org/app:1']] || 400 | "'source.url'"
        'a docker:// destination without user' | [source: [url: 'http://127.0.0.1:1/a.tar.gz'], destination: [image: 'docker://:pw@h.example/o/a']] || 400 | "'destination.image'"
        'two docker:// destinations' | [source: [url: 'http://127.0.0.1:1/a.tar.gz'], destination: [image: 'docker://h.example/o/a', url: 'docker://h.example/o/b']] || 400 | 'one docker:// destination'
        'an unreachable source'  | [source: [url: 'http://127.0.0.1:1/a.tar.gz']]                     || 422    | 'source.url'
    }

    def "a source URL of a scheme no source has is refused before anything runs, naming the field and the schemes"() {
        when:
        def r = http.post('/shuttle/ftp-source/1', [source: [url: 'ftp://files.example/app.tar.gz']])

        then:
        r.status == 400
        r.json.message == "'source.url' must be an http(s) archive or git repository, a docker:// image or a git URL" +
                " (ssh://, git://, file://, user@host:path), not a ftp:// URL"
        r.json.details == ['field: source.url']
        http.get('/shuttle/ftp-source/1/status').status == 404
    }

    def "a source that cannot be reached says what happened to the connection: #why"() {
        when:
        def r = http.post("/shuttle/unreachable-$app/1", [source: [url: url]])

        then:
        r.status == 422
        r.json.message == 'cannot fetch the source: ' + reason
        r.json.details == ['field: source.url']

        where:
        why                                | app   | url                                                || reason
        'an archive on a closed port'      | 'tar' | "http://127.0.0.1:${closed.port}/app.tar.gz".toString()|| "connection refused by 127.0.0.1:${closed.port}"
        'an archive on an unknown host'    | 'zip' | 'http://no.such.host.invalid/app.zip'              || 'unknown host no.such.host.invalid (the name does not resolve)'
        'a git repository on a closed port' | 'git' | "https://127.0.0.1:${closed.port}/org/app.git".toString()|| "connection refused by 127.0.0.1:${closed.port}"
    }

    def "a body sent as a form (curl -d's default) is read as JSON, however long its fields"() {
        given: 'a request whose source URL alone is over the kilobyte a form field may hold'
        String url = 'http://127.0.0.1:1/' + 'x' * 1100 + '.tar.gz'
        byte[] body = Http.JSON.writeValueAsBytes([source: [url: url]])

        when:
        def r = http.postRaw('/shuttle/formed/1', body, ['content-type': 'application/x-www-form-urlencoded'])

        then: 'the request is read and refused for what it says, as the same body sent as JSON is'
        r.status == 422
        r.json.message + ' ' + r.json.details =~ /source\.url/
    }

    def "a docker:// URL's percent-encoded login is decoded for the registry and shown nowhere"() {
        when:
        def url = DockerUrl.parse('source.url', 'docker://bot:p%40ss%2Fw0rd@127.0.0.1:5000/org/app:1')
        def request = new ShuttleRequest('app', 'b1', 'docker://bot:p%40ss%2Fw0rd@127.0.0.1:5000/org/app:1', [:], null,
                [], [], url)

        then:
        url.reference() == '127.0.0.1:5000/org/app:1'
        url.login().user() == 'bot'
        url.login().password() == 'p@ss/w0rd'
        url.toString() == 'docker://bot:***@127.0.0.1:5000/org/app:1'
        !request.toString().contains('p%40ss') && !request.toString().contains('p@ss')
        request.toString().contains('docker://bot:***@127.0.0.1:5000/org/app:1')
    }

    def "DELETE stops a running build; a second DELETE finds it not running"() {
        given:
        String url = archive('slow.tar.gz', ['Jobfile': "job('build') { task('t') { sh 'sleep 120' } }"])
        assert http.post('/shuttle/slow/1', [source: [url: url]]).status == 200
        awaitStatus('slow', '1', ['running'])

        when:
        def r = http.delete('/shuttle/slow/1')

        then:
        r.status == 200
        r.json == [status: 'OK']
        ReplySchemas.problems('DELETE', '/shuttle/{app_id}/{build_id}', 200, r.text) == []
        awaitStatus('slow', '1', ['cancelled']).building == false

        when:
        def again = http.delete('/shuttle/slow/1')

        then:
        again.status == 422
    }

    def "a developer builds and stops only apps whose project they are a member of; the first to build an app is one"() {
        given: 'two developers; an app made by the admin'
        ['deva', 'devb'].each { assert http.post('/users', [username: it, password: 'developer-password-1', role: 'developer']).status == 201 }
        def a = Http.loggedIn(server.url(), 'deva', 'developer-password-1')
        def b = Http.loggedIn(server.url(), 'devb', 'developer-password-1')
        String url = archive('team.tar.gz', ['Jobfile': "job('build') { task('t') { sh 'sleep 120' } }"])
        assert http.post('/shuttle/owned/1', [source: [url: url]]).status == 200

        when: "deva builds the admin's app, and a new one of their own"
        def refused = a.post('/shuttle/owned/2', [source: [url: url]])
        def own = a.post('/shuttle/teamapp/1', [source: [url: url]])

        then: "the admin's app is refused as under /projects; the new one is deva's"
        refused.status == 403
        refused.json.message == "you are not a member of project 'owned'"
        own.status == 200
        http.get('/projects/teamapp/members').json.members == ['deva']

        when: "devb tries to stop deva's build, then deva does"
        def stopByB = b.delete('/shuttle/teamapp/1')
        def stopByA = a.delete('/shuttle/teamapp/1')

        then:
        stopByB.status == 403
        stopByA.status == 200
        awaitStatus('teamapp', '1', ['cancelled'])

        cleanup:
        http.delete('/shuttle/owned/1')
    }

    def "a zip source and a git URL build like an archive"() {
        given: 'a zip served over http and a git repository on disk'
        def zipped = new ByteArrayOutputStream()
        new java.util.zip.ZipOutputStream(zipped).withCloseable { zip ->
            zip.putNextEntry(new java.util.zip.ZipEntry('src/'))
            zip.putNextEntry(new java.util.zip.ZipEntry('Jobfile'))
            zip.write("job('build') { task('t') { sh 'echo zipped-ok' } }".bytes)
        }
        served['/z.zip'] = zipped.toByteArray()
        def repo = dir.resolve('repo')
        org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call().withCloseable { git ->
            repo.resolve('Jobfile').text = "job('build') { task('t') { sh 'echo from-git' } }"
            git.add().addFilepattern('Jobfile').call()
            git.commit().setMessage('init').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()
        }

        expect:
        http.post('/shuttle/zipped/1', [source: [url: "http://127.0.0.1:${files.address.port}/z.zip".toString()]]).status == 200
        http.post('/shuttle/gitty/1', [source: [url: repo.toUri().toString()]]).status == 200
        awaitStatus('zipped', '1', ['succeeded', 'failed']).status == 'succeeded'
        awaitStatus('gitty', '1', ['succeeded', 'failed']).status == 'succeeded'
        http.get('/shuttle/zipped/1/logs').text.contains('zipped-ok')
        http.get('/shuttle/gitty/1/logs').text.contains('from-git')
    }

    def "a git source on the server's disk is an admin's to name, and the data directory no one's, as a project's gitUrl"() {
        given: 'a developer, and a repository on the server\'s disk'
        assert http.post('/users', [username: 'devdisk', password: 'developer-password-1', role: 'developer']).status == 201
        def dev = Http.loggedIn(server.url(), 'devdisk', 'developer-password-1')
        def repo = dir.resolve('private-repo')
        org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call().close()

        when:
        def byDeveloper = dev.post('/shuttle/disk/1', [source: [url: repo.toUri().toString()]])
        def byPath = dev.post('/shuttle/disk/2', [source: [url: repo.toString()]])
        def intoData = http.post('/shuttle/disk/3', [source: [url: dir.resolve('data/git').toUri().toString()]])

        then: 'the developer is refused before anything is fetched, naming the field'
        [byDeveloper, byPath].every {
            it.status == 403 && it.json.message.startsWith('a local repository (a path or file:// URL) can be read only by an admin') &&
                    it.json.details == ['field: source.url']
        }
        intoData.status == 422
        intoData.json.message.startsWith("'source.url' is inside the server's data directory")

        and: 'no build was made'
        (1..3).every { http.get("/shuttle/disk/$it/status").status == 404 }
    }

    def "an archive entry that leaves the source directory is refused and nothing is written outside"() {
        when:
        def r = http.post('/shuttle/evil/1', [source: [url: archive('evil.tar.gz', ['../escaped.txt': 'x', 'Jobfile': 'x'])]])

        then:
        r.status == 422
        r.json.message.contains("'../escaped.txt' leaves its directory")
        !java.nio.file.Files.exists(dir.resolve('data/staged/escaped.txt'))
        http.get('/shuttle/evil/1/status').status == 404
    }

    def "an unknown build is not found"() {
        expect:
        http.get('/shuttle/nobody/1/status').status == 404
        http.delete('/shuttle/nobody/1').status == 404
    }
}

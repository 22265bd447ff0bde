package io.stoker.server.api

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * A download link ({@code POST /downloads}) lets a browser stream a file to disk with no bearer header: the web UI
 * fetched artifacts into the tab's memory first, and a 2 GB one ended the tab. The link's ticket opens its one path,
 * as its caller, for a minute to start; it is no bearer token, and it ends with the login it came from.
 */
class DownloadLinksSpec extends ServerSpecification {
    @Shared String key
    @Shared byte[] zip

    def setupSpec() {
        freestyle('dl', '''
job('pack') {
  task('pack') { sh 'mkdir -p dist && echo alpha > dist/a.txt'; artifacts 'dist/**' }
}
''')
        key = trigger('dl', 'pack')
        assert awaitEnd(key).status == 'succeeded'
        zip = http.get("/runs/$key/artifacts/pack.zip").bytes
    }

    /** A client holding a login's access token, as the web UI does (not an API token). */
    Http session(String user = 'admin', String password = Http.ADMIN_PASSWORD) {
        def login = http.anonymous().post('/login', [username: user, password: password])
        assert login.status == 200, login.text
        http.withToken(login.json.token as String)
    }

    Http.Reply follow(String url) {
        http.anonymous().get(url - '/api/v1')
    }

    def "a link downloads its file without a bearer token, under the name the server gives it"() {
        when:
        def link = session().post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()])
        def file = follow(link.json.url as String)

        then:
        link.status == 200
        link.json.url.startsWith("/api/v1/runs/$key/artifacts/pack.zip?download=")
        link.json.expiresIn == 60
        file.status == 200
        file.bytes == zip
        file.header('content-disposition') == 'attachment; filename="pack.zip"'
    }

    def "a file inside a zip, a task's log and every artifact at once download by link too"() {
        expect:
        follow(session().post('/downloads', [path: path.replace('KEY', key)]).json.url as String).status == 200

        where:
        path << ['/runs/KEY/artifacts/pack.zip/dist/a.txt', '/runs/KEY/tasks/pack/log', '/runs/KEY/log',
                 '/runs/KEY/artifacts.tar.gz']
    }

    def "the url an artifact is listed with, /api/v1 and all, gets a link to that artifact"() {
        given:
        String listed = http.get("/runs/$key/artifacts").json[0].url

        when:
        def link = session().post('/downloads', [path: listed])

        then:
        listed == "/api/v1/runs/$key/artifacts/pack.zip"
        link.status == 200
        link.json.url.startsWith("$listed?download=")
        follow(link.json.url as String).bytes == zip
    }

    def "a ticket opens its own path only, and is no bearer token"() {
        given:
        def url = session().post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()]).json.url as String
        def ticket = url.substring(url.indexOf('download=') + 'download='.length())

        expect: 'another download with it is refused'
        follow("/api/v1/runs/$key/artifacts.tar.gz?download=$ticket").status == 401

        and: 'so is the API with it as a bearer token'
        http.withToken(ticket).get('/runs').status == 401
        http.withToken(ticket).get("/runs/$key/artifacts/pack.zip").status == 401

        and: 'and a forged or mangled one'
        follow(url + 'x').status == 401
    }

    def "a ticket ends with the login it came from"() {
        given:
        def login = session()
        def url = login.post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()]).json.url as String

        when:
        assert login.post('/logout', [:]).status == 204

        then:
        follow(url).status == 401
    }

    def "a link opens its download once: a second use is a 410 that says it was used"() {
        given:
        def url = session().post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()]).json.url as String

        when:
        def first = follow(url)
        def second = follow(url)

        then:
        first.status == 200
        first.bytes == zip
        second.status == 410
        second.json.error == 'gone'
        second.json.message == 'the download link was used already: download again from the page'
    }

    def "a link asked for with an API token ends when the token is revoked"() {
        given:
        def made = http.post('/tokens', [name: 'dl-script'])
        assert made.status == 201, made.text
        def script = http.anonymous().withToken(made.json.token as String)
        def url = script.post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()]).json.url as String
        def spare = script.post('/downloads', [path: "/runs/$key/log".toString()]).json.url as String
        assert follow(spare).status == 200 // a link of that token works while the token stands

        when:
        assert http.delete('/tokens/dl-script').status == 204

        then:
        with(follow(url)) {
            status == 401
            json.message == 'the API token the download link was made with was revoked'
        }
    }

    def "a link ends when its user is disabled, whatever credential asked for it"() {
        given:
        assert http.post('/users', [username: 'dl-leaver', password: 'leaver-password-1', role: 'viewer']).status == 201
        def leaver = session('dl-leaver', 'leaver-password-1')
        def viaSession = leaver.post('/downloads', [path: "/runs/$key/log".toString()]).json.url as String
        def token = leaver.post('/tokens', [name: 'leaver-script']).json.token as String
        def viaToken = http.anonymous().withToken(token).post('/downloads', [path: "/runs/$key/log".toString()]).json.url as String

        when:
        assert http.post('/users/dl-leaver/disable', [:]).status == 200

        then:
        follow(viaSession).status == 401
        follow(viaToken).status == 401
    }

    def "a viewer gets a link, and downloads what a viewer may read"() {
        given:
        assert http.post('/users', [username: 'dl-viewer', password: 'viewer-password-1', role: 'viewer']).status == 201
        def viewer = session('dl-viewer', 'viewer-password-1')

        when:
        def link = viewer.post('/downloads', [path: "/runs/$key/artifacts/pack.zip".toString()])

        then:
        link.status == 200
        follow(link.json.url as String).bytes == zip
    }

    def "a path that is no download gets no link: #path"() {
        when:
        def r = http.post('/downloads', [path: path.replace('KEY', key)])

        then:
        r.status == 400
        r.json.message.startsWith("'path' is not a download")
        r.json.details.contains('field: path')

        where:
        path << ['/users', '/runs/KEY', '/runs/KEY/artifacts/pack.zip/%2e%2e/%2E%2E/%2e%2e/users',
                 '/runs/KEY/artifacts/pack.zip?x=1', 'runs/KEY/log']
    }

    def "asking for a link needs a login and a path"() {
        expect:
        http.anonymous().post('/downloads', [path: "/runs/$key/log".toString()]).status == 401
        http.post('/downloads', [:]).status == 400
        http.post('/downloads', [:]).json.message.contains("'path' is required")
    }
}

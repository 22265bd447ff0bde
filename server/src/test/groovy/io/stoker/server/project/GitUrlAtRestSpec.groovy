package io.stoker.server.project

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.db.ClosedDatabase
import io.stoker.server.forge.DatabaseFiles
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import io.stoker.store.postgres.TestPostgres
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Credentials written into a project's git URL ({@code http://user:token@host/…}) are a secret like any other: the
 * database keeps them sealed with the master key, runs and the mirror's config not at all, and fetches still use
 * them. A URL an earlier version stored as given is sealed by the next start. With
 * {@code -Dstoker.test.store=postgresql} on PostgreSQL.
 */
class GitUrlAtRestSpec extends Specification {
    static final String TOKEN = 'url-token-kept-at-rest-9f3c'

    @TempDir Path dataDir
    @TempDir Path gitRoot
    TestPostgres postgres
    GitHttpServer gitServer
    TestRepo app
    StokerServer server
    Http http

    def setup() {
        gitServer = GitHttpServer.withBasicAuth(gitRoot, 'alice', TOKEN)
        app = TestRepo.create(gitRoot.resolve('app.git'))
        app.commit('main', 'first', [Jobfile: 'job(\'build\') { task(\'t\') { sh \'echo "fetched $STOKER_REPO_URL"\' } }\n'])
        if (System.getProperty('stoker.test.store') == 'postgresql') postgres = TestPostgres.create()
    }

    def cleanup() {
        server?.close()
        gitServer?.close()
        app?.close()
        postgres?.close()
    }

    def "the credentials of a git URL fetch, and no file of the data directory holds them"() {
        given:
        start()

        when:
        def created = http.post('/projects', [name: 'app', gitUrl: urlWith("alice:$TOKEN"), branch: 'main'])
        def run = awaitEnd(http.post('/projects/app/jobs/build/runs').json.key as String)

        then: 'the project fetched with them and its run succeeded'
        created.status == 201
        run.status == 'succeeded'
        http.get("/runs/${run.key}/tasks/t/log").text.contains("fetched ${gitServer.url('app.git')}")

        when:
        stop()

        then: 'the project row holds them sealed, the run row not at all'
        !projectUrl().contains(TOKEN)
        projectUrl().startsWith('http://' + GitUrlSeal.MARK)
        runUrls() == [gitServer.url('app.git')]

        and: 'neither the database files nor the mirror nor the workspaces hold them'
        DatabaseFiles.holding(dataDir, TOKEN) == []
    }

    def "a URL an earlier version stored as given is sealed by the next start and still fetches"() {
        given: 'a project and a run, then their URLs written as given, as versions before sealing stored them'
        start()
        assert http.post('/projects', [name: 'app', gitUrl: urlWith("alice:$TOKEN"), branch: 'main']).status == 201
        assert awaitEnd(http.post('/projects/app/jobs/build/runs').json.key as String).status == 'succeeded'
        stop()
        String given = urlWith("alice:$TOKEN")
        sql { c ->
            ['projects', 'runs'].each { table ->
                c.prepareStatement("UPDATE $table SET git_url = ?").withCloseable {
                    it.setString(1, given)
                    assert it.executeUpdate() == 1
                }
            }
        }

        when: 'the server starts again'
        start()

        then: 'the project shows the URL without the token and fetches with it'
        http.get('/projects/app').json.gitUrl == urlWith('alice:***')
        awaitEnd(http.post('/projects/app/jobs/build/runs').json.key as String).status == 'succeeded'

        when:
        stop()

        then: 'the rows no longer hold it in clear'
        projectUrl().startsWith('http://' + GitUrlSeal.MARK)
        !projectUrl().contains(TOKEN)
        runUrls().every { it == gitServer.url('app.git') }
    }

    def "sealed credentials copied to another project do not open there"() {
        given:
        start()
        assert http.post('/projects', [name: 'app', gitUrl: urlWith("alice:$TOKEN"), branch: 'main']).status == 201
        assert http.post('/projects', [name: 'other', jobfile: "job('j') { task('t') { sh 'true' } }"]).status == 201
        stop()
        sql { c ->
            c.prepareStatement("UPDATE projects SET git_url = (SELECT git_url FROM projects WHERE name = 'app') "
                    + "WHERE name = 'other'").withCloseable { assert it.executeUpdate() == 1 }
        }

        when:
        start()

        then: 'the copied URL is shown without user information, and the project it belongs to still reads its own'
        http.get('/projects/other').json.gitUrl == gitServer.url('app.git')
        http.get('/projects/app').json.gitUrl == urlWith('alice:***')
        http.post('/projects/app/refresh').status == 200
    }

    private String urlWith(String userInfo) {
        gitServer.url('app.git').replace('http://', "http://$userInfo@")
    }

    private void start() {
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD).withDb(postgres?.dbUrl())
        server = StokerServer.start(MigratedDatabase.into(config))
        http = Http.loggedIn(server.url())
    }

    private void stop() {
        server.close()
        server = null
    }

    private Map awaitEnd(String key) {
        Http.eventually(60_000) {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled'] ? run : null
        } as Map
    }

    private String projectUrl() {
        sql { c ->
            def rs = c.createStatement().executeQuery("SELECT git_url FROM projects WHERE name = 'app'")
            assert rs.next()
            rs.getString(1)
        }
    }

    private List<String> runUrls() {
        sql { c ->
            def rs = c.createStatement().executeQuery('SELECT git_url FROM runs ORDER BY id')
            def urls = []
            while (rs.next()) urls << rs.getString(1)
            urls
        }
    }

    /** Runs {@code work} on a connection to the (closed) server's database, as an earlier version's code would. */
    private <T> T sql(Closure<T> work) {
        ClosedDatabase.sql(dataDir, postgres?.dbUrl(), work)
    }
}

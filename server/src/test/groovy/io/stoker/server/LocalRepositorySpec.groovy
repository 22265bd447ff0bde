package io.stoker.server

import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

/**
 * A git URL that is a path or a {@code file://} URL reads the server's own disk with the server's rights: past
 * project membership and git credentials. Only an admin may point a project at one, and the data directory (other
 * projects' mirrors, the database, keys) is refused to everyone.
 */
class LocalRepositorySpec extends ServerSpecification {
    static final String ADMIN_ONLY = "a local repository (a path or file:// URL) can be read only by an admin," +
            " since it reads the server's own disk"

    @Shared TestRepo repo
    @Shared Http dev
    @Shared String first

    def setupSpec() {
        repo = TestRepo.create(dataDir.resolveSibling(dataDir.fileName.toString() + '-local.git'))
        first = repo.commit('main', 'first', [Jobfile: "job('build') { task('t') { sh 'true' } }\n"])
        assert http.post('/projects', [name: 'alpha', gitUrl: repo.url(), branch: 'main']).status == 201
        assert http.post('/users', [username: 'mallory', password: 'developer-pass-1', role: 'developer']).status == 201
        dev = Http.loggedIn(server.url(), 'mallory', 'developer-pass-1')
    }

    def cleanupSpec() {
        repo?.close()
    }

    /** Where the server mirrors a project: {@code <name>-<first 12 hex of sha256(name)>.git} under DATA/git. */
    private Path mirrorOf(String project) {
        String hex = MessageDigest.getInstance('SHA-256').digest(project.bytes).encodeHex().toString()
        dataDir.resolve('git').resolve("${project}-${hex.substring(0, 12)}.git")
    }

    def "a developer cannot add a project reading another project's mirror, a path or a file:// URL"() {
        expect: 'the mirror is where its name says'
        Files.isDirectory(mirrorOf('alpha'))

        when:
        def r = dev.post('/projects', [name: 'steal', gitUrl: url, branch: 'main'])

        then:
        r.status == 403
        r.json.message == ADMIN_ONLY
        r.json.details == ['field: gitUrl']
        http.get('/projects/steal').status == 404

        where:
        url << [mirrorOf('alpha').toString(), repoPath(), 'file://' + repoPath(), 'FILE:' + repoPath(),
                'file://localhost' + repoPath(), '/tmp/../' + repoPath()]
    }

    def "a developer member cannot move a project to a local repository, yet refreshes one an admin gave it"() {
        given:
        assert http.post('/projects', [name: 'remote-ish', jobfile: "job('b') { task('t') { sh 'true' } }"]).status == 201
        assert http.put('/projects/remote-ish/members/mallory', [:]).status == 200
        assert http.put('/projects/alpha/members/mallory', [:]).status == 200

        expect:
        with(dev.put('/projects/remote-ish', [gitUrl: repo.url(), branch: 'main'])) {
            status == 403
            json.message == ADMIN_ONLY
        }
        http.get('/projects/remote-ish').json.kind == 'freestyle'
        dev.post('/projects/alpha/refresh').status == 200
        dev.put('/projects/alpha', [webhookSecret: 'a-webhook-secret-1']).status == 200
        dev.put('/projects/alpha', [gitUrl: repo.url(), branch: 'main']).status == 200
    }

    def "no one, an admin neither, may read the server's data directory, through a link neither"() {
        given:
        Path link = dataDir.resolveSibling(dataDir.fileName.toString() + '-link')
        Files.deleteIfExists(link)
        Files.createSymbolicLink(link, dataDir)

        when:
        def r = http.post('/projects', [name: 'inside', gitUrl: url.call(link), branch: 'main'])

        then:
        r.status == 422
        r.json.message.startsWith("'gitUrl' is inside the server's data directory")
        r.json.details == ['field: gitUrl']
        !r.text.contains(dataDir.toString())
        http.get('/projects/inside').status == 404

        cleanup:
        Files.deleteIfExists(link)

        where:
        url << [{ Path l -> mirrorOf('alpha').toString() },
                { Path l -> mirrorOf('alpha').toUri().toString() },
                { Path l -> l.resolve('git').resolve(mirrorOf('alpha').fileName).toString() }]
    }

    def "an admin adds a local repository outside the data directory"() {
        expect:
        http.get('/projects/alpha').json.commit == first
    }

    private String repoPath() {
        repo.dir.toString()
    }
}

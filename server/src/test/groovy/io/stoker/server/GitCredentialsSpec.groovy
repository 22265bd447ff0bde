package io.stoker.server

import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/** A private repository over HTTPS-style basic auth: the project names its credentials, the server holds them. */
class GitCredentialsSpec extends ServerSpecification {
    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-private-git'))
        gitServer = GitHttpServer.withBasicAuth(gitRoot, 'alice', 's3cret-token')
        repo = TestRepo.create(gitRoot.resolve('private.git'))
        repo.commit('main', 'first', [Jobfile: "job('build') { task('t') { sh 'cat secret-plan.txt' } }\n",
                                      'secret-plan.txt': 'the plan\n'])
        dataDir.resolve('git-credentials.properties').text = 'ci-bot=alice:s3cret-token\nbroken=no-colon\n'
    }

    def cleanupSpec() {
        gitServer?.close()
        repo?.close()
    }

    def "a project that names its credentials fetches a private repository and runs at its commit"() {
        when:
        def created = http.post('/projects', [name: 'private', gitUrl: gitServer.url('private.git'), credentials: 'ci-bot'])
        def key = trigger('private', 'build')
        def run = awaitEnd(key)

        then:
        created.status == 201
        created.json.credentials == 'ci-bot'
        !created.text.contains('s3cret-token')
        run.status == 'succeeded'
        http.get("/runs/$key/tasks/t/log").text.contains('the plan')
    }

    def "without credentials, or with unknown or malformed ones, the project is refused with 422"() {
        expect:
        with(http.post('/projects', [name: 'anon', gitUrl: gitServer.url('private.git')])) {
            status == 422
            json.message == 'cannot read the git repository'
        }
        with(http.post('/projects', [name: 'unknown', gitUrl: gitServer.url('private.git'), credentials: 'nope'])) {
            status == 422
            json.message == 'cannot use the git credentials'
            json.details.any { it.contains("no git credentials named 'nope'") && it.contains('STOKER_GIT_CREDENTIALS_NOPE') }
            'field: credentials' in json.details
            !('field: gitUrl' in json.details)
        }
        with(http.post('/projects', [name: 'broken', gitUrl: gitServer.url('private.git'), credentials: 'broken'])) {
            status == 422
            json.details.any { it.contains('username:token') }
            'field: credentials' in json.details
        }
        http.post('/projects', [name: 'bad-name', gitUrl: gitServer.url('private.git'), credentials: '../x']).status == 400
        http.post('/projects', [name: 'freestyle-creds', jobfile: "job('j') { task('t') { sh 'true' } }", credentials: 'ci-bot']).status == 400
    }

    def "credentials the git host refuses are named as the field to mend, not the git URL, and a project keeps its own"() {
        given:
        def wrong = http.post('/secrets', [name: 'WRONG_GIT_TOKEN', value: 'alice:not-the-token'])
        def kept = http.post('/projects', [name: 'refused', gitUrl: gitServer.url('private.git'), credentials: 'ci-bot'])

        expect: 'the repository is there: it is the credentials the host turned away'
        wrong.status == 201
        kept.status == 201
        with(http.post('/projects', [name: 'wrong-token', gitUrl: gitServer.url('private.git'), credentials: 'WRONG_GIT_TOKEN'])) {
            status == 422
            json.message == 'the git host refused the git credentials'
            json.details.any { it.contains('the host refused the credentials (not authorized)') }
            'field: credentials' in json.details
            !('field: gitUrl' in json.details)
            !text.contains('not-the-token')
        }
        with(http.put('/projects/refused', [credentials: 'WRONG_GIT_TOKEN'])) {
            status == 422
            'field: credentials' in json.details
        }
        http.get('/projects/refused').json.credentials == 'ci-bot'

        and: 'a password in the URL the host refuses is the URL to mend, and is said so'
        with(http.post('/projects', [name: 'url-password', gitUrl: gitServer.url('private.git').replace('http://', 'http://alice:not-the-token@')])) {
            status == 422
            'field: gitUrl' in json.details
            json.details.any { it.contains('the host refused the credentials written into the git URL') }
            !text.contains('not-the-token')
        }
    }

    def "a password written into the git URL is shown as ***, the user kept, and that shown URL sent back keeps the stored one"() {
        given:
        String inUrl = gitServer.url('private.git').replace('http://', 'http://alice:s3cret-token@')
        String shown = gitServer.url('private.git').replace('http://', 'http://alice:***@')

        when:
        def created = http.post('/projects', [name: 'inline', gitUrl: inUrl])

        then:
        created.status == 201
        created.json.gitUrl == shown
        http.get('/projects/inline').json.gitUrl == shown
        http.get('/projects').json.find { it.name == 'inline' }.gitUrl == shown
        !http.get('/projects').text.contains('s3cret-token')

        when: 'a script sends the project back as it read it'
        def put = http.put('/projects/inline', [gitUrl: shown, branch: 'main'])

        then: 'the stored URL, password included, still fetches'
        put.status == 200
        put.json.gitUrl == shown
        awaitEnd(trigger('inline', 'build')).status == 'succeeded'
        http.post('/projects/inline/refresh').status == 200
    }
}

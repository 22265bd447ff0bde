package io.stoker.server.git

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** The mirror against a real smart-HTTP git server ({@code git http-backend} behind Vert.x). */
class GitHttpMirrorSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TestRepo source

    def setup() {
        source = TestRepo.create(tmp.resolve('repos/app.git'))
    }

    def "a mirror synced over HTTP follows pushes to the source repository"() {
        given:
        def http = GitHttpServer.serve(tmp.resolve('repos'))
        def mirrors = new GitMirrors(tmp.resolve('mirrors'))
        def old = source.commit('main', 'first', [Jobfile: 'old text'])

        when:
        mirrors.sync('app', http.url('app.git'), null)

        then:
        mirrors.resolve('app', 'main') == old
        http.requestCount() > 0

        when:
        def newer = source.commit('main', 'second', [Jobfile: 'new text', 'run.sh': TestRepo.exec('echo hi')])
        mirrors.sync('app', http.url('app.git'), null)
        def ws = tmp.resolve('ws')
        mirrors.export('app', newer, ws)

        then:
        mirrors.resolve('app', 'main') == newer
        mirrors.readJobfile('app', old).get().text() == 'old text'
        mirrors.readJobfile('app', newer).get().text() == 'new text'
        ws.resolve('run.sh').toFile().canExecute()

        cleanup:
        http?.close()
    }

    def "credentials are sent over HTTP, and missing or wrong ones fail with a clear message that tells whose they are"() {
        given:
        def http = GitHttpServer.withBasicAuth(tmp.resolve('repos'), 'bot', 'tok3n')
        def mirrors = new GitMirrors(tmp.resolve('mirrors'))
        def c = source.commit('main', 'first', [a: '1'])

        when:
        mirrors.sync('app', http.url('app.git'), new GitCredentials('bot', 'tok3n'))

        then:
        mirrors.resolve('app', 'main') == c

        when:
        mirrors.sync('other', http.url('app.git').replace('http://', 'http://' + inUrl), credentials)

        then: 'refused credentials of the project are the field to mend; none may also mean a wrong URL'
        def e = thrown(GitMirrorException)
        e.message.startsWith("project 'other': cannot fetch http://${inUrl.replace('wrong', '***')}127.0.0.1:${http.port()}/app.git")
        e.message.endsWith(said)
        !e.message.contains('wrong')
        !e.message.contains('CredentialsProvider')
        (e instanceof RefusedCredentialsException) == refused

        cleanup:
        http?.close()

        where:
        inUrl        | credentials                         || refused | said
        ''           | null                                || false   | 'the host asks for credentials: name a secret NAME=username:token as the project\'s "credentials"'
        ''           | new GitCredentials('bot', 'wrong')  || true    | 'the host refused the credentials (not authorized): check the secret\'s username:token and that the token may read this repository'
        'bot:wrong@' | null                                || false   | 'the host refused the credentials written into the git URL (not authorized): check its user and password or token, and that they may read this repository'
    }

    def "a push over HTTP with credentials reaches the served repository"() {
        given:
        def http = GitHttpServer.withBasicAuth(tmp.resolve('repos'), 'bot', 'tok3n')
        def local = TestRepo.create(tmp.resolve('local.git'))
        def c = local.commit('main', 'pushed', [a: 'pushed'])

        when:
        new org.eclipse.jgit.api.Git(local.repo).push()
                .setRemote(http.url('app.git'))
                .setRefSpecs(new org.eclipse.jgit.transport.RefSpec('refs/heads/main:refs/heads/main'))
                .setCredentialsProvider(new org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider('bot', 'tok3n'))
                .call()

        then:
        source.repo.resolve('refs/heads/main').name() == c

        cleanup:
        local?.close()
        http?.close()
    }
}

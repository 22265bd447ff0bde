package io.stoker.server.trigger

import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.GitMirrorException
import io.stoker.server.git.GitMirrors
import io.stoker.server.git.TestRepo
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

class PollerSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TestRepo source

    Poller poller

    def setup() {
        source = TestRepo.create(tmp.resolve('repos/app.git'))
        poller = new Poller(new GitMirrors(tmp.resolve('mirrors')))
    }

    def "a poll reports new and moved branches since the heads seen last time"() {
        given:
        def main1 = source.commit('main', 'one', [a: '1'])
        def old = source.commit('old', 'old', [o: '1'])

        when: 'nothing seen yet'
        def first = poller.poll('app', source.url(), null, [:])

        then:
        first.heads() == [main: main1, old: old]
        first.changes() == [new BranchChange('main', null, main1), new BranchChange('old', null, old)]
        first.changes().every { it.isNew() }

        when: 'nothing changed'
        def second = poller.poll('app', source.url(), null, first.heads())

        then:
        second.changes().isEmpty()
        second.heads() == first.heads()

        when: 'main moves, a branch appears, another is deleted'
        def main2 = source.commit('main', 'two', [a: '2'])
        def feature = source.commit('feature/x', 'f', [f: '1'])
        source.deleteBranch('old')
        def third = poller.poll('app', source.url(), null, second.heads())

        then:
        third.heads() == [main: main2, 'feature/x': feature]
        third.changes() == [new BranchChange('feature/x', null, feature), new BranchChange('main', main1, main2)]
        third.changesMatching(['main']) == [new BranchChange('main', main1, main2)]
        third.changesMatching(['feature/*']) == [new BranchChange('feature/x', null, feature)]
        third.changesMatching([]).size() == 2
    }

    def "polling works over HTTP"() {
        given:
        def http = GitHttpServer.serve(tmp.resolve('repos'))
        def c1 = source.commit('main', 'one', [a: '1'])
        def seen = poller.poll('app', http.url('app.git'), null, [:]).heads()
        def c2 = source.commit('main', 'two', [a: '2'])

        expect:
        poller.poll('app', http.url('app.git'), null, seen).changes() == [new BranchChange('main', c1, c2)]

        cleanup:
        http?.close()
    }

    def "a failing fetch is an error and the caller keeps its last-seen heads"() {
        when:
        poller.poll('app', tmp.resolve('nowhere.git').toUri().toString(), null, [main: 'abc'])

        then:
        thrown(GitMirrorException)
    }
}

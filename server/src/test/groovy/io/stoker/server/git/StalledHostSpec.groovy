package io.stoker.server.git

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration

/**
 * A git host that accepts the connection and then says nothing (a hung server, a proxy holding the line): an
 * http(s) fetch gives up once nothing has come for the mirrors' timeout ({@code STOKER_GIT_TIMEOUT}) — JGit's
 * transport timeout, which bounds each wait for the host, not a transfer that keeps coming — and says so in words.
 */
class StalledHostSpec extends Specification {
    @TempDir
    Path tmp

    @AutoCleanup
    StallingHost host = StallingHost.start()

    def "a fetch from a host that never answers fails after the git timeout, saying the host sent nothing"() {
        given:
        def mirrors = new GitMirrors(tmp.resolve('mirrors'), Duration.ofSeconds(1))
        long start = System.nanoTime()

        when:
        mirrors.sync('app', host.url('stalled.git'), null)

        then:
        def e = thrown(GitMirrorException)
        e.message == "project 'app': cannot fetch ${host.url('stalled.git')}: the git host sent nothing for 1 s, " +
                'the git timeout (STOKER_GIT_TIMEOUT); it accepted the connection or stopped mid-transfer: is it up ' +
                'and reachable?'
        Duration.ofNanos(System.nanoTime() - start) < Duration.ofSeconds(30)
        !mirrors.exists('app')
    }
}

package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer

import java.time.Clock
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors

/**
 * A burst of parallel guesses gets no more password checks than the limit: a check in flight counts against it. Run
 * at OWASP's hashing cost, a check took a few tens of milliseconds, so a burst sent by a dozen threads mostly
 * arrived after the first guesses were counted, and the feature passed with the checks in flight not counted at all.
 * Here every hash costs four times as many passes ({@code STOKER_PASSWORD_HASH}, a setting operators have), so
 * the guesses of the burst all arrive while the first checks are running: counted in flight, only five are checked.
 */
class LoginBurstSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'
    static final int THREADS = 12

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), Clock.systemDefaultZone(),
                [(StokerServer.PASSWORD_HASH_ENV): 'm=19456,t=8,p=1'])
    }

    def "a burst of parallel wrong passwords gets no more tries than 5 in a row would: checks in flight count"() {
        given: 'a user nobody has guessed at, and a dozen threads ready to send at one signal'
        assert http.post('/users', [username: 'pat', password: PW, role: 'viewer']).status == 201
        def pool = Executors.newFixedThreadPool(THREADS)
        def go = new CountDownLatch(1)

        when: '24 guesses at once, as a guesser would to get past a limit counted after each hash'
        def replies = (1..24).collect { i ->
            pool.submit({
                go.await()
                http.anonymous().post('/login', [username: 'pat', password: 'wrong-password-' + i]).status
            } as Callable)
        }
        go.countDown()
        def statuses = replies*.get()

        then: 'five were checked; the others were refused as over the limit'
        statuses.count { it == 401 } == 5
        statuses.count { it == 429 } == 19

        cleanup:
        pool?.shutdownNow()
    }
}

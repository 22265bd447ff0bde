package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * Streams outlive the request that opened them: an {@code /events} stream and followed logs (text and SSE) end soon
 * after the token they were opened with stops being accepted, however that happened, while other people's streams
 * go on.
 */
class OpenStreamsSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'
    static final String JOBFILE = '''job('slow') {
  task('t') { sh 'while true; do echo tick; sleep 1; done' }
}
'''

    @Shared String runKey
    @Shared int users

    def setupSpec() {
        freestyle('ticking', JOBFILE)
        runKey = trigger('ticking', 'slow')
        Http.eventually { http.get("/runs/$runKey/tasks/t/log").text.contains('tick') }
    }

    def cleanupSpec() {
        if (runKey) http.delete("/runs/$runKey")
    }

    def "an event stream and followed logs end soon after #how"() {
        given: 'a viewer with an access token from a login and an API token'
        String name = 'watcher' + (++users)
        assert http.post('/users', [username: name, password: PW, role: 'viewer']).status == 201
        def login = http.anonymous().post('/login', [username: name, password: PW]).json
        def jwt = http.withToken(login.token as String)
        def api = http.withToken(jwt.post('/tokens', [name: 'watch']).json.token as String)
        def caller = accessToken ? jwt : api

        and: 'its streams, and the admin\'s, open and sending'
        def control = OpenStream.open(http, '/events', [accept: 'text/event-stream'])
        def streams = [events : OpenStream.open(caller, '/events', [accept: 'text/event-stream']),
                       text   : OpenStream.open(caller, "/runs/$runKey/log?follow=true"),
                       sse    : OpenStream.open(caller, "/runs/$runKey/tasks/t/log", [accept: 'text/event-stream'])]
        Http.eventually {
            streams.events.lines.contains(': stoker events') && streams.text.lines.any { it.contains('tick') } &&
                    streams.sse.lines.any { it.startsWith('data:') }
        }

        when:
        assert action(http, jwt, name, login.refreshToken as String).status in [200, 204]

        then: 'the token is refused on the next request'
        caller.get('/me').status == 401

        and: 'each of its streams is ended by the server'
        Http.eventually(15_000) { streams.values().every { it.over } }
        streams.events.lines.any { it.startsWith(': the stream ended: ') }
        streams.sse.lines.any { it.startsWith(': the stream ended: ') }
        !streams.sse.lines.contains('event: end')

        and: 'someone else\'s stream goes on'
        !control.over

        cleanup:
        streams?.values()*.close()
        control?.close()

        where:
        how                                          | accessToken | action
        'its API token is revoked'                   | false       | { Http admin, Http self, String user, String refresh -> self.delete('/tokens/watch') }
        'its user is deleted'                        | false       | { Http admin, Http self, String user, String refresh -> admin.delete("/users/$user") }
        'its user is disabled'                       | false       | { Http admin, Http self, String user, String refresh -> admin.post("/users/$user/disable") }
        'its access token is logged out'             | true        | { Http admin, Http self, String user, String refresh -> self.post('/logout', [refreshToken: refresh]) }
        'its user changes their password'            | true        | { Http admin, Http self, String user, String refresh -> self.put("/users/$user/password", [oldPassword: PW, password: 'another-long-password']) }
    }
}

package io.stoker.server.api

import io.vertx.core.VertxException
import spock.lang.Specification

import java.nio.channels.ClosedChannelException
import java.util.concurrent.CompletionException

/**
 * A browser that leaves a page while a script is on its way makes the server's write fail with "Broken pipe": the
 * failure handler tells that apart from a real failure (a full run's log held such stack traces at ERROR, one per
 * script of a page left early) and logs it as a debug line instead of a 500 with a stack trace.
 */
class ClientGoneSpec extends Specification {
    def "#failure is the client going away: #gone"() {
        expect:
        ClientGone.is(failure) == gone

        where:
        failure                                                            || gone
        new IOException('Broken pipe')                                     || true
        new IOException('Connection reset by peer')                        || true
        new ClosedChannelException()                                       || true
        new VertxException('Connection was closed', true)                  || true
        new CompletionException(new IOException('Broken pipe'))            || true
        new IOException('No space left on device')                         || false
        new RuntimeException('Broken pipe')                                || false
        new IllegalStateException('the store failed')                      || false
        null                                                               || false
    }
}

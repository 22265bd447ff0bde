package io.stoker.container

import io.stoker.engine.image.RegistryCredentials
import spock.lang.Specification

/**
 * How the engine's answer to a push or pull becomes one sentence. The engine's output is what Podman prints: progress
 * lines naming blobs by their digests, then its error.
 */
class RegistryAuthSpec extends Specification {
    static final ImageReference REF = ImageReference.parse('127.0.0.1:52057/org/app:1')

    def "a refused connection is said as such, even when a blob's digest before it holds 401"() {
        given: 'the output of a push to a port nobody listens on, after copying a blob whose digest holds 401'
        def output = '''\
            Getting image source signatures
            Copying blob sha256:5c4017a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d
            Error: trying to reuse blob sha256:5c4017a1b2c3d4e5f6 at destination: pinging container registry 127.0.0.1:52057: Get "http://127.0.0.1:52057/v2/": dial tcp 127.0.0.1:52057: connect: connection refused
            '''.stripIndent()

        expect:
        RegistryAuth.failure('push', "credentials: 'SECRET'", REF, output, null) ==
                'push: the registry 127.0.0.1:52057 cannot be reached (connection refused)'
    }

    def "a digest holding 401 is not read as a refused login"() {
        given:
        def output = '''\
            Copying blob sha256:a4010b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f
            Error: writing blob: some other trouble
            '''.stripIndent()

        expect:
        RegistryAuth.failure('push', "credentials: 'SECRET'", REF, output, null) ==
                'push (registry 127.0.0.1:52057): writing blob: some other trouble'
    }

    def "a 401 status, or the words of a refusal, ask for a login, or name the user whose login was refused"() {
        expect:
        RegistryAuth.failure('push', "credentials: 'SECRET'", REF, output, credentials) == sentence

        where:
        output                                                          | credentials                                  || sentence
        'Error: received unexpected HTTP status: 401 Unauthorized'      | null                                         || "push: the registry 127.0.0.1:52057 requires a login: add credentials: 'SECRET' (a secret holding user:password)"
        'Error: requested access to the resource is denied: 401'        | null                                         || "push: the registry 127.0.0.1:52057 requires a login: add credentials: 'SECRET' (a secret holding user:password)"
        'Error: authentication required'                                | RegistryCredentials.parse('robot:hunter2')   || "push: the registry 127.0.0.1:52057 refused the login of user 'robot'"
    }
}

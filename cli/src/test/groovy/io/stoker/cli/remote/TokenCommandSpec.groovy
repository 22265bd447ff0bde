package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** {@code stoker token create} against a real server: a refusal names the option the user typed, not the API's field. */
class TokenCommandSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared StokerServer server
    @Shared String token

    def setupSpec() {
        server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword('spec-admin-password'))
        token = server.auth().createApiToken('admin', 'spec', null).token()
    }

    def cleanupSpec() {
        server?.close()
    }

    def "an expiry out of range is refused naming --expires-in-days, exit 2"() {
        when:
        def r = CliRun.of('token', 'create', 'ci', '--expires-in-days', days, '--server', server.url(), '--token', token)

        then:
        r.exit == 2
        r.err.trim() == 'stoker: --expires-in-days must be from 1 to 3650'
        r.out.isEmpty()

        where:
        days << ['0', '3651']
    }

    def "an expiry in range creates the token"() {
        when:
        def r = CliRun.of('token', 'create', 'ci', '--expires-in-days', '30', '--server', server.url(), '--token', token)

        then:
        r.exit == 0
        r.err.contains("created token 'ci', expires ")
    }

    def "the tokens of a user there is not are refused naming the user, exit 2, not listed as none"() {
        when:
        def r = CliRun.of('token', 'list', '--user', 'nobody', '--server', server.url(), '--token', token)

        then:
        r.exit == 2
        r.err.trim() == "stoker: no user 'nobody'"
        r.out.isEmpty()
    }
}

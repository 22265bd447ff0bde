package io.stoker.cli.server

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * The work the launcher gives the scratch server whose AOT cache a user's server starts from: if it stopped early,
 * the cache would still be made, only without the profiles it is for, and nothing else would notice.
 */
class ServerTrainingSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared @AutoCleanup StokerServer server

    def setupSpec() {
        server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir)
                .withIsolatedCompiler(false).withAdminPassword('training-admin-password'))
    }

    def "it logs in, adds its project and runs its jobs one after another to the end, each run succeeding"() {
        when:
        int exit = ServerTraining.run(server.url(), 'training-admin-password', '40')

        then:
        exit == 0

        and: 'forty runs, two of them the job with a log and a second task, all succeeded'
        def token = server.auth().createApiToken('admin', 'check', null).token()
        def connection = new URL("${server.url()}/api/v1/runs?project=training").openConnection()
        connection.setRequestProperty('Authorization', "Bearer $token")
        def page = new ObjectMapper().readValue(connection.inputStream, Map)
        page.total == 40
        page.runs*.status.every { it == 'succeeded' }
        page.runs.count { it.job == 'lines' } == 2
    }

    def "a wrong password stops it with its reason, exit 1; a bad call is exit 2"() {
        expect:
        ServerTraining.run(server.url(), 'not-the-password') == 1
        ServerTraining.run(server.url()) == 2
        ServerTraining.run(server.url(), 'training-admin-password', 'many') == 2
    }
}

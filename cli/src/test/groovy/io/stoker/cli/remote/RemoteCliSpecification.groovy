package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Starts one real server per specification on 127.0.0.1, a free port and a temp data directory holding an already
 * migrated database, with the admin password {@link #ADMIN_PASSWORD} and an admin API token {@code token} that
 * {@link #stoker} passes the CLI. A spec changes the server through the hooks {@link #slots}, {@link #configure} and
 * {@link #startServer}.
 */
abstract class RemoteCliSpecification extends Specification {
    static final String ADMIN_PASSWORD = 'spec-admin-password'

    @Shared @TempDir Path dataDir
    @Shared StokerServer server
    @Shared String token
    @Shared boolean serverClosed

    def setupSpec() {
        MigratedDatabase.copyInto(dataDir)
        server = startServer(configure(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(slots())
                .withIsolatedCompiler(false).withAdminPassword(ADMIN_PASSWORD)))
        token = server.auth().createApiToken('admin', 'spec', null).token()
    }

    def cleanupSpec() {
        if (!serverClosed) server?.close()
    }

    /** How many runs the server works on at once. */
    int slots() {
        2
    }

    /** Settings beyond the common ones, such as TLS. */
    ServerConfig configure(ServerConfig config) {
        config
    }

    /** Starts the shared server; a spec overrides it to inject a trigger clock. */
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(config)
    }

    /** Closes the server within a feature; the spec's cleanup then leaves it be. */
    void closeServer() {
        serverClosed = true
        server?.close()
    }

    /** The CLI against the shared server as admin. */
    CliRun stoker(Object... args) {
        CliRun.of(*args, '--server', server.url(), '--token', token)
    }

    /** The CLI against the shared server as admin, with {@code input} on standard input. */
    CliRun stokerWithInput(String input, Object... args) {
        InputStream before = System.in
        System.in = new ByteArrayInputStream(input.getBytes('UTF-8'))
        try {
            stoker(*args)
        } finally {
            System.in = before
        }
    }
}

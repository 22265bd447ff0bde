package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.db.Database
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock

/** {@code STOKER_PASSWORD_HASH} sets the Argon2id cost of the hashes a server makes; a bad one is a start error. */
class PasswordCostSpec extends Specification {
    @TempDir Path data

    ServerConfig config() {
        ServerConfig.defaults().withPort(0).withDataDir(data).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD)
    }

    String storedAdminHash() {
        def db = Database.open(data, null)
        try {
            new UserRepository(db).passwordHash('admin').orElseThrow()
        } finally {
            db.close()
        }
    }

    def "the admin's password is hashed at the cost the environment names, and logging in verifies it"() {
        when:
        def server = StokerServer.start(MigratedDatabase.into(config()), Clock.systemUTC(), [STOKER_PASSWORD_HASH: 'm=128,t=1,p=1'])
        int me = Http.loggedIn(server.url()).get('/me').status
        server.close()

        then:
        me == 200
        storedAdminHash().startsWith('$argon2id$v=19$m=128,t=1,p=1$')
    }

    def "without it the cost is OWASP's minimum"() {
        when:
        StokerServer.start(MigratedDatabase.into(config()), Clock.systemUTC(), [:]).close()

        then:
        storedAdminHash().startsWith('$argon2id$v=19$m=19456,t=2,p=1$')
    }

    def "a cost that is not one is a start error naming the variable"() {
        when:
        StokerServer.start(MigratedDatabase.into(config()), Clock.systemUTC(), [STOKER_PASSWORD_HASH: 'argon2'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_PASSWORD_HASH: 'argon2' is not an Argon2id cost like m=19456,t=2,p=1 (memory in KiB, passes, lanes)"
    }
}

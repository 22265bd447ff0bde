package io.stoker.server

import io.stoker.server.trigger.MutableClock
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Instant

/** The trigger clock's last tick is kept in H2: a restart does not fire a minute twice, nor catch up missed ones. */
class TriggerRestartSpec extends Specification {
    @TempDir Path dataDir

    def "a cron minute that fired before a restart does not fire again after it, and missed minutes are dropped"() {
        given:
        def clock = new MutableClock(Instant.parse('2026-03-01T09:59:50Z'))
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD)
        def server = StokerServer.start(MigratedDatabase.into(config), clock)
        def http = Http.loggedIn(server.url())
        assert http.post('/projects', [name: 'p', jobfile: "job('hourly') {\n triggers { cron '0 * * * *' }\n task('t') { sh 'true' }\n}\n"]).status == 201

        when: '10:00 fires'
        clock.set(Instant.parse('2026-03-01T10:00:20Z'))
        def first = server.tickTriggers()
        server.close()

        and: 'the server comes back with a clock behind the last tick (skew), which then passes 10:00 again'
        clock.set(Instant.parse('2026-03-01T09:59:55Z'))
        server = StokerServer.start(MigratedDatabase.into(config.withPort(0)), clock)
        http = Http.loggedIn(server.url())
        clock.set(Instant.parse('2026-03-01T10:00:40Z'))
        def again = server.tickTriggers()

        then:
        first*.job == ['hourly']
        again.isEmpty()
        http.get('/runs?project=p&job=hourly').json.total == 1

        when: 'the server is down over 11:00 and 12:00 and starts at 12:30'
        server.close()
        clock.set(Instant.parse('2026-03-01T12:30:00Z'))
        server = StokerServer.start(MigratedDatabase.into(config.withPort(0)), clock)
        clock.set(Instant.parse('2026-03-01T12:31:00Z'))

        then: 'nothing is caught up'
        server.tickTriggers().isEmpty()

        cleanup:
        server?.close()
    }
}

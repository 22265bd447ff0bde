package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneId

/**
 * A job's cron and poll schedules with their next firing, in the API and {@code stoker jobs}: a server whose trigger
 * clock stands at 2026-05-04 09:59:30 UTC in Europe/Berlin (summer time, +02:00), so a cron's wall-clock hour is
 * Berlin's and each next firing carries that offset.
 */
class JobSchedulesSpec extends RemoteCliSpecification {

    static final String JOBFILE = '''
job('nightly') {
  triggers { cron '30 2 * * *' }
  task('t') { sh 'true' }
}
job('hourly') {
  triggers { cron '15 * * * *'; cron '0 12 * * *' }
  task('t') { sh 'true' }
}
job('manual') { task('t') { sh 'true' } }
'''

    @Shared @TempDir Path work

    @Override
    int slots() {
        1
    }

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.fixed(Instant.parse('2026-05-04T09:59:30Z'), ZoneId.of('Europe/Berlin')))
    }

    def setupSpec() {
        Path f = work.resolve('Jobfile')
        f.text = JOBFILE
        assert stoker('project', 'add', 'shop', '--jobfile', f).exit == 0
    }

    def "the API lists each schedule with its next firing in ISO-8601 with the server's offset, and names the zone"() {
        when:
        def jobs = new ObjectMapper().readValue(stoker('jobs', '--json').out, List)
        def byName = jobs.collectEntries { [(it.name): it] }

        then:
        byName.nightly.timeZone == 'Europe/Berlin'
        byName.nightly.schedules == [[kind: 'cron', spec: '30 2 * * *', expanded: '30 2 * * *',
                                      nextFiring: '2026-05-05T02:30+02:00']]
        byName.hourly.schedules*.nextFiring == ['2026-05-04T12:15+02:00', '2026-05-04T12:00+02:00']
        byName.manual.schedules == []
    }

    def "stoker jobs shows each job's earliest next firing and says which time zone cron uses"() {
        when:
        def jobs = stoker('jobs')
        def lines = jobs.out.readLines()

        then:
        jobs.exit == 0
        lines[0].split(/\s{2,}/) as List == ['JOB', 'TASKS', 'CONCURRENCY', 'LAST STATUS', 'NEXT FIRING', 'DESCRIPTION']
        lines.find { it.startsWith('shop/nightly ') } ==~ /shop\/nightly\s+1\s+any\s+never run\s+2026-05-05T02:30\+02:00 \(cron\)\s+-/
        lines.find { it.startsWith('shop/hourly ') } ==~ /shop\/hourly\s+1\s+any\s+never run\s+2026-05-04T12:00\+02:00 \(cron\)\s+-/
        lines.find { it.startsWith('shop/manual ') } ==~ /shop\/manual\s+1\s+any\s+never run\s+-\s+-/
        lines.last() == "cron and poll schedules are read in the server's time zone, Europe/Berlin"
    }
}

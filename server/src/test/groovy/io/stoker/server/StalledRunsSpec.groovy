package io.stoker.server

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.server.db.Database
import io.stoker.server.run.NewRun
import io.stoker.server.run.RunRepository
import io.stoker.server.run.StalledRuns
import io.stoker.server.trigger.MutableClock
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/** The watchdog that names a run marked running whose tasks never started (a starved server). */
class StalledRunsSpec extends Specification {
    @TempDir Path dir

    def "a run marked running whose tasks have not started after the limit is named with its state and since when"() {
        given:
        def db = Database.open(dir)
        def runs = new RunRepository(db)
        def job = (new JobfileCompiler().compile('Jobfile', "job('j') { task('a') { sh 'true' } }") as CompileResult.Compiled)
                .jobfile().jobs()[0]
        def start = Instant.parse('2026-11-23T03:00:00Z')
        def clock = new MutableClock(start)
        runs.insert(new NewRun('k' * 26, 'p', job, 'manual', null, null, null, [:], null, null, null), start)
        runs.start('k' * 26, start)
        def watchdog = new StalledRuns(runs, Duration.ofSeconds(30), clock)

        expect: 'not before the limit'
        watchdog.check().isEmpty()

        when:
        clock.advance(Duration.ofSeconds(31))
        def stalled = watchdog.check()

        then:
        stalled*.key == ['k' * 26]
        stalled[0].status() == io.stoker.engine.run.RunState.RUNNING
        stalled[0].since() == start
        watchdog.current() == stalled

        cleanup:
        watchdog?.close()
        db?.close()
    }
}

package io.stoker.server.trigger

import io.stoker.engine.run.RunState
import io.stoker.engine.trigger.TriggerChain
import io.stoker.server.event.RunFinished
import io.stoker.server.run.NewRun
import io.stoker.server.run.RunKeys
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path
import java.time.Instant

/** {@code after} triggers: a succeeded run, and only a succeeded one, starts the jobs that run after its job. */
@Timeout(120)
class UpstreamTriggersSpec extends Specification {
    static final String JOBFILE = '''
job('build') {
  parameters { string 'outcome', defaultValue: 'fine' }
  task('t') { sh 'true' }
}
job('deploy') {
  parameters { string 'from', defaultValue: 'none' }
  triggers { after 'build', parameters: [from: 'build ${{ run.number }} was ${{ params.outcome }}'] }
  task('t') { sh 'true' }
}
'''

    @TempDir
    Path tmp

    @AutoCleanup
    TriggerFixture f

    @AutoCleanup
    UpstreamTriggers upstream

    def setup() {
        f = new TriggerFixture(tmp, Instant.parse('2026-05-04T10:00:00Z'))
        upstream = new UpstreamTriggers(f.projects, f.service, f.runs, new io.stoker.server.endnews.EndsTold(f.db))
        f.events.subscribe(upstream::onEvent)
        f.freestyle('p', JOBFILE)
    }

    def "a succeeded run starts its downstream job with the parameters rendered against it"() {
        when:
        def build = f.service.trigger('p', 'build', [outcome: 'green'], null, null, 'api', false)
        def deploys = eventually { f.runsOf('p', 'deploy') ?: null }

        then:
        f.runs.find(build.key()).get().status() == RunState.SUCCEEDED
        deploys.size() == 1
        with(deploys[0]) {
            trigger() == 'upstream'
            parameters() == [from: 'build 1 was green']
            metadata() == [upstream: [run: build.key(), project: 'p', job: 'build', number: 1, chain: 1]]
        }
    }

    def "only a run that ended succeeded starts anything, not one that failed, was cancelled or timed out"() {
        given: 'a run of build in the database'
        def key = insertBuild(null)
        def states = [RunState.FAILED, RunState.CANCELLED, RunState.TIMEDOUT, RunState.SUCCEEDED]

        when: 'its ends arrive in turn (the trigger thread takes them in order)'
        states.each { f.events.publish(new RunFinished(key, 'p', 'build', it, Instant.now())) }
        def deploys = eventually { f.runsOf('p', 'deploy') ?: null }

        then: 'the succeeded one started exactly one run, the others none'
        deploys.size() == 1
    }

    def "a run at the chain's bound starts nothing more; one below it starts the last link"() {
        given:
        def atBound = insertBuild([upstream: [run: 'x', project: 'p', job: 'deploy', number: 1, chain: TriggerChain.MAX]])
        def below = insertBuild([upstream: [run: 'x', project: 'p', job: 'deploy', number: 1, chain: TriggerChain.MAX - 1]])

        expect:
        upstream.upstreamSucceeded(atBound) == []

        when:
        def started = upstream.upstreamSucceeded(below)

        then:
        started*.job == ['deploy']
        f.runs.find(started[0].key()).get().metadata().upstream.chain == TriggerChain.MAX
    }

    private String insertBuild(Object metadata) {
        String key = new RunKeys().next()
        def job = f.projects.job('p', 'build').job()
        f.runs.insert(new NewRun(key, 'p', job, 'api', null, null, null, [outcome: 'fine'], metadata, null, null),
                Instant.now())
        f.runs.start(key, Instant.now()) // running: the dispatcher leaves it alone
        key
    }

    /** Polls until the closure gives a value (bounded: 60 s). */
    private static <T> T eventually(Closure<T> probe) {
        long deadline = System.nanoTime() + 60_000_000_000L
        while (System.nanoTime() < deadline) {
            T v = probe()
            if (v) return v
            Thread.sleep(20)
        }
        probe()
    }
}

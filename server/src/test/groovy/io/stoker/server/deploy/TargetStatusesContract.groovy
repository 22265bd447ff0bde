package io.stoker.server.deploy

import io.stoker.engine.deploy.DeployReason
import io.stoker.engine.deploy.Deployment
import io.stoker.engine.deploy.DeploymentState
import io.stoker.server.Refused
import io.stoker.server.db.Database
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Instant

/**
 * What each deploy target runs now, read from the deployment history in a real store: {@link H2TargetStatusesSpec}
 * and {@link PostgresTargetStatusesSpec} run these same features. The Jobfile's targets are given as the server reads
 * them (a map of project to its declared targets); the deployments are recorded as the deployer records them.
 */
abstract class TargetStatusesContract extends Specification {
    static final Instant T0 = Instant.parse('2026-11-30T10:00:00Z')

    @TempDir Path dir
    Database db
    DeploymentRepository history
    /** The targets each project's Jobfile declares now; a project not here is unknown. */
    Map<String, List<String>> jobfiles = [:]
    TargetStatuses targets
    int runs

    /** Opens (creating and migrating) this spec's store. */
    abstract Database open()

    /** Removes the store after the feature (PostgreSQL's database; H2's temp directory goes by itself). */
    void drop() {
    }

    def setup() {
        db = open()
        history = new DeploymentRepository(db)
        targets = new TargetStatuses(history, { String p ->
            if (!jobfiles.containsKey(p)) throw new Refused.NotFound("no project '$p'")
            jobfiles[p]
        } as TargetStatuses.DeclaredTargets)
    }

    def cleanup() {
        db?.close()
        drop()
    }

    /**
     * Records a deployment of {@code version} to {@code target} of {@code project} asked for {@code minute} minutes
     * after T0 by {@code by}, ended {@code state} a minute later (left running when RUNNING); returns it as stored.
     */
    Deployment deployed(String target, String version, String by, DeploymentState state, int minute,
                        DeployReason reason = DeployReason.DEPLOY, String project = 'shop') {
        def d = new Deployment(0, project, target, version, by, reason, "$project/deploy-$target#${++runs}",
                DeploymentState.RUNNING, null, T0.plusSeconds(60 * minute), null)
        long id = history.add(d)
        if (state != DeploymentState.RUNNING) history.end(id, state, "ended $state", T0.plusSeconds(60 * minute + 60))
        history.byId(project, id).orElseThrow()
    }

    def "each target shows the version it runs now, and a later deployment that failed after it"() {
        given: 'prod ran 1.4.1, then 1.4.2 by alice; 1.4.3 by carol failed there; staging is being given 1.4.3'
        jobfiles.shop = ['prod', 'staging', 'qa']
        deployed('prod', '1.4.1', 'bob', DeploymentState.GOOD, 0)
        def runsNow = deployed('prod', '1.4.2', 'alice', DeploymentState.GOOD, 2)
        def failed = deployed('prod', '1.4.3', 'carol', DeploymentState.BAD, 30)
        def going = deployed('staging', '1.4.3', 'carol', DeploymentState.RUNNING, 31)

        when:
        def all = targets.of('shop')

        then: 'the Jobfile\'s targets in its order'
        all*.target() == ['prod', 'staging', 'qa']
        all.every { it.declared() }

        and: 'prod runs 1.4.2 since 10:03 by alice; 1.4.3 failed at 10:31'
        with(all[0]) {
            current() == runsNow
            current().version() == '1.4.2'
            current().by() == 'alice'
            current().endedAt() == Instant.parse('2026-11-30T10:03:00Z')
            latest() == failed
            latest().endedAt() == Instant.parse('2026-11-30T10:31:00Z')
            state() == TargetState.BAD
        }

        and: 'staging runs nothing yet and is being given 1.4.3'
        with(all[1]) {
            current() == null
            latest() == going
            state() == TargetState.RUNNING
        }

        and: 'qa was never deployed'
        with(all[2]) {
            current() == null
            latest() == null
            state() == TargetState.NEVER_DEPLOYED
            state().label() == 'never-deployed'
        }
    }

    def "a target an automatic rollback brought back runs the version rolled back to, and the attempt it undid is its latest"() {
        given: '2.0 failed on prod and stoker brought 1.0 back; 3.0 was cancelled on canary and 1.0 came back there too'
        jobfiles.shop = ['prod', 'canary', 'eu', 'us', 'staging']
        deployed('prod', '1.0', 'alice', DeploymentState.GOOD, 0)
        def failed = deployed('prod', '2.0', 'bob', DeploymentState.BAD, 5)
        def back = deployed('prod', '1.0', 'stoker', DeploymentState.GOOD, 7, DeployReason.AUTO_ROLLBACK)
        deployed('canary', '1.0', 'alice', DeploymentState.GOOD, 8)
        def cancelled = deployed('canary', '3.0', 'bob', DeploymentState.CANCELLED, 9)
        deployed('canary', '1.0', 'stoker', DeploymentState.GOOD, 10, DeployReason.AUTO_ROLLBACK)

        and: 'on eu alice rolled back herself after 2.0 failed; on us the automatic rollback is still going'
        deployed('eu', '1.0', 'alice', DeploymentState.GOOD, 11)
        deployed('eu', '2.0', 'bob', DeploymentState.BAD, 12)
        deployed('eu', '1.0', 'alice', DeploymentState.GOOD, 13, DeployReason.ROLLBACK)
        def usRuns = deployed('us', '1.0', 'alice', DeploymentState.GOOD, 14)
        deployed('us', '2.0', 'bob', DeploymentState.BAD, 15)
        def going = deployed('us', '1.0', 'stoker', DeploymentState.RUNNING, 16, DeployReason.AUTO_ROLLBACK)

        and: 'staging took 2.1 well after an automatic rollback'
        deployed('staging', '1.0', 'alice', DeploymentState.GOOD, 17)
        deployed('staging', '2.0', 'bob', DeploymentState.BAD, 18)
        deployed('staging', '1.0', 'stoker', DeploymentState.GOOD, 19, DeployReason.AUTO_ROLLBACK)
        def good = deployed('staging', '2.1', 'bob', DeploymentState.GOOD, 20)

        when:
        def all = targets.of('shop')

        then: 'prod runs 1.0 as stoker brought it back, and 2.0 that failed is its latest attempt'
        all[0].current() == back
        all[0].latest() == failed
        all[0].state() == TargetState.BAD

        and: 'canary likewise after a cancel'
        all[1].current().reason() == DeployReason.AUTO_ROLLBACK
        all[1].latest() == cancelled
        all[1].state() == TargetState.CANCELLED

        and: 'a rollback asked for is what was asked: nothing after it; a rollback going is the latest attempt'
        all.collect { [it.target(), it.current()?.version(), it.current()?.reason(), it.latest()?.version(), it.state()] }[2..4] == [
                ['eu', '1.0', DeployReason.ROLLBACK, null, TargetState.GOOD],
                ['us', '1.0', DeployReason.DEPLOY, '1.0', TargetState.RUNNING],
                ['staging', '2.1', DeployReason.DEPLOY, null, TargetState.GOOD]]
        all[3].current() == usRuns
        all[3].latest() == going
        all[4].current() == good
    }

    def "a cancelled or interrupted deployment after the good one is the latest attempt, not what the target runs"() {
        given:
        jobfiles.shop = ['a', 'b']
        deployed('a', '1', 'alice', DeploymentState.GOOD, 0)
        deployed('a', '2', 'alice', DeploymentState.CANCELLED, 1)
        deployed('b', '1', 'alice', DeploymentState.GOOD, 2)
        deployed('b', '2', 'alice', DeploymentState.INTERRUPTED, 3)

        expect:
        targets.of('shop').collect { [it.target(), it.current().version(), it.latest().version(), it.state().label()] } == [
                ['a', '1', '2', 'cancelled'], ['b', '1', '2', 'interrupted']]
    }

    def "a target the Jobfile no longer declares keeps showing what it ran, after the declared ones, by name"() {
        given: 'zeta and alpha were deployed to, then removed from the Jobfile, which declares web alone'
        jobfiles.shop = ['web']
        deployed('zeta', '1', 'alice', DeploymentState.GOOD, 0)
        deployed('alpha', '1', 'alice', DeploymentState.BAD, 1)

        when:
        def all = targets.of('shop')

        then:
        all.collect { [it.target(), it.declared(), it.state()] } == [
                ['web', true, TargetState.NEVER_DEPLOYED], ['alpha', false, TargetState.BAD], ['zeta', false, TargetState.GOOD]]
    }

    def "what a target runs is found however many deployments came after it, and another project's are not counted"() {
        given: 'old got 1.0 once; then 600 attempts on busy, all failed after its first, good one'
        jobfiles.shop = ['old', 'busy']
        jobfiles.other = ['old']
        def old = deployed('old', '1.0', 'alice', DeploymentState.GOOD, 0)
        def first = deployed('busy', '0.1', 'alice', DeploymentState.GOOD, 1)
        Deployment last = null
        (1..600).each { last = deployed('busy', "0.2.$it", 'bob', DeploymentState.BAD, 2 + it) }
        deployed('old', '9.9', 'eve', DeploymentState.GOOD, 700, DeployReason.DEPLOY, 'other')

        when:
        def all = targets.of('shop')

        then:
        all*.current() == [old, first]
        all*.latest() == [null, last]
        targets.of('other')[0].current().version() == '9.9'
    }

    def "a project without targets or deployments has none, and an unknown project is refused as the server reads it"() {
        given:
        jobfiles.empty = []

        expect:
        targets.of('empty') == []

        when:
        targets.of('nope')

        then:
        thrown(Refused.NotFound)
    }
}

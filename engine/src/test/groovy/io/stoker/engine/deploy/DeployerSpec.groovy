package io.stoker.engine.deploy

import io.stoker.engine.run.RunState
import io.stoker.engine.version.DirectoryVersionStore
import io.stoker.engine.version.Release
import io.stoker.engine.version.VersionStatus
import io.stoker.model.DeployTarget
import io.stoker.model.Pos
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.time.Instant

/**
 * The verdict on a deployment run, against a real version store: a good deployment's version is marked good before
 * the deployment is, a failed deployment's automatic rollback is on record before the failure is, and the failure is
 * recorded even when its rollback cannot start.
 */
class DeployerSpec extends Specification {
    @TempDir Path tmp

    /** Deployments kept in memory, as the server's table keeps them; notes what was recorded when a verdict came. */
    static class History implements DeploymentHistory {
        final List<Deployment> rows = []
        final Map<Long, Boolean> rollbackOnRecordAtVerdict = [:]
        final Map<Long, VersionStatus> versionAtVerdict = [:]
        DirectoryVersionStore versions

        synchronized long add(Deployment d) {
            rows << d.withId(rows.size() + 1)
            rows.size()
        }

        synchronized boolean end(long id, DeploymentState state, String detail, Instant at) {
            def d = rows[(int) id - 1]
            if (d.state() != DeploymentState.RUNNING) return false
            rollbackOnRecordAtVerdict[id] = rows.any { it.id() > id && it.reason() == DeployReason.AUTO_ROLLBACK }
            versionAtVerdict[id] = versions.find(d.project(), d.version()).get().status()
            rows[(int) id - 1] = new Deployment(d.id(), d.project(), d.target(), d.version(), d.by(), d.reason(),
                    d.runKey(), state, detail, d.startedAt(), at)
            true
        }

        synchronized Optional<Deployment> byRun(String runKey) {
            Optional.ofNullable(rows.find { it.runKey() == runKey })
        }

        synchronized List<Deployment> list(String project, String target, int limit) {
            rows.findAll { it.project() == project && (target == null || it.target() == target) }.reverse().take(limit)
        }

        synchronized List<Deployment> running(int limit) {
            rows.findAll { it.state() == DeploymentState.RUNNING }.take(limit)
        }
    }

    final history = new History()
    final target = new DeployTarget('staging', null, 'true', null, null, 60, Pos.NONE)
    int started
    boolean startsFail
    /** Runs whose number cannot be read: discarded ones (empty), or all of them when the store fails. */
    Set<String> numberless = []
    boolean numbersFail
    Deployer deployer

    def setup() {
        def versions = new DirectoryVersionStore(tmp.resolve('versions'))
        history.versions = versions
        ['1.0', '2.0', '3.0'].each { v ->
            versions.publish(new Release('shop', v, "build-$v", 'release', null, [:], false, Instant.now()))
        }
        DeployRuns runs = { project, job, startedBy, files, saved ->
            if (startsFail) throw new IOException('the queue refused the run')
            String key = "deploy-${++started}"
            saved.run(key)
            key
        }
        // the runs of this spec are numbered as they were started: deploy-3 is #3 of its job (the server's are per job)
        Deployer.RunNumber numbers = { String key ->
            if (numbersFail) throw new IOException('the run store is away')
            numberless.contains(key) ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(key - 'deploy-'))
        }
        deployer = new Deployer(versions, history, runs, numbers, tmp.resolve('local'), Clock.systemUTC())
    }

    /** Queues a deployment of {@code version} to the target, as a user asks for it. */
    Deployment deploy(String version) {
        deployer.deploy('shop', target, version, 'admin', DeployReason.DEPLOY)
    }

    /** Deploys {@code version} and judges its run a success. */
    Deployment deployedGood(String version) {
        def d = deploy(version)
        deployer.ended(d.runKey(), RunState.SUCCEEDED, lookup())
        d
    }

    Deployer.TargetLookup lookup() {
        { project, name -> Optional.of(target) } as Deployer.TargetLookup
    }

    def "a failed deployment's automatic rollback is on record before the failure is"() {
        given: '1.0 deployed and good'
        def good = deployer.deploy('shop', target, '1.0', 'admin', DeployReason.DEPLOY)
        deployer.ended(good.runKey(), RunState.SUCCEEDED, lookup())

        when: '2.0 fails'
        def bad = deployer.deploy('shop', target, '2.0', 'admin', DeployReason.DEPLOY)
        def verdict = deployer.ended(bad.runKey(), RunState.FAILED, lookup())
        def rollback = verdict.map { it.rollback() }

        then: 'it is bad, 1.0 comes back, and whoever saw 2.0 bad could see the rollback too'
        rollback.get().version() == '1.0'
        rollback.get().reason() == DeployReason.AUTO_ROLLBACK
        history.byRun(bad.runKey()).get().state() == DeploymentState.BAD
        history.rollbackOnRecordAtVerdict[bad.id()]

        and: 'the verdict says so: 2.0 bad, as recorded, with its rollback'
        verdict.get().judged() == history.byRun(bad.runKey()).get()
    }

    def "a bad verdict names its run by number, the way it ended in words (#words), and the log to read by the run's job and number"() {
        given:
        deployedGood('1.0')
        def bad = deploy('2.0')

        when:
        def verdict = deployer.ended(bad.runKey(), state, lookup())

        then: 'the run as every page names it, not its key'
        verdict.get().judged().state() == DeploymentState.BAD
        verdict.get().judged().detail() == "version 2.0 failed on staging (its run #2 $words; 'stoker logs " +
                "shop/deploy-staging#2' says why)"
        !verdict.get().judged().detail().contains(bad.runKey())
        history.byRun(bad.runKey()).get().detail() == verdict.get().judged().detail()

        where:
        state             | words
        RunState.FAILED   | 'failed'
        RunState.TIMEDOUT | 'timed out'
    }

    def "a bad verdict names its run by key when the run's number cannot be read, and is recorded all the same"() {
        given:
        deployedGood('1.0')
        def gone = deploy('2.0')
        def unread = deploy('3.0')
        numberless << gone.runKey()

        when: "one run's number is not known, then the run store fails"
        def first = deployer.ended(gone.runKey(), RunState.FAILED, lookup())
        numbersFail = true
        def second = deployer.ended(unread.runKey(), RunState.FAILED, lookup())

        then:
        first.get().judged().detail() == "version 2.0 failed on staging (its run deploy-2 failed; 'stoker logs " +
                "deploy-2' says why)"
        second.get().judged().detail() == "version 3.0 failed on staging (its run deploy-3 failed; 'stoker logs " +
                "deploy-3' says why)"
        history.byRun(unread.runKey()).get().state() == DeploymentState.BAD
    }

    def "a good deployment's version is marked good before the deployment is recorded good"() {
        when:
        def d = deployer.deploy('shop', target, '1.0', 'admin', DeployReason.DEPLOY)
        deployer.ended(d.runKey(), RunState.SUCCEEDED, lookup())

        then: 'whoever saw the deployment good could see its version good too'
        history.byRun(d.runKey()).get().state() == DeploymentState.GOOD
        history.versionAtVerdict[d.id()] == VersionStatus.GOOD
    }

    def "a deployment judged already is not judged again"() {
        given: '1.0 deployed and judged good'
        def d = deployer.deploy('shop', target, '1.0', 'admin', DeployReason.DEPLOY)
        deployer.ended(d.runKey(), RunState.SUCCEEDED, lookup())

        when: 'the same run is reported again, as cancelled'
        def again = deployer.ended(d.runKey(), RunState.CANCELLED, lookup())

        then:
        again.isEmpty()
        history.byRun(d.runKey()).get().state() == DeploymentState.GOOD
        history.rows.size() == 1
    }

    def "a failure whose rollback cannot start is still recorded bad"() {
        given:
        def good = deployer.deploy('shop', target, '1.0', 'admin', DeployReason.DEPLOY)
        deployer.ended(good.runKey(), RunState.SUCCEEDED, lookup())
        def bad = deployer.deploy('shop', target, '2.0', 'admin', DeployReason.DEPLOY)
        startsFail = true

        when:
        def verdict = deployer.ended(bad.runKey(), RunState.FAILED, lookup())

        then: 'bad, with no rollback'
        verdict.get().judged().state() == DeploymentState.BAD
        verdict.get().rollback() == null
        history.byRun(bad.runKey()).get().state() == DeploymentState.BAD
    }

    def "a failure is not rolled back over a deployment asked for after it"() {
        given: '1.0 good; then 2.0 is deployed, and 3.0 right after it (queued behind it)'
        deployedGood('1.0')
        def second = deploy('2.0')
        def third = deploy('3.0')

        when: '2.0 fails'
        def rollback = deployer.ended(second.runKey(), RunState.FAILED, lookup()).map { it.rollback() }

        then: '2.0 is bad, and 1.0 does not come back to replace 3.0'
        rollback.isEmpty()
        history.byRun(second.runKey()).get().state() == DeploymentState.BAD
        history.rows*.version() == ['1.0', '2.0', '3.0']
        history.byRun(third.runKey()).get().state() == DeploymentState.RUNNING
    }

    def "a rollback never brings back a version marked bad since it was deployed good"() {
        given: '1.0 and then 2.0 deployed good; 2.0 is found to corrupt data and marked bad by hand'
        ['1.0', '2.0'].each { deployedGood(it) }
        history.versions.mark('shop', '2.0', VersionStatus.BAD)

        when: '3.0 fails'
        def rollback = deployer.ended(deploy('3.0').runKey(), RunState.FAILED, lookup()).map { it.rollback() }

        then: 'the automatic rollback skips 2.0 for 1.0'
        rollback.get().version() == '1.0'

        when: 'the rollback ends good and 1.0 is rolled back by hand'
        deployer.ended(rollback.get().runKey(), RunState.SUCCEEDED, lookup())
        deployer.rollback('shop', target, 'admin')

        then: 'there is no earlier version worth going back to: 2.0 is bad, 3.0 failed'
        def refused = thrown(DeployRefused)
        refused.getMessage().startsWith("no earlier good version of 'shop' on target 'staging'")
    }

    def "a cancelled deployment marks nothing and brings the target's last good version back"() {
        given: '1.0 deployed good'
        deployedGood('1.0')

        when: "2.0's deployment is cancelled (it may have stopped 1.0's service already)"
        def cancelled = deploy('2.0')
        def rollback = deployer.ended(cancelled.runKey(), RunState.CANCELLED, lookup()).map { it.rollback() }

        then: '1.0 is deployed again; 2.0 stays unjudged'
        rollback.get().version() == '1.0'
        rollback.get().reason() == DeployReason.AUTO_ROLLBACK
        history.byRun(cancelled.runKey()).get().state() == DeploymentState.CANCELLED
        history.versions.find('shop', '2.0').get().status() == VersionStatus.NEW

        and: 'it names its run as a bad verdict does, by number and by the log to read'
        history.byRun(cancelled.runKey()).get().detail() == "version 2.0 was not judged on staging (its run #2 was " +
                "cancelled; 'stoker logs shop/deploy-staging#2' shows how far it got)"

        when: 'that rollback is cancelled too'
        def again = deployer.ended(rollback.get().runKey(), RunState.CANCELLED, lookup()).map { it.rollback() }

        then: 'no rollback of a rollback'
        again.isEmpty()
    }

    def "a target's file pattern names one file of the version: none or several is refused, naming them"() {
        given:
        def manifest = new io.stoker.engine.version.VersionManifest('shop', '1', null, 'r', 'release', Instant.now(),
                ['dist/a.sh', 'dist/b.sh', 'dist/app.jar'].collect { new io.stoker.engine.version.VersionManifest.FileEntry(it, 1, 'x') })

        expect:
        Deployer.pick(manifest, '*.jar') == 'dist/app.jar'
        Deployer.pick(manifest, 'dist/a.sh') == 'dist/a.sh'

        when:
        Deployer.pick(manifest, '*.sh')

        then:
        def several = thrown(DeployRefused)
        several.message == "the target's file '*.sh' matches 2 files of version 1 (dist/a.sh, dist/b.sh): make the pattern match one"

        when:
        Deployer.pick(manifest, '*.war')

        then:
        def none = thrown(DeployRefused)
        none.message.startsWith("version 1 has no file matching '*.war'")
    }

    def "a version stays bad naming every target it failed on, until a good deployment there clears that target"() {
        given: 'three targets'
        def named = ['hang', 'dies', 'other'].collectEntries { [it, new DeployTarget(it, null, 'true', null, null, 60, Pos.NONE)] }
        def targets = { project, name -> Optional.of(named[name]) } as Deployer.TargetLookup
        def verdict = { String name, RunState end ->
            def d = deployer.deploy('shop', named[name], '2.0', 'admin', DeployReason.DEPLOY)
            deployer.ended(d.runKey(), end, targets)
            history.versions.find('shop', '2.0').get()
        }

        when: '2.0 fails on hang and on dies, then works on other'
        verdict('hang', RunState.FAILED)
        verdict('dies', RunState.FAILED)
        def afterOther = verdict('other', RunState.SUCCEEDED)

        then: 'it is bad, naming both'
        afterOther.status() == VersionStatus.BAD
        afterOther.failedOn() == ['hang', 'dies']

        when: 'it works on hang, then on dies'
        def afterHang = verdict('hang', RunState.SUCCEEDED)
        def afterDies = verdict('dies', RunState.SUCCEEDED)

        then: 'each good deployment clears its own target only'
        afterHang.status() == VersionStatus.BAD
        afterHang.failedOn() == ['dies']
        afterDies.status() == VersionStatus.GOOD
        afterDies.failedOn() == []
    }

    def "a version that failed on one target is marked bad there, and still comes back where it worked"() {
        given: 'two targets: 1.0 then 2.0 good on prod'
        def prod = new DeployTarget('prod', null, 'true', null, null, 60, Pos.NONE)
        def targets = { project, name -> Optional.of(name == 'prod' ? prod : target) } as Deployer.TargetLookup
        ['1.0', '2.0'].each { v ->
            def d = deployer.deploy('shop', prod, v, 'admin', DeployReason.DEPLOY)
            deployer.ended(d.runKey(), RunState.SUCCEEDED, targets)
        }

        when: '2.0 fails on staging (its own trouble there), then 3.0 fails on prod'
        def onStaging = deploy('2.0')
        deployer.ended(onStaging.runKey(), RunState.FAILED, targets)
        def marked = history.versions.find('shop', '2.0').get()
        def third = deployer.deploy('shop', prod, '3.0', 'admin', DeployReason.DEPLOY)
        def rollback = deployer.ended(third.runKey(), RunState.FAILED, targets).map { it.rollback() }

        then: '2.0 is bad, naming staging, and prod goes back to 2.0, which works there, not to 1.0'
        marked.status() == VersionStatus.BAD
        marked.failedOn() == ['staging']
        !marked.markedBadByHand()
        rollback.get().version() == '2.0'
        rollback.get().target() == 'prod'

        when: 'staging is rolled back by hand'
        deployer.rollback('shop', target, 'admin')

        then: 'nothing is good there to go back to: 2.0 failed on it'
        thrown(DeployRefused)
    }

    def "a deployment whose run ended without a verdict (a crash in between) is judged by the sweep; one still going is not"() {
        given: '1.0 deployed good; 2.0 and 3.0 deployed, their verdicts never came'
        deployedGood('1.0')
        def lost = deploy('2.0')
        def going = deploy('3.0')
        Deployer.RunStates runs = { key -> Optional.of(key == lost.runKey() ? RunState.SUCCEEDED : RunState.RUNNING) }

        when:
        def judged = deployer.judgeEnded(runs, lookup())

        then:
        judged*.judged()*.runKey() == [lost.runKey()]
        history.byRun(lost.runKey()).get().state() == DeploymentState.GOOD
        history.versions.find('shop', '2.0').get().status() == VersionStatus.GOOD
        history.byRun(going.runKey()).get().state() == DeploymentState.RUNNING
        deployer.judgeEnded(runs, lookup()).isEmpty()
    }
}

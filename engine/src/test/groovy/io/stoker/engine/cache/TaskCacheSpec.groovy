package io.stoker.engine.cache

import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.image.ImageSteps
import io.stoker.engine.approval.ApprovalPort
import io.stoker.engine.run.RunRecord
import io.stoker.engine.run.TaskState
import io.stoker.engine.trigger.JobTrigger
import io.stoker.engine.version.DeployedVersions
import io.stoker.model.Cache
import io.stoker.model.Job
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A task's cache through the engine with real processes and a real file store: each run gets a fresh workspace (as
 * a server's runs do), and the step downloads only when its directory is empty, so the log tells a hit from a miss.
 */
class TaskCacheSpec extends Specification {

    @TempDir
    Path dir

    EngineFixture f
    FileCacheStore caches
    int workspaces

    static final String FETCH = '''\
if [ -z "$(ls -A deps 2>/dev/null)" ]; then echo downloading; mkdir -p deps/lib; echo "$(cat lock.txt)" > deps/lib/x.jar; fi
echo "using $(cat deps/lib/x.jar)"'''

    def setup() {
        caches = FileCacheStore.server(dir.resolve('caches'), 1 << 30, project -> Optional.of('main'), Clock.systemUTC())
        f = new EngineFixture(dir, new LocalExecutor(Files.createDirectories(dir.resolve('scratch'))),
                JobTrigger.UNAVAILABLE, ApprovalPort.UNAVAILABLE, ImageSteps.UNAVAILABLE, DeployedVersions.NONE, caches)
    }

    def cleanup() {
        f?.close()
    }

    /** A fresh workspace holding the lock file, as a checkout would. */
    Path workspace(String lock) {
        Path ws = Files.createDirectories(dir.resolve("ws-${++workspaces}"))
        Files.writeString(ws.resolve('lock.txt'), lock)
        ws
    }

    static Job fetching(String then = 'true') {
        job('ci', task('build', [cache: new Cache('deps', ['deps'], ['lock.txt'])], FETCH + '\n' + then))
    }

    RunRecord run(Job job, String lock, Map opts = [:]) {
        f.run(job, [workspace: workspace(lock), branch: 'main'] + opts)
    }

    String log(RunRecord r) {
        f.log(r, 'build')
    }

    def "a second run restores what the first saved, and does not save it again"() {
        when:
        def first = run(fetching(), 'v1')
        def second = run(fetching(), 'v1')

        then:
        first.task('build').state() == TaskState.SUCCEEDED
        log(first).contains('no cache for key deps-')
        log(first).contains('downloading')
        log(first) =~ /cache deps-[0-9a-f]{8} saved: 1 file/
        second.task('build').state() == TaskState.SUCCEEDED
        log(second) =~ /cache deps-[0-9a-f]{8} restored: 1 file/
        !log(second).contains('downloading')
        log(second).contains('using v1')
        !(log(second) =~ /cache deps-[0-9a-f]{8} saved/)
        caches.list('p')*.scope() == ['branch main']
    }

    def "a changed key file gives another key, which misses"() {
        given:
        def first = run(fetching(), 'v1')

        when:
        def changed = run(fetching(), 'v2')

        then:
        log(changed).contains('no cache for key deps-')
        log(changed).contains('downloading')
        log(changed).contains('using v2')
        key(log(first)) != key(log(changed))
        caches.list('p').size() == 2
    }

    def "a failed task saves nothing, and the next run misses"() {
        when:
        def failed = run(fetching('exit 3'), 'v1')
        def next = run(fetching(), 'v1')

        then:
        failed.task('build').state() == TaskState.FAILED
        !(log(failed) =~ /cache deps-[0-9a-f]{8} saved/)
        log(next).contains('no cache for key deps-')
        log(next).contains('downloading')
    }

    def "a pull request's run writes only its own scope: the default branch never restores it"() {
        when: 'a pull request from a fork whose branch is also called main saves a cache'
        def pr = run(fetching(), 'v1', [pr: 7])
        def main = run(fetching(), 'v1')

        then:
        log(pr).contains('downloading')
        log(pr) =~ /saved: 1 file/
        log(main).contains('no cache for key deps-')
        log(main).contains('downloading')
        caches.list('p')*.scope().toSet() == ['pull request 7', 'branch main'] as Set
    }

    def "a branch without a cache of its own restores the default branch's"() {
        given:
        run(fetching(), 'v1')

        when:
        def feature = run(fetching(), 'v1', [branch: 'feature/x'])
        def pr = run(fetching(), 'v1', [branch: 'fork-main', pr: 8])

        then:
        log(feature) =~ /restored: 1 file/
        !log(feature).contains('downloading')
        log(pr) =~ /restored: 1 file/
        caches.list('p')*.scope() == ['branch main']
    }

    def "matrix cells keep their caches apart"() {
        given:
        def cells = job('ci', task('build', [cache: new Cache('deps', ['deps'], []), matrix: [jdk: '17']], FETCH),
                task('build', [cache: new Cache('deps', ['deps'], []), matrix: [jdk: '21']], FETCH))

        when:
        def r = f.run(cells, [workspace: workspace('v1'), branch: 'main', parallel: 1])

        then:
        [f.log(r, 'build[jdk=17]'), f.log(r, 'build[jdk=21]')].every { it.contains('no cache for key deps-') }
        caches.list('p').size() == 2
    }

    static String key(String log) {
        (log =~ /deps-[0-9a-f]{8}/)[0]
    }
}

package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.EngineFixture.ms
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * Zipping gigabytes of artifacts takes minutes: a cancel or a timeout that comes meanwhile stops it, and no zip cut
 * short is left to pass for the task's artifacts. The artifact is a sparse file, so it costs no disk, only time.
 */
@Timeout(60) // without the stop, zipping 64 GiB of zeros takes minutes: a hang is a failure
class ArtifactCollectionStopSpec extends Specification {
    /** Far more than can be zipped within the spec's time limit. */
    static final String HUGE = 'truncate -s 64G big.bin'

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    def "a cancel while a task's artifacts are zipped stops the zipping, keeps no zip and ends the run cancelled"() {
        given: 'a task whose artifact is being zipped'
        def handle = f.engine.start(f.request(job('j',
                task('build', [artifacts: ['big.bin']], HUGE),
                task('after', [needs: ['build']], 'echo never'))), RunListener.NONE)
        assert await(20_000) { zipping('j-1') }

        when:
        long cancelled = System.nanoTime()
        handle.cancel()
        def run = handle.await()
        long tookMillis = (System.nanoTime() - cancelled) / 1_000_000

        then:
        tookMillis < ms(40_000) // minutes without the stop; a bound far from what a loaded machine needs
        run.state() == RunState.CANCELLED
        run.task('build').state() == TaskState.CANCELLED
        run.task('build').artifacts() == null
        run.task('after').state() == TaskState.CANCELLED
        noZipLeft('j-1')
        f.log(run, 'build').contains('artifact collection stopped before every file was zipped; nothing was kept (cancelled)')
    }

    def "an attempt whose time runs out while its artifacts are zipped ends timed out and keeps no zip"() {
        when: 'the task itself is quick; its time limit also covers zipping what it made'
        long start = System.nanoTime()
        def run = f.run(job('j', task('build', [artifacts: ['big.bin'], timeout: ms(3000)], HUGE)))
        long tookMillis = (System.nanoTime() - start) / 1_000_000

        then:
        tookMillis < ms(40_000) // minutes without the stop; a bound far from what a loaded machine needs
        run.state() == RunState.FAILED
        run.task('build').state() == TaskState.TIMEDOUT
        run.task('build').artifacts() == null
        noZipLeft('j-1')
        f.log(run, 'build').contains('artifact collection stopped')
    }

    def "the job's timeout stops the zipping as it stops a running task"() {
        when:
        def run = f.run(job('j', [timeout: ms(3000)], task('build', [artifacts: ['big.bin']], HUGE)))

        then:
        run.state() == RunState.TIMEDOUT
        run.task('build').state() == TaskState.TIMEDOUT
        noZipLeft('j-1')
    }

    /** A staging file of the run exists: the zipping has begun. */
    private boolean zipping(String key) {
        staging(key).any { it.fileName.toString().endsWith('.zip.part') }
    }

    /** Neither a staged nor a published zip, nor a part of one. */
    private boolean noZipLeft(String key) {
        staging(key).isEmpty() && !Files.exists(f.artifacts.stagedDir(key).resolve('build.zip')) &&
                !Files.exists(f.artifacts.publishedDir(key).resolve('build.zip'))
    }

    private List<Path> staging(String key) {
        Path dir = f.artifacts.stagedDir(key).resolveSibling('tmp')
        if (!Files.isDirectory(dir)) return []
        Files.list(dir).withCloseable { it.toList() }
    }
}

package io.stoker.engine.run

import io.stoker.engine.files.FileTrees
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import io.stoker.model.Job
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream

import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** A partial rerun as an engine input: reused tasks end as recorded without running, as if they had run. */
@Timeout(60)
class ReuseSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake)
    }

    def "a reused task does not run, ends as recorded and its outputs reach its dependants"() {
        given:
        def j = job('j', task('a', 'never'), task('b', [needs: ['a']], 'echo ${{ outputs.a.version }}'))
        def reused = [a: new ReusedTask('j-1', TaskState.SUCCEEDED, [version: '1.2'], null)]

        when:
        def run = f.engine.run(f.request(j).withReused(reused), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['b']
        fake.launches.find { it.task() == 'b' }.scripts() == ['echo 1.2']
        run.task('a').state() == TaskState.SUCCEEDED
        run.task('a').attempts() == 0
        run.task('a').outputs() == [version: '1.2']
        f.log(run, 'a').contains('reused the outputs and artifacts of run j-1')
        f.store.load(run.key()).get().task('a').outputs() == [version: '1.2']
    }

    def "a reused task's artifact zip is copied into the run and published with it"() {
        given:
        Path zip = tmp.resolve('earlier-a.zip')
        new ZipOutputStream(Files.newOutputStream(zip)).withCloseable { z ->
            z.putNextEntry(new ZipEntry('out/app.txt'))
            z.write('binary\n'.bytes)
            z.closeEntry()
        }
        def reused = [a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zip)]

        when:
        def run = f.engine.run(f.request(job('j', task('a', 'never'), task('b', [needs: ['a']], 'x'))).withReused(reused),
                RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        Path published = Path.of(run.task('a').artifacts())
        published.startsWith(f.artifacts.publishedDir(run.key()))
        Files.readAllBytes(published) == Files.readAllBytes(zip)
        Files.exists(zip) // the earlier run keeps its own
    }

    def "a rerun from a task finds the artifacts of the tasks it reuses in its workspace"() {
        given: 'the local executor, and a job whose second task reads a file the first one kept as an artifact'
        def local = new EngineFixture(tmp.resolve('local'))
        def j = job('j', task('a', [artifacts: ['dist/']], 'mkdir -p dist && echo 1.2.3 > dist/v.txt'),
                task('b', [needs: ['a']], 'test -f dist/v.txt && echo "has $(cat dist/v.txt)"'))

        when:
        def (earlier, run) = runThenRerunFrom(local, j, 'b')

        then:
        run.state() == RunState.SUCCEEDED
        local.log(run, 'b').contains('has 1.2.3')
        local.log(run, 'a').contains("reused the outputs and artifacts of run ${earlier.key()} "
                + '(1 file restored into the workspace: dist/v.txt)')

        cleanup:
        local?.close()
    }

    def "a rerun from a task can run the executables the tasks it reuses kept as artifacts"() {
        given: 'the local executor; the first task builds a tool, the second runs it'
        def local = new EngineFixture(tmp.resolve('local'))
        def j = job('j', task('build', [artifacts: ['bin/tool']],
                'mkdir -p bin && printf \'#!/bin/sh\\necho tool ran\\n\' > bin/tool && chmod 755 bin/tool'),
                task('use', [needs: ['build']], './bin/tool'))

        when:
        def (earlier, run) = runThenRerunFrom(local, j, 'use')

        then:
        run.state() == RunState.SUCCEEDED
        local.log(run, 'use').contains('tool ran')
        PosixFilePermissions.toString(Files.getPosixFilePermissions(local.workspace.resolve('bin/tool'))) == 'rwxr-xr-x'

        cleanup:
        local?.close()
    }

    def "a restored file keeps its permission bits but never setuid or setgid, and no link is made"() {
        given: 'a zip made on Unix with a setuid, setgid executable and a link to a file outside'
        Path zip = tmp.resolve('unix.zip')
        new ZipArchiveOutputStream(zip).withCloseable { z ->
            def tool = new ZipArchiveEntry('bin/tool')
            tool.unixMode = 0106750
            z.putArchiveEntry(tool)
            z.write('#!/bin/sh\n'.bytes)
            z.closeArchiveEntry()
            def link = new ZipArchiveEntry('passwd')
            link.unixMode = 0120777
            z.putArchiveEntry(link)
            z.write('/etc/passwd'.bytes)
            z.closeArchiveEntry()
        }

        when:
        def run = f.engine.run(f.request(job('j', task('a', 'never'), task('b', [needs: ['a']], 'x')))
                .withReused([a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zip)]), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        ((Files.getAttribute(f.workspace.resolve('bin/tool'), 'unix:mode') as int) & 07777) == 0750
        !Files.exists(f.workspace.resolve('passwd'), LinkOption.NOFOLLOW_LINKS)
        f.log(run, 'a').contains('(1 file restored into the workspace: bin/tool; 1 left out: passwd)')
    }

    /** Runs {@code j} on {@code local}, then again from task {@code from} in an emptied workspace: [earlier, rerun]. */
    private static List<RunRecord> runThenRerunFrom(EngineFixture local, Job j, String from) {
        def earlier = local.run(j)
        assert earlier.state() == RunState.SUCCEEDED
        FileTrees.deleteContents(local.workspace) // a rerun starts in a fresh workspace
        [earlier, local.engine.run(local.request(j).withReused(new PartialRerun(j, [from]).reused(earlier)), RunListener.NONE)]
    }

    def "a rerun from a task runs it and the tasks after it; a task beside it keeps its earlier result"() {
        given: 'report needs only test: it comes neither before deploy nor after it, and neither does lint'
        def j = job('j', task('build', 'b'), task('test', [needs: ['build']], 't'),
                task('deploy', [needs: ['test']], 'd'), task('smoke', [needs: ['deploy']], 's'),
                task('report', [needs: ['test']], 'r'), task('lint', 'l'))
        fake.on('report') { output = 'pages=3' }
        fake.on('lint') { exitCode = 1 }
        def earlier = f.run(j)
        int before = fake.started().size()

        when:
        def run = f.engine.run(f.request(j).withReused(new PartialRerun(j, ['deploy']).reused(earlier)), RunListener.NONE)

        then: 'only deploy and what needs it run again'
        fake.started().drop(before) == ['deploy', 'smoke']

        and: 'build and test before it, report and lint beside it, end as they ended in the earlier run'
        ['build', 'test', 'report'].every { run.task(it).state() == TaskState.SUCCEEDED && run.task(it).attempts() == 0 }
        run.task('report').outputs() == [pages: '3']
        f.log(run, 'report').contains("reused the outputs and artifacts of run ${earlier.key()}")
        run.task('lint').state() == TaskState.FAILED
        run.task('lint').outcome().reason() == "as in run ${earlier.key()}"
        run.state() == RunState.FAILED
    }

    def "a task beside the rerun's start runs again when a task it needs does"() {
        given: 'test failed, so checks was skipped: a rerun from deploy runs test again, and checks with it'
        def j = job('j', task('test', 't'), task('deploy', [needs: ['test']], 'd'),
                task('checks', [needs: ['test']], 'c'), task('lint', 'l'))
        fake.on('test') { exitCode = 1 }
        def earlier = f.run(j)
        assert earlier.task('checks').state() == TaskState.SKIPPED
        fake.on('test') { exitCode = 0 }
        int before = fake.started().size()

        when:
        def run = f.engine.run(f.request(j).withReused(new PartialRerun(j, ['deploy']).reused(earlier)), RunListener.NONE)

        then:
        fake.started().drop(before) as Set == ['test', 'deploy', 'checks'] as Set
        run.task('lint').attempts() == 0
        run.state() == RunState.SUCCEEDED
    }

    def "a reused task's artifacts are restored before any task runs, over what the workspace holds"() {
        given:
        Path zip = zipOf('earlier-a.zip', 'out/app.txt': 'new\n', 'out/lib.txt': 'lib\n')
        Files.createDirectories(f.workspace.resolve('out'))
        Files.writeString(f.workspace.resolve('out/app.txt'), 'checked out\n')
        def seen = null
        fake.on('c') { whenStarted = { seen = Files.readString(f.workspace.resolve('out/app.txt')) } }
        def j = job('j', task('a', 'never'), task('b', [needs: ['a']], 'x'), task('c', 'y'))

        when: 'c needs nothing reused, yet starts after the restore'
        def run = f.engine.run(f.request(j).withReused([a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zip)]),
                RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        seen == 'new\n'
        Files.readString(f.workspace.resolve('out/lib.txt')) == 'lib\n'
        f.log(run, 'a').contains('(2 files restored into the workspace: out/app.txt, out/lib.txt)')
    }

    def "a later reused task's copy of a file wins over an earlier one's"() {
        given:
        def reused = [a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zipOf('a.zip', 'v.txt': 'from a')),
                      b: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zipOf('b.zip', 'v.txt': 'from b'))]
        // b is declared first, so only the graph says a comes before it
        def j = job('j', task('b', [needs: ['a']], 'never'), task('a', 'never'), task('c', [needs: ['b']], 'x'))

        when:
        def run = f.engine.run(f.request(j).withReused(reused), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        Files.readString(f.workspace.resolve('v.txt')) == 'from b'
    }

    def "a reused task's zip writes nothing outside the workspace, neither by name nor through a link"() {
        given:
        Path outside = Files.createDirectories(tmp.resolve('outside'))
        Files.createSymbolicLink(f.workspace.resolve('dist'), outside)
        Path zip = zipOf('evil.zip', '../escaped.txt': 'x', 'dist/v.txt': 'x', 'ok.txt': 'fine')

        when:
        def run = f.engine.run(f.request(job('j', task('a', 'never'), task('b', [needs: ['a']], 'x')))
                .withReused([a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], zip)]), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        !Files.exists(tmp.resolve('escaped.txt'))
        !Files.exists(outside.resolve('v.txt'))
        Files.readString(f.workspace.resolve('ok.txt')) == 'fine'
        f.log(run, 'a').contains('(1 file restored into the workspace: ok.txt; 2 left out: ../escaped.txt, dist/v.txt)')
    }

    def "a reused task waits for the tasks it needs, as if it ran after them"() {
        given:
        fake.on('first') { hold = true }
        def j = job('j', task('first', 'x'), task('a', [needs: ['first']], 'never'), task('b', [needs: ['a']], 'y'))
        def handle = f.engine.start(f.request(j).withReused([a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], null)]),
                RunListener.NONE)

        expect:
        await(5000) { fake.started() == ['first'] }
        handle.snapshot().task('a').state() == TaskState.PENDING

        when:
        fake.release('first')
        def run = handle.await()

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['first', 'b']
        run.task('a').state() == TaskState.SUCCEEDED
    }

    def "a pipe is reused whole or run whole: a reader cannot read a writer that did not run"() {
        when:
        def run = f.engine.run(f.request(job('j', task('w', 'x'), task('r', [input: 'w'], 'y'), task('c', [needs: ['r']], 'z')))
                .withReused([w: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], null)]), RunListener.NONE)

        then:
        run.state() == RunState.SUCCEEDED
        fake.started().toSet() == ['w', 'r', 'c'] as Set
    }

    def "a cancel before a reused task's turn cancels it like any task not started"() {
        given:
        fake.on('first') { hold = true }
        def j = job('j', task('first', 'x'), task('a', [needs: ['first']], 'never'))
        def handle = f.engine.start(f.request(j).withReused([a: new ReusedTask('j-1', TaskState.SUCCEEDED, [:], null)]),
                RunListener.NONE)
        assert await(5000) { fake.started() == ['first'] }

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('a').state() == TaskState.CANCELLED
    }

    def "a rerun from a task reuses what it waits for, directly or not, that succeeded before"() {
        given:
        fake.on('b') { output = 'k=v' }
        fake.on('x') { exitCode = 1 }
        def j = job('j', task('a', '1'), task('b', [needs: ['a']], '2'), task('x', '3'),
                task('c', [needs: ['b', 'x'], when: 'always()'], '4'), task('d', [needs: ['c']], '5'))
        def earlier = f.run(j)

        when:
        def reused = new PartialRerun(j, ['c']).reused(earlier)

        then: 'x failed, so it runs again; c and d are from the rerun task on'
        reused.keySet() == ['a', 'b'] as Set
        reused.b.outputs() == [k: 'v']
        reused.b.fromRun() == earlier.key()
        new PartialRerun(j, ['nope']).reused(earlier).isEmpty() // nothing to start from: everything runs
    }

    def "a rerun of the failed tasks starts from each task that failed or timed out; the rest is taken over"() {
        given: 'unit and e2e failed, so package after unit was skipped; lint succeeded, docs was skipped by its when'
        def j = job('j', task('build', 'b'), task('unit', [needs: ['build']], 'u'),
                task('package', [needs: ['unit']], 'p'), task('e2e', [needs: ['build']], 'e'),
                task('lint', 'l'), task('docs', [when: 'false'], 'd'))
        fake.on('unit') { exitCode = 1 }
        fake.on('e2e') { exitCode = 2 }
        def earlier = f.run(j)
        assert earlier.task('package').state() == TaskState.SKIPPED
        fake.on('unit') { exitCode = 0 }
        fake.on('e2e') { exitCode = 0 }
        int before = fake.started().size()

        when:
        def rerun = PartialRerun.ofFailed(j, earlier)
        def run = f.engine.run(f.request(j).withReused(rerun.reused(earlier)), RunListener.NONE)

        then:
        rerun.starts() == ['unit', 'e2e']
        fake.started().drop(before) as Set == ['unit', 'package', 'e2e'] as Set
        ['build', 'lint'].every { run.task(it).attempts() == 0 && run.task(it).state() == TaskState.SUCCEEDED }
        run.task('docs').state() == TaskState.SKIPPED
        run.state() == RunState.SUCCEEDED

        and: 'a run in which nothing failed has nothing to start from'
        PartialRerun.ofFailed(j, run).starts().isEmpty()
    }

    private Path zipOf(Map<String, String> files, String name) {
        Path zip = tmp.resolve(name)
        new ZipOutputStream(Files.newOutputStream(zip)).withCloseable { z ->
            files.each { path, text ->
                z.putNextEntry(new ZipEntry(path))
                z.write(text.bytes)
                z.closeEntry()
            }
        }
        zip
    }
}

package io.stoker.engine.run

import io.stoker.engine.exec.local.ArtifactZip
import io.stoker.engine.files.WorkspaceFiles
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * Artifacts are listed first and read later: a second task of the run, in the same workspace, may meanwhile swap a
 * directory for a link to the server's files. No artifact is read through a link in any directory of its path, and
 * nothing that is not a regular file (a FIFO would wait for a writer forever) is read at all.
 */
@Timeout(60)
class ArtifactLinkSwapSpec extends Specification {
    static final String SECRET = 'the server master key'

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()

    @AutoCleanup
    EngineFixture f

    /** A directory of the server's that no task may publish. */
    Path dataDir

    def setup() {
        f = new EngineFixture(tmp, fake)
        dataDir = Files.createDirectories(tmp.resolve('data'))
        Files.writeString(dataDir.resolve('master.key'), SECRET)
    }

    def "a directory swapped for a link between listing and zipping is not read through: its file is left out and the log says why"() {
        given: 'a task whose artifacts are listed, then a directory of them swapped for a link out, then zipped'
        fake.on('a') {
            collect = { Path ws, List<String> globs, Path zip, stopped ->
                Files.createDirectories(ws.resolve('big'))
                Files.writeString(ws.resolve('big/aaa.bin'), 'big')
                Files.createDirectories(ws.resolve('zz'))
                Files.writeString(ws.resolve('zz/master.key'), 'dummy')
                WorkspaceFiles.open(ws).withCloseable { files ->
                    def listed = ArtifactZip.matching(files, globs)
                    assert listed*.relative()*.toString() == ['big/aaa.bin', 'zz/master.key']
                    Files.move(ws.resolve('zz'), ws.resolve('zz.old'))
                    Files.createSymbolicLink(ws.resolve('zz'), dataDir)
                    ArtifactZip.write(files, listed, zip, stopped)
                }
            }
        }

        when:
        def run = f.run(job('j', task('a', [artifacts: ['big/**', 'zz/**']], 'x')))
        def zipped = entries(run.task('a').artifacts())

        then: 'the run goes on with what is still the workspace\'s'
        run.state() == RunState.SUCCEEDED
        zipped == ['big/aaa.bin': 'big']
        !zipped.values().any { it.contains(SECRET) }

        and:
        f.log(run, 'a').contains('system artifact left out: zz/master.key: zz is no longer a directory inside the workspace')
        f.log(run, 'a').contains('artifacts: 1 file kept as a.zip')
    }

    def "a link to a directory and a FIFO matched by the artifact globs are left out, and the zipping does not wait"() {
        given: 'a workspace with a regular file, a link to a directory outside and a FIFO no one writes to'
        Path ws = Files.createDirectories(tmp.resolve('own-ws'))
        Files.createDirectories(ws.resolve('out'))
        Files.writeString(ws.resolve('out/app.txt'), 'app')
        Files.createSymbolicLink(ws.resolve('out/data'), dataDir)
        Files.createSymbolicLink(ws.resolve('linked'), dataDir)
        assert new ProcessBuilder('mkfifo', ws.resolve('out/pipe').toString()).start().waitFor() == 0
        Path zip = tmp.resolve('a.zip')

        when:
        def collected = ArtifactZip.collect(ws, ['out/**', 'linked/**', 'linked'], zip, { false })

        then:
        collected.files() == 1
        entries(zip.toString()) == ['out/app.txt': 'app']
    }

    private static Map<String, String> entries(String zip) {
        new ZipFile(zip).withCloseable { z -> z.entries().collectEntries { [it.name, z.getInputStream(it).text] } }
    }
}

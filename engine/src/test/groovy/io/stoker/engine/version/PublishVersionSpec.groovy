package io.stoker.engine.version

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.version.DeployedVersions
import io.stoker.engine.image.ImageSteps
import io.stoker.engine.approval.ApprovalPort
import io.stoker.engine.trigger.JobTrigger
import io.stoker.engine.run.RunState
import io.stoker.model.Pos
import io.stoker.model.Publish
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** A job that says {@code publish} turns a successful run's artifacts into a version of the project. */
class PublishVersionSpec extends Specification {
    @TempDir
    Path dir
    EngineFixture f

    def setup() {
        f = new EngineFixture(dir)
    }

    def cleanup() {
        f?.close()
    }

    static Publish publish(String version = null, int keepLast = 0, int keepDays = 0) {
        new Publish(version, keepLast, keepDays, Pos.NONE)
    }

    def "a successful run publishes its artifacts under the version its build task announced"() {
        when:
        def run = f.run(job('release', [publish: publish('${{ outputs.build.version }}')],
                task('build', [artifacts: ['dist/**']],
                        'mkdir -p dist/lib && printf "app" > dist/app.jar && printf "lib" > dist/lib/util.jar && echo version=1.4.2 >> "$STOKER_OUTPUT"'),
                task('docs', [artifacts: ['README.txt']], 'echo readme > README.txt')), [commit: 'abc123'])

        then:
        run.state() == RunState.SUCCEEDED
        def v = f.versions.find('p', '1.4.2').get()
        v.status() == VersionStatus.NEW
        v.manifest().runKey() == run.context().key()
        v.manifest().job() == 'release'
        v.manifest().commit() == 'abc123'
        v.manifest().files()*.path() == ['README.txt', 'dist/app.jar', 'dist/lib/util.jar']
        v.manifest().files().find { it.path() == 'dist/app.jar' }.sha256() == sha256('app'.bytes)
        v.manifest().files().find { it.path() == 'dist/app.jar' }.size() == 3
        Files.readString(dir.resolve('versions/p/1.4.2/dist/lib/util.jar')) == 'lib'
        Files.isRegularFile(dir.resolve('versions/p/archive/1.4.2.tar.gz'))

        and: 'the archive holds the same files, byte for byte'
        untar(f.versions.archive('p', '1.4.2').get()) == [
                'README.txt'       : Files.readAllBytes(dir.resolve('versions/p/1.4.2/README.txt')),
                'dist/app.jar'     : 'app'.bytes,
                'dist/lib/util.jar': 'lib'.bytes]

        and: 'the log says so'
        f.log(run, 'docs').contains('published version 1.4.2 of p: 3 files')
    }

    def "without a version the run number is the version"() {
        when:
        def run = f.run(job('j', [publish: publish()], task('t', [artifacts: ['a.txt']], 'echo a > a.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        f.versions.list('p')*.version() == [run.context().number() as String]
    }

    def "a failed run publishes nothing"() {
        when:
        def run = f.run(job('j', [publish: publish('7')],
                task('build', [artifacts: ['a.txt']], 'echo a > a.txt'),
                task('test', [needs: ['build']], 'exit 3')))

        then:
        run.state() == RunState.FAILED
        f.versions.list('p').isEmpty()
        !Files.exists(dir.resolve('versions/p/7'))
    }

    def "publishing a version that exists fails the run and says why in its log"() {
        given:
        def j = job('j', [publish: publish('2.0')], task('t', [artifacts: ['a.txt']], 'echo first > a.txt'))
        f.run(j)

        when:
        def again = f.run(job('j', [publish: publish('2.0')], task('t', [artifacts: ['a.txt']], 'echo second > a.txt')))

        then:
        again.state() == RunState.FAILED
        again.reason().contains('version 2.0 of project p exists already')
        f.log(again, 't').contains('publish refused: version 2.0 of project p exists already')
        Files.readString(dir.resolve('versions/p/2.0/a.txt')) == 'first\n'
    }

    def "a run an administrator forced replaces the version that exists, and its log says so"() {
        given:
        f.run(job('j', [publish: publish('2.0')], task('t', [artifacts: ['a.txt']], 'echo first > a.txt')))
        f.versions.mark('p', '2.0', VersionStatus.BAD)

        when:
        def forced = f.run(job('j', [publish: publish('2.0')], task('t', [artifacts: ['a.txt']], 'echo second > a.txt')),
                [forcePublish: true])

        then:
        forced.state() == RunState.SUCCEEDED
        Files.readString(dir.resolve('versions/p/2.0/a.txt')) == 'second\n'
        with(f.versions.find('p', '2.0').get()) {
            manifest().runKey() == forced.context().key()
            status() == VersionStatus.NEW
        }
        untar(f.versions.archive('p', '2.0').get()) == ['a.txt': 'second\n'.bytes]
        f.log(forced, 't').contains('published (forced: replacing any earlier one) version 2.0 of p')
    }

    def "a version the template renders into something unusable fails the run"() {
        when:
        def run = f.run(job('j', [publish: publish('${{ outputs.t.v }}')],
                task('t', [artifacts: ['a.txt']], 'echo a > a.txt; echo "v=../etc" >> "$STOKER_OUTPUT"')))

        then:
        run.state() == RunState.FAILED
        run.reason().startsWith('publish refused: version \'../etc\' must start with a letter or digit')
        f.versions.list('p').isEmpty()
    }

    def "retention keeps the newest versions and the good ones"() {
        given:
        def j = { String v -> job('j', [publish: publish(v, 2, 0)], task('t', [artifacts: ['a.txt']], "echo $v > a.txt")) }

        when:
        f.run(j('1'))
        f.versions.mark('p', '1', VersionStatus.GOOD)
        ['2', '3', '4'].each { f.run(j(it)) }

        then: 'the newest two stay, 1 stays because it is good, 2 is gone'
        f.versions.list('p')*.version() as Set == ['1', '3', '4'] as Set
        !Files.exists(dir.resolve('versions/p/2'))
        !Files.exists(dir.resolve('versions/p/archive/2.tar.gz'))
    }

    def "retention never removes a version a deploy target runs now, however old"() {
        given: 'a deploy target runs version 2'
        def g = new EngineFixture(dir.resolve('deployed'), null, JobTrigger.UNAVAILABLE, ApprovalPort.UNAVAILABLE,
                ImageSteps.UNAVAILABLE, { String project -> project == 'p' ? ['2'] as Set : [] as Set } as DeployedVersions)
        def j = { String v -> job('j', [publish: publish(v, 1, 0)], task('t', [artifacts: ['a.txt']], "echo $v > a.txt")) }

        when:
        ['1', '2', '3', '4'].each { g.run(j(it)) }

        then: 'the newest stays, 2 stays because it is deployed, 1 and 3 are gone'
        g.versions.list('p')*.version() as Set == ['2', '4'] as Set
        Files.exists(dir.resolve('deployed/versions/p/archive/2.tar.gz'))
        !Files.exists(dir.resolve('deployed/versions/p/3'))

        cleanup:
        g?.close()
    }

    static byte[] sha(byte[] b) { MessageDigest.getInstance('SHA-256').digest(b) }

    static String sha256(byte[] b) { HexFormat.of().formatHex(sha(b)) }

    static Map<String, byte[]> untar(Path archive) {
        def out = new TreeMap<String, byte[]>()
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive))).withCloseable { tar ->
            for (def e = tar.nextEntry; e != null; e = tar.nextEntry) {
                if (!e.directory) out[e.name] = tar.readAllBytes()
            }
        }
        out
    }
}

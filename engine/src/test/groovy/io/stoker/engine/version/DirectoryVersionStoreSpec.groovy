package io.stoker.engine.version

import io.stoker.engine.exec.local.ArtifactZip
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/** The directory store: whole versions or none, immutable, marks, deletes, and what a crash leaves behind. */
class DirectoryVersionStoreSpec extends Specification {
    @TempDir
    Path dir

    Path zip(String name, Map<String, String> files) {
        Path z = dir.resolve(name + '.zip')
        new ZipOutputStream(Files.newOutputStream(z)).withCloseable { out ->
            files.each { k, v ->
                out.putNextEntry(new ZipEntry(k))
                out.write(v.bytes)
                out.closeEntry()
            }
        }
        z
    }

    Release release(String version, Map<String, Path> zips, boolean force = false, Instant at = Instant.now()) {
        new Release('web', version, 'web-1', 'build', null, zips, force, at)
    }

    def "a version left half written by a killed publish is invisible and removed when the store opens"() {
        given: 'what a publish killed before its last rename leaves: an aside dir, an archive and a manifest'
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['x.txt': 'x'])]))
        Path project = dir.resolve('store/web')
        Files.writeString(Files.createDirectories(project.resolve('.aside-2-0000/files')).resolve('x.txt'), 'half')
        Files.copy(project.resolve('archive/1.tar.gz'), project.resolve('archive/2.tar.gz'))
        Files.copy(project.resolve('.manifest/1.json'), project.resolve('.manifest/2.json'))

        expect: 'it is not a version'
        store.list('web')*.version() == ['1']
        store.find('web', '2').isEmpty()
        store.archive('web', '2').isEmpty()

        when: 'the server starts again'
        new DirectoryVersionStore(dir.resolve('store'))

        then: 'the leftovers are gone and version 1 is untouched'
        Files.list(project).map { it.fileName.toString() }.toList() as Set == ['.manifest', '1', 'archive'] as Set
        !Files.exists(project.resolve('archive/2.tar.gz'))
        !Files.exists(project.resolve('.manifest/2.json'))
        Files.readString(project.resolve('1/x.txt')) == 'x'
    }

    def "a project another server is changing (its lock held) keeps what looks like leftovers when a store opens"() {
        given: 'a publish of another server under way: its aside directory and its archive moved into place'
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['x.txt': 'x'])]))
        Path project = dir.resolve('store/web')
        Files.writeString(Files.createDirectories(project.resolve('.aside-2-0000/files')).resolve('x.txt'), 'half')
        Files.copy(project.resolve('archive/1.tar.gz'), project.resolve('archive/2.tar.gz'))

        and: "that server holds the project's lock (another process: python's lockf is the same POSIX lock)"
        Path lockFile = dir.resolve("store/${DirectoryVersionStore.LOCKS}/web.lock")
        def holder = new ProcessBuilder('python3', '-c', 'import fcntl, sys; f = open(sys.argv[1], "a"); '
                + 'fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); sys.stdin.read()', lockFile.toString())
                .redirectErrorStream(true).start()
        assert holder.inputStream.newReader().readLine() == 'locked'

        when: 'a server starts meanwhile'
        new DirectoryVersionStore(dir.resolve('store'))

        then: 'the publish under way keeps its files'
        Files.exists(project.resolve('.aside-2-0000/files/x.txt'))
        Files.exists(project.resolve('archive/2.tar.gz'))

        when: 'the other server is done (here: gone, its lock with it) and a server starts again'
        holder.outputStream.close()
        assert holder.waitFor(10, TimeUnit.SECONDS)
        new DirectoryVersionStore(dir.resolve('store'))

        then: 'now they are leftovers, and removed'
        !Files.exists(project.resolve('.aside-2-0000'))
        !Files.exists(project.resolve('archive/2.tar.gz'))
        Files.readString(project.resolve('1/x.txt')) == 'x'

        cleanup:
        holder?.destroyForcibly()
    }

    def "GNU tar lists a version's archive without a warning"() {
        given:
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['dist/app.txt': 'app', 'notes.txt': 'n'])]))
        Path archive = store.archive('web', '1').orElseThrow()

        when:
        def tar = new ProcessBuilder('tar', '-tzf', archive.toString()).start()
        String listed = tar.inputStream.text
        String warned = tar.errorStream.text

        then:
        tar.waitFor() == 0
        warned == ''
        listed.readLines() as Set == ['dist/app.txt', 'notes.txt'] as Set
    }

    def "an executable a task kept stays executable in the version and in its archive"() {
        given: 'a task\'s artifacts zipped as a run zips them, from a workspace with an executable'
        Path ws = Files.createDirectories(dir.resolve('ws/bin'))
        Files.writeString(ws.resolve('tool'), '#!/bin/sh\n')
        Files.setPosixFilePermissions(ws.resolve('tool'), PosixFilePermissions.fromString('rwxr-xr-x'))
        Path zip = dir.resolve('build.zip')
        ArtifactZip.collect(ws.parent, ['bin/**'], zip, { false })
        def store = new DirectoryVersionStore(dir.resolve('store'))

        when:
        store.publish(release('1', [build: zip]))
        def tar = new ProcessBuilder('tar', '-tvzf', store.archive('web', '1').orElseThrow().toString()).start()
        String listed = tar.inputStream.text

        then:
        tar.waitFor() == 0
        Files.isExecutable(store.file('web', '1', 'bin/tool').get())
        listed.startsWith('-rwxr-xr-x')
    }

    def "versions are immutable unless the publish forces"() {
        given:
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['x.txt': 'one'])]))

        expect:
        store.publish(release('1', [a: zip('b', ['x.txt': 'two'])])) instanceof PublishOutcome.Refused
        Files.readString(store.file('web', '1', 'x.txt').get()) == 'one'
        store.publish(release('1', [a: zip('c', ['x.txt': 'three'])], true)) instanceof PublishOutcome.Published
        Files.readString(store.file('web', '1', 'x.txt').get()) == 'three'
    }

    def "a forced re-publish killed before its last rename leaves the old version whole, put back when the store opens"() {
        given: 'version 1, marked good'
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['x.txt': 'old'])]))
        store.mark('web', '1', VersionStatus.GOOD)
        Path project = dir.resolve('store/web')
        def oldManifest = Files.readString(project.resolve('.manifest/1.json'))
        def oldArchive = Files.readAllBytes(project.resolve('archive/1.tar.gz'))

        and: 'what a forced re-publish killed just before renaming the new tree leaves: the old version set aside, the new archive and manifest in place'
        def other = new DirectoryVersionStore(dir.resolve('other'))
        other.publish(release('1', [a: zip('b', ['x.txt': 'new'])]))
        Path aside = Files.createDirectories(project.resolve('.aside-1-0000'))
        Files.move(project.resolve('1'), Files.createDirectories(aside.resolve('replaced')).resolve('files'))
        Files.writeString(aside.resolve('replaced/version'), '1')
        Files.move(project.resolve('archive/1.tar.gz'), aside.resolve('replaced/archive.tar.gz'))
        Files.move(project.resolve('.manifest/1.json'), aside.resolve('replaced/manifest.json'))
        Files.move(project.resolve('.status/1'), aside.resolve('replaced/status'))
        Files.copy(dir.resolve('other/web/archive/1.tar.gz'), project.resolve('archive/1.tar.gz'))
        Files.copy(dir.resolve('other/web/.manifest/1.json'), project.resolve('.manifest/1.json'))
        Files.move(dir.resolve('other/web/1'), aside.resolve('files'))

        expect: 'meanwhile there is no version 1 at all, rather than a mix'
        store.find('web', '1').isEmpty()
        store.list('web').isEmpty()

        when: 'the server starts again'
        def reopened = new DirectoryVersionStore(dir.resolve('store'))

        then: 'the old version is back, whole, with its mark'
        Files.readString(reopened.file('web', '1', 'x.txt').get()) == 'old'
        Files.readString(project.resolve('.manifest/1.json')) == oldManifest
        Files.readAllBytes(reopened.archive('web', '1').get()) == oldArchive
        reopened.find('web', '1').get().status() == VersionStatus.GOOD
        Files.list(project).map { it.fileName.toString() }.toList() as Set == ['.manifest', '.status', '1', 'archive'] as Set
    }

    def "a forced re-publish that reached its end is kept when the store opens"() {
        given:
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['x.txt': 'old'])]))
        store.publish(release('1', [a: zip('b', ['x.txt': 'new'])], true))
        Path project = dir.resolve('store/web')

        and: 'the old version still set aside, as a kill after the last rename leaves it'
        Path replaced = Files.createDirectories(project.resolve('.aside-1-0001/replaced/files'))
        Files.writeString(replaced.resolve('x.txt'), 'old')
        Files.writeString(replaced.resolveSibling('version'), '1')

        when:
        def reopened = new DirectoryVersionStore(dir.resolve('store'))

        then:
        Files.readString(reopened.file('web', '1', 'x.txt').get()) == 'new'
        !Files.exists(project.resolve('.aside-1-0001'))
    }

    def "two tasks bringing the same file are refused instead of one silently winning"() {
        given:
        def store = new DirectoryVersionStore(dir.resolve('store'))

        when:
        def outcome = store.publish(release('1', [a: zip('a', ['x.txt': 'a']), b: zip('b', ['x.txt': 'b'])]))

        then:
        outcome == new PublishOutcome.Refused('file x.txt comes from two tasks (a, b)')
        store.list('web').isEmpty()
    }

    def "marks, file lookups that stay inside the version, and deletes"() {
        given:
        def store = new DirectoryVersionStore(dir.resolve('store'))
        store.publish(release('1', [a: zip('a', ['d/x.txt': 'x'])]))

        expect:
        store.mark('web', '1', VersionStatus.BAD)
        store.find('web', '1').get().status() == VersionStatus.BAD
        !store.mark('web', '9', VersionStatus.GOOD)
        store.file('web', '1', 'd/x.txt').isPresent()
        store.file('web', '1', '../archive/1.tar.gz').isEmpty()
        store.file('web', '1', 'd').isEmpty()

        when:
        def deleted = store.delete('web', '1')

        then:
        deleted
        store.list('web').isEmpty()
        !store.delete('web', '1')
        Files.list(dir.resolve('store/web')).flatMap { Files.isDirectory(it) ? Files.list(it) : [it].stream() }.toList().isEmpty()
    }

    def "a publish still reading its artifacts holds up its own project's changes, not another project's"() {
        given: "web's artifact is a FIFO: its publish waits there until the spec writes the zip into it"
        def store = new DirectoryVersionStore(dir.resolve('store'))
        Path fifo = dir.resolve('slow.zip')
        assert new ProcessBuilder('mkfifo', fifo.toString()).start().waitFor() == 0
        def threads = Executors.newCachedThreadPool() // not the common pool: on two cores it has one thread
        def slow = CompletableFuture.supplyAsync({ store.publish(release('1', [a: fifo])) }, threads)
        def deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (!aside(dir.resolve('store/web')) && System.nanoTime() < deadline) Thread.sleep(10)
        assert aside(dir.resolve('store/web')): 'the slow publish began'

        when: 'another project publishes, marks and deletes meanwhile'
        def other = CompletableFuture.supplyAsync({
            def r = new Release('api', '7', 'api-1', 'build', null, [a: zip('api', ['y.txt': 'y'])], false, Instant.now())
            def out = store.publish(r)
            store.mark('api', '7', VersionStatus.GOOD)
            out
        }, threads).get(30, TimeUnit.SECONDS)

        then:
        other instanceof PublishOutcome.Published
        store.find('api', '7').get().status() == VersionStatus.GOOD
        !slow.done

        when: 'the slow artifact arrives'
        def source = zip('web', ['x.txt': 'x'])
        fifo.toFile().withOutputStream { out -> Files.copy(source, out) }
        def done = slow.get(30, TimeUnit.SECONDS)

        then:
        done instanceof PublishOutcome.Published
        Files.readString(store.file('web', '1', 'x.txt').get()) == 'x'

        cleanup:
        threads?.shutdownNow()
    }

    static boolean aside(Path project) {
        Files.isDirectory(project) && Files.list(project).withCloseable { s -> s.anyMatch { it.fileName.toString().startsWith('.aside-') } }
    }

    def "retention by age keeps young versions, good ones and protected ones"() {
        given:
        def now = Instant.parse('2026-11-23T00:00:00Z')
        def store = new DirectoryVersionStore(dir.resolve('store'))
        ['1': 40, '2': 35, '3': 20, '4': 1].each { v, days ->
            store.publish(release(v, [a: zip(v, ['x': v])], false, now.minus(Duration.ofDays(days))))
        }
        store.mark('web', '1', VersionStatus.GOOD)

        when:
        def gone = new Retention(0, 30).apply(store, 'web', now, Set.of())

        then:
        gone == ['2']
        store.list('web')*.version() == ['4', '3', '1']
        new Retention(1, 0).expired(store.list('web'), now, Set.of('3')) == []
        new Retention(1, 0).expired(store.list('web'), now, Set.of()) == ['3']
        new Retention(0, 0).expired(store.list('web'), now, Set.of()) == []
    }
}

package io.stoker.server.version

import io.stoker.server.Http
import io.stoker.server.ServerProcess
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real server JVM killed with {@code kill -9} while it writes a large version: after a restart on the same data no
 * part of that version is visible (list, manifest, archive, files, or on disk), and publishing it again works.
 */
class PublishKillSpec extends Specification {
    static final String JOBFILE = '''
job('release') {
  publish version: '1.0'
  task('build') {
    sh 'mkdir -p dist && head -c 32000000 /dev/urandom > dist/a.bin && head -c 32000000 /dev/urandom > dist/b.bin && echo small > dist/c.txt'
    artifacts 'dist/**'
  }
}
'''

    @TempDir Path dir
    ServerProcess server

    def cleanup() {
        server?.kill()
    }

    def "kill -9 in the middle of a publish leaves no partial version, and the version is published again after the restart"() {
        given:
        Path data = dir.resolve('data')
        Path store = data.resolve('versions/big')
        server = ServerProcess.start(data)
        Http http = Http.loggedIn(server.url)
        // the first Jobfile a fresh server JVM compiles can hit the compile time limit on a loaded machine: ask again
        Http.eventually(120_000) { http.post('/projects', [name: 'big', jobfile: JOBFILE]).status == 201 ?: null }
        String killed = http.post('/projects/big/jobs/release/runs', [:]).json.key

        when: 'the publish has unpacked the files aside and is writing the archive'
        Path archiveAside = awaitArchiveAside(store, server.process, 180_000 * Http.TIMEOUT_FACTOR)
        long pid = server.process.pid()
        assert new ProcessBuilder('kill', '-9', pid as String).inheritIO().start().waitFor() == 0
        assert server.process.waitFor(30, TimeUnit.SECONDS)
        boolean wasMidArchive = Files.exists(archiveAside)

        then: 'the kill hit the publish before its end: no version directory yet'
        wasMidArchive
        !Files.exists(store.resolve('1.0'))

        when: 'the server starts again on the same data'
        server = ServerProcess.start(data)
        http = new Http(server.url, http.token)

        then: 'nothing of version 1.0 is visible, through the API or on disk'
        http.get('/projects/big/versions').json.total == 0
        http.get('/projects/big/versions/1.0').status == 404
        http.get('/projects/big/versions/1.0/archive.tar.gz').status == 404
        http.get('/projects/big/versions/1.0/files/dist/c.txt').status == 404
        Files.list(store).map { it.fileName.toString() }.filter { it.startsWith('.aside-') || it == '1.0' }.toList() == []
        !Files.exists(store.resolve('archive/1.0.tar.gz'))
        !Files.exists(store.resolve('.manifest/1.0.json'))

        and: 'the killed run failed instead of claiming a version'
        Http.eventually { http.get("/runs/$killed").json.with { status == 'failed' ? it : null } }.reason == 'server restarted'

        when: 'the same version is published again'
        String again = http.post('/projects/big/jobs/release/runs', [:]).json.key
        def run = Http.eventually(300_000) {
            http.get("/runs/$again").json.with { status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? it : null }
        }
        def manifest = http.get('/projects/big/versions/1.0').json

        then: 'it is there, whole'
        run.status == 'succeeded'
        http.get('/projects/big/versions').json.versions*.version == ['1.0']
        manifest.run == again
        manifest.files.collect { [it.path, it.size] } == [['dist/a.bin', 32_000_000], ['dist/b.bin', 32_000_000], ['dist/c.txt', 6]]
        http.get('/projects/big/versions/1.0/archive.tar.gz').status == 200
        http.get('/projects/big/versions/1.0/files/dist/c.txt').text == 'small\n'
        Files.size(store.resolve('1.0/dist/a.bin')) == 32_000_000
        Files.list(store).noneMatch { it.fileName.toString().startsWith('.aside-') }
    }

    /** Polls (bounded) until an aside directory holds the archive being written; returns that file. */
    static Path awaitArchiveAside(Path store, Process server, long millis) {
        long deadline = System.currentTimeMillis() + millis
        while (System.currentTimeMillis() < deadline) {
            if (Files.isDirectory(store)) {
                Path found = Files.list(store).withCloseable { s ->
                    s.filter { it.fileName.toString().startsWith('.aside-') }
                            .map { it.resolve('archive.tar.gz') }
                            .filter { Files.exists(it) }
                            .findFirst().orElse(null)
                }
                if (found != null) return found
                assert !Files.exists(store.resolve('1.0')), 'the publish ended before the spec saw it write the archive'
            }
            if (!server.alive) throw new AssertionError("the server exited (${server.exitValue()}) before it published")
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000) // a poll interval, not a wait for another thread
        }
        throw new AssertionError("no publish wrote an archive under $store within $millis ms")
    }
}

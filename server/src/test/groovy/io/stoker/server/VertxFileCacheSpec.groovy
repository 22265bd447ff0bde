package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * Vert.x keeps a directory for the files it serves from the class path (the web UI's). Left at its default, every
 * server start made one more /tmp/vertx-cache-UUID and left it there when it stopped; a server keeps it under its
 * data directory's tmp instead, and removes it when it stops.
 */
class VertxFileCacheSpec extends Specification {
    @TempDir
    Path dir

    def "the server's Vert.x file cache is in its data directory while it runs and gone once it stopped, with what a killed one left"() {
        given: 'what a server of this data directory that was killed left behind'
        Path data = dir.resolve('data')
        Path left = Files.createDirectories(data.resolve('tmp/vertx-files-killed/vertx-cache-1'))

        when:
        def server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD))
        String script = new URL(server.url() + '/js/main.js').text

        then: 'the pages are served, and Vert.x keeps its directory under the data directory only'
        script.contains('import')
        !Files.exists(left.parent)
        def caches = cacheDirs(data)
        caches.size() == 1
        def made = Files.list(caches[0]).withCloseable { it.toList() }*.fileName*.toString()
        made.size() == 1 && made[0].startsWith('cache-')

        when:
        server.close()

        then:
        cacheDirs(data).isEmpty()
    }

    private static List<Path> cacheDirs(Path data) {
        Files.list(data.resolve('tmp')).withCloseable { s -> s.filter { it.fileName.toString().startsWith('vertx-files-') }.toList() }
    }
}

package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * The data directory holds the database (password hashes, the audit log) and the git mirrors (whose configs may hold
 * a URL's credentials): with the usual umask 022 they were readable by every local account. A server makes them its
 * user's alone; a data directory its operator made keeps the mode given to it.
 */
class DataDirectoryModeSpec extends Specification {
    @TempDir
    Path dir

    StokerServer server

    def cleanup() {
        server?.close()
    }

    def "a fresh server's data directory, database and git directories have no group or other permissions"() {
        given:
        Path data = dir.resolve('new/data')

        when:
        server = start(data)

        then:
        [data, data.resolve('db'), data.resolve('git')].collectEntries { [(dir.relativize(it).toString()): mode(it)] } ==
                ['new/data': 'rwx------', 'new/data/db': 'rwx------', 'new/data/git': 'rwx------']
        Files.exists(data.resolve('db/stoker.mv.db'))
    }

    def "an existing data directory keeps its operator's mode, and the database and git directories made in it are private"() {
        given:
        Path data = Files.createDirectory(dir.resolve('data'), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString('rwxr-x---')))

        when:
        server = start(data)

        then:
        mode(data) == 'rwxr-x---'
        mode(data.resolve('db')) == 'rwx------'
        mode(data.resolve('git')) == 'rwx------'
    }

    private static StokerServer start(Path data) {
        StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD))
    }

    private static String mode(Path p) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
    }
}

package io.stoker.cli.install

import io.stoker.cli.CliRun
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

/** {@code stoker install}: the unit, the environment file and the data directory, and what systemd thinks of the unit. */
class InstallCommandSpec extends Specification {
    @TempDir
    Path root

    def "the unit runs the server as a dedicated user on a read-only system but for the data directory"() {
        when:
        def run = CliRun.of('install', '--root', root, '--data-dir', '/srv/stoker', '--port', '9090', '--user', 'ci')
        Path unit = root.resolve('etc/systemd/system/stoker.service')
        String text = Files.readString(unit)

        then:
        run.exit == 0
        run.out.startsWith("wrote $unit, ${root.resolve('etc/stoker/stoker.env')} and ${root.resolve('srv/stoker')}")
        run.out.contains('useradd --system --home-dir /srv/stoker --shell /usr/sbin/nologin ci')
        ['User=ci', 'Group=ci', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/srv/stoker',
         'PrivateTmp=yes', 'EnvironmentFile=-/etc/stoker/stoker.env', 'CapabilityBoundingSet='].every { text.readLines().contains(it) }
        text.readLines().find { it.startsWith('ExecStart=') } ==~ /ExecStart=\/\S+\/bin\/java .* -jar \/\S+ server --data-dir \/srv\/stoker --bind 127\.0\.0\.1 --port 9090/
        and: 'the service starts the JVM as ./stoker server does, from a class-data archive the JVM keeps in the data directory'
        text.readLines().find { it.startsWith('ExecStart=') }.contains(' ' + Files.readString(Path.of('../scripts/server-jvm-options')).strip()
                + (Runtime.version().feature() >= 23 ? ' --sun-misc-unsafe-memory-access=allow' : '')
                + ' -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/srv/stoker/cds/stoker-server.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar ')
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve('etc/stoker/stoker.env'))) == 'rw-r-----'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve('srv/stoker'))) == 'rwxr-x---'
    }

    def "the unit's Documentation link leads to the README's section on running as a service"() {
        when:
        def run = CliRun.of('install', '--print')
        String link = run.out.readLines().find { it.startsWith('Documentation=') }
        // GitHub's heading anchors (headings outside code blocks): lower case, punctuation dropped, spaces made dashes
        boolean code = false
        def headings = Files.readAllLines(Path.of('../README.md')).findAll {
            if (it.startsWith('```')) code = !code
            !code && it ==~ /#{1,6} .*/
        }
        def anchors = headings.collect { it.replaceFirst(/^#+ /, '').toLowerCase().replaceAll(/[^a-z0-9 _-]/, '').replace(' ', '-') }

        then:
        run.exit == 0
        link.contains('#')
        link.substring(link.indexOf('#') + 1) in anchors
    }

    def "systemd-analyze verify finds nothing to say about the unit (where the tool exists)"() {
        given:
        Path tool = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].collect { Path.of(it) }.find { Files.isExecutable(it) }
        if (tool == null) {
            println 'systemd-analyze is not installed here: the unit is not verified'
            return
        }
        assert CliRun.of('install', '--root', root).exit == 0

        when:
        def p = new ProcessBuilder(tool.toString(), 'verify', root.resolve('etc/systemd/system/stoker.service').toString())
                .redirectErrorStream(true).start()
        String said = new String(p.inputStream.readAllBytes())

        then:
        p.waitFor(60 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        p.exitValue() == 0
        said.trim() == '' // warnings (an unknown key, a bad value) leave the exit code 0 but are printed
    }

    def "--print shows the files and writes nothing; an operator's environment file is never overwritten"() {
        when:
        def shown = CliRun.of('install', '--print', '--root', root)

        then:
        shown.exit == 0
        shown.out.contains('# /etc/systemd/system/stoker.service')
        shown.out.contains('ProtectSystem=strict')
        shown.out.contains('# /etc/stoker/stoker.env')
        Files.list(root).count() == 0

        when:
        Files.createDirectories(root.resolve('etc/stoker'))
        Files.writeString(root.resolve('etc/stoker/stoker.env'), 'STOKER_SLOTS=2\n')
        CliRun.of('install', '--root', root)

        then:
        Files.readString(root.resolve('etc/stoker/stoker.env')) == 'STOKER_SLOTS=2\n'
    }

    def "bad options are refused with one line, and the --help hint"() {
        expect:
        CliRun.of('install', '--print', *args).with {
            exit == 2 && err.readLines() == [message, "Try 'stoker install --help' for more information."]
        }

        where:
        args                         || message
        ['--user', 'Root Admin']     || "stoker: --user must be a system user name, not 'Root Admin'"
        ['--data-dir', 'relative']   || "stoker: --data-dir must be an absolute path, not 'relative'"
        ['--port', '0']              || 'stoker: --port must be 1..65535, not 0'
    }
}

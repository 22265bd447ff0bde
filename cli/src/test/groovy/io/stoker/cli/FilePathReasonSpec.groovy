package io.stoker.cli

import io.stoker.cli.remote.CliConfig
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * A path given to the CLI that is a directory where a file belongs, or a file where a directory belongs, is refused
 * in one line of Stoker's words naming the path: not the operating system's "Is a directory" / "Not a directory", and
 * no Java type names.
 */
class FilePathReasonSpec extends Specification {

    @TempDir
    Path dir

    Path jobfile
    Path aDirectory
    Path aFile

    def setup() {
        jobfile = dir.resolve('Jobfile')
        jobfile.text = "job('a') { task('t') { sh 'true' } }\n"
        aDirectory = Files.createDirectory(dir.resolve('a-directory'))
        aFile = Files.writeString(dir.resolve('a-file'), 'x')
    }

    def "#what is refused with exit 2 and one line naming it"() {
        when:
        def r = CliRun.of(*args(this))

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: ${expected(this)}".toString()]
        r.out == ''

        where:
        what                                      | args                                                                                    | expected
        'a --secrets-file that is a directory'    | { [ 'run', it.jobfile, '--secrets-file', it.aDirectory ] }                                | { "cannot read the secrets file $it.aDirectory: it is a directory, not a file" }
        'a --data-dir that is a file'             | { [ 'run', it.jobfile, '--data-dir', it.aFile ] }                                         | { "cannot use the data directory $it.aFile: it is a file, not a directory" }
        'a --data-dir under a file'               | { [ 'run', it.jobfile, '--data-dir', it.aFile.resolve('sub') ] }                          | { "cannot use the data directory ${it.aFile.resolve('sub')}: $it.aFile is a file, not a directory" }
        'a --ca-cert that is a directory'         | { [ 'list', '--server', 'https://127.0.0.1:1', '--ca-cert', it.aDirectory ] }             | { "cannot read --ca-cert $it.aDirectory: it is a directory, not a file" }
        'a --ca-cert that is no PEM'              | { [ 'list', '--server', 'https://127.0.0.1:1', '--ca-cert', it.aFile ] }                  | { "--ca-cert $it.aFile is not a PEM certificate (a file with -----BEGIN CERTIFICATE----- blocks)" }
        'an agent --key that is a directory'      | { [ 'agent', 'add', 'x', '--user', 'u', '--host', 'h', '--trust-on-first-use', '--key', it.aDirectory, '--server', 'http://127.0.0.1:1' ] } | { "cannot read the key file $it.aDirectory: it is a directory, not a file" }
        'an agent run --work-dir that is a file'  | { [ 'agent', 'run', '--server', 'http://127.0.0.1:1', '--token', 'x', '--work-dir', it.aFile ] } | { "cannot use --work-dir $it.aFile: it is a file, not a directory" }
        'a server --config that is a directory'   | { [ 'server', '--config', it.aDirectory ] }                                               | { "the config file $it.aDirectory is a directory, not a file" }
        'a server --tls-cert that is a directory' | { [ 'server', '--port', '0', '--data-dir', it.dir.resolve('data'), '--tls-cert', it.aDirectory, '--tls-key', it.aDirectory ] } | { "cannot start the server: TLS certificate $it.aDirectory is a directory, not a PEM file" }
        'an install --jar that is a directory'    | { [ 'install', '--root', it.dir.resolve('root'), '--jar', it.aDirectory ] }               | { "--jar $it.aDirectory is a directory, not the stoker jar" }
    }

    def "an install --root under a file names the file in the way (exit 3: nothing was installed)"() {
        when:
        def r = CliRun.of('install', '--root', aFile, '--jar', jobfile)

        then:
        r.exit == 3
        r.err.readLines() == ["stoker: cannot write the service files: cannot write ${aFile.resolve('etc')}: $aFile is a file, not a directory".toString()]
    }

    def "a CLI config that is a directory, or not JSON, is named with what is wrong in one line"() {
        given:
        Path notJson = Files.writeString(dir.resolve('config.json'), '{bad')

        when:
        CliConfig.load(aDirectory)

        then:
        def e = thrown(CliException)
        e.message == "cannot read the CLI config $aDirectory: it is a directory, not a file (fix or delete it, then run 'stoker login')"

        when:
        CliConfig.load(notJson)

        then:
        e = thrown(CliException)
        e.message == "cannot read the CLI config $notJson: it is not valid JSON (line 1, column 2) (fix or delete it, then run 'stoker login')"
    }

    def "the operating system's reasons are said in Stoker's words, in whichever exception Java carries them"() {
        expect:
        FileProblem.reason(exception) == words

        where:
        exception                                                                    || words
        new FileNotFoundException('/x/config.json (Is a directory)')                 || 'it is a directory, not a file'
        new IOException('Is a directory')                                            || 'it is a directory, not a file'
        new java.nio.file.FileSystemException('/x/runs', null, 'Not a directory')    || 'a part of the path is a file, not a directory'
        new java.nio.file.FileSystemException('/x', null, 'No space left on device') || 'the disk is full'
        new java.nio.file.FileSystemException('/x', null, 'Read-only file system')   || 'the file system is read-only'
        new java.nio.file.FileSystemException('/x', null, 'Something new')           || 'something new'
        new java.nio.file.NoSuchFileException('/x')                                  || 'no such file'
    }
}

package io.stoker.samples

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The {@code ./stoker} launcher: a command other than {@code server} starts from a class-data archive of the CLI's
 * classes, which the launcher has a JVM beside the first command make in {@code cli/target}.
 */
class LauncherSpec extends Specification {
    @TempDir Path dir

    def "after the first command the CLI's own classes come from the class-data archive kept beside the jar"() {
        given: 'a command has run, and the archive it had made for this jar and JDK is there'
        assert Cli.run('--version').exit == 0
        long deadline = System.nanoTime() + 60_000_000_000L
        while (archives().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100)
        assert archives().size() == 1

        when: 'the next command logs where its classes were loaded from'
        Path loaded = dir.resolve('classes.log')
        def r = Cli.run(Cli.ROOT, [JAVA_TOOL_OPTIONS: "-Xlog:class+load=info:file=$loaded".toString()],
                'validate', 'samples/01-sequential')

        then: 'it worked, and the CLI and Groovy compiler classes were mapped from the archive, not read from the jar'
        r.exit == 0
        r.out.contains('OK: 1 job')
        String log = loaded.text
        log =~ /io\.stoker\.cli\.Main source: shared objects file \(top\)/
        log =~ /org\.codehaus\.groovy\.control\.CompilationUnit source: shared objects file \(top\)/
    }

    private static List<Path> archives() {
        Files.list(Cli.JAR.parent).withCloseable { files ->
            files.filter { it.fileName.toString() ==~ /stoker-cli-.+\.jsa/ }.toList()
        }
    }
}

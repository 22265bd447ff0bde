package io.stoker.dsl.encoding

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

import java.nio.charset.StandardCharsets

/** A Jobfile saved as Latin-1 is decoded as UTF-8 by the CLI and the server: its odd bytes are warned about where they are. */
class UndecodedBytesSpec extends Specification {

    static String decoded(String latin1Text) {
        new String(latin1Text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
    }

    def "a Latin-1 byte in a #syntax Jobfile is a warning at its line and column, and the Jobfile still compiles"() {
        when:
        def result = new JobfileCompiler().compile(file, decoded(text))

        then:
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == ["$file:$line:$col: warning: a byte that is not UTF-8 is read as '\uFFFD' here:" +
                " save the Jobfile as UTF-8 (an editor's Latin-1 or Windows-1252 'é' is such a byte)"]

        where:
        syntax   | file           | text                                                              | line | col
        'Groovy' | 'Jobfile'      | "job('a') {\n  task('b') { sh 'echo Café' }\n}"                   | 2    | 27
        'YAML'   | 'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      b: {sh: echo Café}\n"             | 4    | 23
        'JSON'   | 'Jobfile.json' | '{"jobs": {"a": {"tasks": {"b": {"sh": "echo Café"}}}}}'          | 1    | 48
    }

    def "lines past the first five are counted in one warning, and a UTF-8 Jobfile has none"() {
        given:
        def steps = (1..7).collect { "  task('t$it') { sh 'echo é' }" }.join('\n')

        when:
        def odd = new JobfileCompiler().compile('Jobfile', decoded("job('a') {\n$steps\n}"))
        def fine = new JobfileCompiler().compile('Jobfile', "job('a') {\n$steps\n}")

        then:
        odd.diagnostics().size() == 6
        odd.diagnostics()[0..4]*.line == [2, 3, 4, 5, 6]
        odd.diagnostics()[5].toString() == 'Jobfile: warning: bytes that are not UTF-8 on 2 more lines'
        fine.diagnostics().isEmpty()
    }
}

package io.stoker.dsl.groovy

import io.stoker.dsl.JobfileCompiler
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/**
 * Mistakes an author makes, answered in the DSL's words. Every file in src/test/resources/bad is a Jobfile with one
 * such mistake; its first line says the diagnostic it must get (`// expect: Jobfile:L:C: message`, a prefix). No
 * diagnostic of that corpus or of the hostile one may name a JVM type.
 */
class JobfileMessagesSpec extends Specification {

    static final Path BAD = Path.of('src/test/resources/bad')
    /** Packages, and a class named as what a call or property was refused on ("on a LinkedHashMap"). */
    static final String JVM_NAMES = /java\.|javax\.|groovy\.lang|org\.codehaus|org\.apache|io\.stoker|(on|of) an? [A-Z]\w+ is not allowed/

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    private List<String> problems(String text) {
        compiler.compile('Jobfile', text).diagnostics()*.toString()
    }

    def "bad Jobfile #name gets the diagnostic its first line announces"() {
        given:
        String text = Files.readString(file)
        String expected = text.readLines()[0].replaceFirst('^// expect: ', '')

        when:
        def found = problems(text)

        then:
        found.any { it.startsWith(expected) } || found == [expected]
        found.every { !(it =~ JVM_NAMES) }

        where:
        file << Files.list(BAD).withCloseable { it.sorted().toList() }
        name = file.fileName.toString()
    }

    def "a negative retry is reported as the word's bad value, together with the file's other problems"() {
        expect:
        problems("job('a') {\n  task('b') {\n    retry -1\n    needs 'biuld'\n  }\n  task('build') { sh 'x' }\n}") ==
                ["Jobfile:2:3: task 'b' has no step — add sh '…'",
                 "Jobfile:3:5: retry of task 'b' must be between 0 and 10, got -1",
                 "Jobfile:4:5: unknown task 'biuld' in needs — did you mean 'build'?"]
    }

    def "a word minus a number elsewhere than as a statement is left to Groovy"() {
        expect: 'an ordinary subtraction of a local variable still works'
        problems("def n = 3\njob('a') { task('b') { sh \"echo \${n - 1}\"; retry n - 1 } }") == []
    }

    def "no diagnostic of the hostile corpus names a JVM type"() {
        given:
        def frontend = new GroovyFrontend(new GroovyLimits(1 << 20, 32, 100, 1_000, 256 * 1024, 8L << 20,
                java.time.Duration.ofMillis(1000), java.time.Duration.ofSeconds(30), 64L << 20))
        def files = Files.list(SandboxSpec.HOSTILE).withCloseable { it.sorted().toList() }

        when:
        def leaks = files.collectMany { f ->
            frontend.read('Jobfile', Files.readString(f).replace('CANARY', '/nonexistent/canary').replace('PORT', '9'))
                    .diagnostics.findAll { it.message() =~ JVM_NAMES }.collect { "${f.fileName}: $it" }
        }

        then:
        leaks == []
    }
}

package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** {@code needs: build, test} in YAML is one text, "build, test": the error says to give each name its own. */
class NeedsInOneTextSpec extends Specification {

    List<String> errors(String file, String text) {
        def result = new JobfileCompiler().compile(file, text)
        assert result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.error }*.toString()
    }

    def "several task names in one #syntax text are told to be a list, at their line and column"() {
        expect:
        errors(file, text) == [message]

        where:
        syntax   | file           | text                                                                                             || message
        'YAML'   | 'Jobfile.yaml' | 'jobs:\n  x:\n    tasks:\n      build: {sh: make}\n      test: {sh: make}\n      pkg:\n        needs: build, test\n        sh: make\n' || "Jobfile.yaml:7:16: unknown task 'build, test' in needs — it names 2 tasks in one text: give each its own (needs: [build, test] in YAML and JSON, needs 'build', 'test' in a Jobfile)"
        'Groovy' | 'Jobfile'      | "job('x') {\n  task('build') { sh 'make' }\n  task('test') { sh 'make' }\n  task('pkg') { needs 'build test'; sh 'make' }\n}" || "Jobfile:4:17: unknown task 'build test' in needs — it names 2 tasks in one text: give each its own (needs: [build, test] in YAML and JSON, needs 'build', 'test' in a Jobfile)"
    }

    def "a text naming a task that does not exist keeps the usual suggestion"() {
        expect:
        errors('Jobfile', "job('x') {\n  task('build') { sh 'make' }\n  task('pkg') { needs 'build, tset'; sh 'make' }\n}") ==
                ["Jobfile:3:17: unknown task 'build, tset' in needs"]
    }
}

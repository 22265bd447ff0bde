package io.stoker.dsl

import spock.lang.Shared
import spock.lang.Specification

/** {@code allowFailure} through the Groovy and YAML/JSON front ends into the model, and its wrong types. */
class AllowFailureJobfileSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    io.stoker.model.Job compiled(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs().first()
    }

    List<String> errors(String file, String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }

    def "a Groovy task says allowFailure true (or allowFailure()); a task that does not say it may not fail"() {
        when:
        def job = compiled('Jobfile', '''\
job('ci') {
  task('lint')  { allowFailure true; sh 'exit 1' }
  task('flaky') { allowFailure(); retry 2; sh 'exit 1' }
  task('fussy') { allowFailure false; sh 'true' }
  task('build') { needs 'lint', 'flaky'; sh 'make' }
}''')

        then:
        job.task('lint').get().allowFailure()
        job.task('flaky').get().allowFailure()
        job.task('flaky').get().retry() == 2
        !job.task('fussy').get().allowFailure()
        !job.task('build').get().allowFailure()
    }

    def "every cell of a matrix task that allows failure allows it"() {
        when:
        def job = compiled('Jobfile', "job('ci') { task('test') { matrix jdk: ['17', '21']; allowFailure true; sh 'x' } }")

        then:
        job.tasks()*.name() == ['test[jdk=17]', 'test[jdk=21]']
        job.tasks().every { it.allowFailure() }
    }

    def "a YAML or JSON task says allowFailure: true"() {
        expect:
        compiled(file, text).task('lint').get().allowFailure()
        !compiled(file, text).task('build').get().allowFailure()

        where:
        file           | text
        'Jobfile.yaml' | "jobs:\n  ci:\n    tasks:\n      lint: {allowFailure: true, sh: exit 1}\n      build: {needs: lint, allowFailure: false, sh: make}\n"
        'Jobfile.json' | '{"jobs": {"ci": {"tasks": {"lint": {"allowFailure": true, "sh": "exit 1"}, "build": {"needs": "lint", "sh": "make"}}}}}'
    }

    def "allowFailure given anything but true or false is reported where it is written: #written"() {
        expect:
        errors(file, text) == [expected]

        where:
        file           | written          | text                                                                  || expected
        'Jobfile'      | "'yes'"          | "job('a') { task('b') { sh 'x'; allowFailure 'yes' } }"               || "Jobfile:1:32: wrong arguments for 'allowFailure' in task: got text; write allowFailure() or allowFailure(true/false)"
        'Jobfile'      | '1'              | "job('a') { task('b') {\n  sh 'x'\n  allowFailure 1\n} }"             || "Jobfile:3:3: wrong arguments for 'allowFailure' in task: got a number; write allowFailure() or allowFailure(true/false)"
        'Jobfile.yaml' | 'yes (a string)' | "jobs:\n  a:\n    tasks:\n      b:\n        sh: x\n        allowFailure: yes\n" || "Jobfile.yaml:6:23: allowFailure must be true or false, not a string"
        'Jobfile.yaml' | '[true]'         | "jobs:\n  a:\n    tasks:\n      b: {sh: x, allowFailure: [true]}\n"  || "Jobfile.yaml:4:32: allowFailure must be true or false, not a list"
        'Jobfile.json' | '"true"'         | '{"jobs": {"a": {"tasks": {"b": {"sh": "x", "allowFailure": "true"}}}}}' || 'Jobfile.json:1:60: allowFailure must be true or false, not a string'
    }

    def "GitLab's allow_failure, GitHub's continue-on-error and Jenkins' catchError point to allowFailure"() {
        expect:
        errors(file, text) == [expected]

        where:
        file           | text                                                                                  || expected
        'Jobfile'      | "job('a') { task('b') { sh 'x'; allow_failure true } }"                               || "Jobfile:1:32: unknown word 'allow_failure' in task — write allowFailure true (its failure then does not fail the run)"
        'Jobfile'      | "job('a') { task('b') { catchError(buildResult: 'SUCCESS') { sh 'x' } } }"           || "Jobfile:1:24: unknown word 'catchError' in task — write allowFailure true (its failure then does not fail the run)"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      b:\n        sh: x\n        allow_failure: true\n"     || "Jobfile.yaml:6:9: unknown key 'allow_failure' in task 'b' — write allowFailure: true (its failure then does not fail the run)"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      b:\n        sh: x\n        continue-on-error: true\n" || "Jobfile.yaml:6:9: unknown key 'continue-on-error' in task 'b' — write allowFailure: true (its failure then does not fail the run)"
    }
}

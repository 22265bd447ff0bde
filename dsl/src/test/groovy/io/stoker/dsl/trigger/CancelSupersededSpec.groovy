package io.stoker.dsl.trigger

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.dsl.isolate.ModelCheck
import spock.lang.Specification

/** {@code cancelSuperseded}: a job whose push runs cancel its older runs of the branch, in the three syntaxes. */
class CancelSupersededSpec extends Specification {
    def compiler = new JobfileCompiler()

    def "cancelSuperseded is read in Groovy, YAML and JSON; a job says nothing of it by default"() {
        expect:
        def result = compiler.compile(file, text)
        result instanceof CompileResult.Compiled
        result.jobfile().jobs()[0].triggers().cancelSuperseded() == expected

        where:
        file           | text                                                                                        || expected
        'Jobfile'      | "job('ci') {\n  cancelSuperseded true\n  task('t') { sh 'x' }\n}\n"                         || true
        'Jobfile'      | "job('ci') {\n  cancelSuperseded()\n  task('t') { sh 'x' }\n}\n"                            || true
        'Jobfile'      | "job('ci') {\n  cancelSuperseded false\n  task('t') { sh 'x' }\n}\n"                        || false
        'Jobfile'      | "job('ci') {\n  task('t') { sh 'x' }\n}\n"                                                  || false
        'Jobfile.yaml' | 'jobs:\n  ci:\n    cancelSuperseded: true\n    tasks: {t: {sh: x}}\n'                        || true
        'Jobfile.json' | '{"jobs": {"ci": {"cancelSuperseded": true, "tasks": {"t": {"sh": "x"}}}}}'                 || true
    }

    def "GitLab's interruptible in a task points to cancelSuperseded on the job"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == [message]

        where:
        file           | text                                                                    || message
        'Jobfile'      | "job('a') { task('b') { sh 'x'; interruptible true } }"                 || "Jobfile:1:32: unknown word 'interruptible' in task — a newer push cancels older runs when the job says cancelSuperseded true"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      b:\n        sh: x\n        interruptible: true\n" || "Jobfile.yaml:6:9: unknown key 'interruptible' in task 'b' — a newer push cancels older runs when the job says cancelSuperseded: true"
    }

    def "a value that is not true or false is an error at its line and column"() {
        expect:
        compiler.compile('Jobfile.yaml', 'jobs:\n  ci:\n    cancelSuperseded: always\n    tasks: {t: {sh: x}}\n')
                .diagnostics()*.toString() == ['Jobfile.yaml:3:23: cancelSuperseded must be true or false, not a string']
    }

    def "the isolated compiler's check of a worker's model rebuilds it with the setting, so it is not refused"() {
        given:
        def jobfile = compiler.compile('Jobfile', "job('ci') {\n  cancelSuperseded true\n  task('t') { sh 'x' }\n}\n").jobfile()

        expect:
        new ModelCheck().problem(jobfile, 'Jobfile') == Optional.empty()
    }
}

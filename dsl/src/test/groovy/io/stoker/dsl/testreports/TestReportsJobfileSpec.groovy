package io.stoker.dsl.testreports

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.dsl.isolate.IsolatedJobfileCompiler
import io.stoker.dsl.isolate.WorkerSettings
import spock.lang.Specification

/**
 * {@code testReports 'build/test-results/**}{@code /*.xml'} in Groovy, {@code testReports: [globs]} in YAML and JSON:
 * the JUnit XML files a task's steps write, globs over its workspace checked as artifact patterns are; Jenkins'
 * {@code junit} is answered with Stoker's word.
 */
class TestReportsJobfileSpec extends Specification {

    def compiler = new JobfileCompiler()

    private static List<String> reports(CompileResult result, String task) {
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].task(task).get().testReports()
    }

    private List<String> problems(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Rejected
        result.diagnostics()*.toString()
    }

    def "Groovy takes the report globs one by one, as a list, or in several calls"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('j') {
  task('test') { sh 'make test'; testReports 'build/test-results/**/*.xml', 'reports/junit.xml' }
  task('more') { sh 'make'; testReports(['a.xml']); testReports 'b/*.xml' }
  task('none') { sh 'make' }
}
''')

        then:
        result.diagnostics() == []
        reports(result, 'test') == ['build/test-results/**/*.xml', 'reports/junit.xml']
        reports(result, 'more') == ['a.xml', 'b/*.xml']
        reports(result, 'none') == []
    }

    def "YAML and JSON take a glob or a list of globs"() {
        expect:
        reports(compiler.compile(file, text), 't') == expected

        where:
        file           | text                                                                                    || expected
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        testReports: ['r/*.xml', 'x.xml']\n" || ['r/*.xml', 'x.xml']
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        testReports: junit.xml\n"            || ['junit.xml']
        'Jobfile.json' | '{"jobs": {"j": {"tasks": {"t": {"sh": "x", "testReports": ["out/**/*.xml"]}}}}}'        || ['out/**/*.xml']
    }

    def "a report glob outside the workspace is told at its line and column: #file"() {
        expect:
        problems(file, text) == [expected]

        where:
        file           | text                                                                                   || expected
        'Jobfile'      | "job('j') {\n  task('t') {\n    sh 'x'\n    testReports '/tmp/r.xml'\n  }\n}\n"         || "Jobfile:4:5: test report pattern '/tmp/r.xml' of task 't' must be relative to the task's workspace (test reports are files its steps wrote there)"
        'Jobfile'      | "job('j') { task('t') { sh 'x'; testReports 'build/../../r.xml' } }"                  || "Jobfile:1:32: test report pattern 'build/../../r.xml' of task 't' leaves the workspace with '..': test reports are files inside it"
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        testReports: ['ok.xml', '../r.xml']\n" || "Jobfile.yaml:6:33: test report pattern '../r.xml' of task 't' leaves the workspace with '..': test reports are files inside it"
        'Jobfile.json' | '{"jobs": {"j": {"tasks": {"t": {"sh": "x", "testReports": [""]}}}}}'                   || "Jobfile.json:1:60: a test report pattern of task 't' is empty"
    }

    def "Jenkins' junit is answered with testReports, in Groovy and YAML: #file"() {
        expect:
        problems(file, text) == [expected]

        where:
        file           | text                                                                          || expected
        'Jobfile'      | "job('j') { task('t') { sh 'x'; junit 'target/surefire-reports/*.xml' } }"    || "Jobfile:1:32: unknown word 'junit' in task — write testReports 'build/test-results/**/*.xml' in the task (JUnit XML files, read when its steps end, succeeded or failed)"
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        junit: r/*.xml\n"  || "Jobfile.yaml:6:9: unknown key 'junit' in task 't' — write testReports: 'r/*.xml' in the task (JUnit XML files, read when its steps end, succeeded or failed)"
    }

    def "the isolated compiler's model keeps the report globs (its check rebuilds the same model)"() {
        given:
        def isolated = new IsolatedJobfileCompiler(WorkerSettings.defaults().withPoolSize(0))

        when:
        def result = isolated.compile('Jobfile', "job('j') { task('t') { sh 'make'; testReports 'reports/*.xml' } }")

        then:
        reports(result, 't') == ['reports/*.xml']

        cleanup:
        isolated?.close()
    }
}

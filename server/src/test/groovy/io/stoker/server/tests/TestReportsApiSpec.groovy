package io.stoker.server.tests

import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * {@code testReports 'reports/*.xml'}: a run whose tests failed says so through the API without its logs being
 * opened: {@code GET /runs/{key}} counts them per task, {@code GET /runs/{key}/tests} lists the failed cases.
 */
class TestReportsApiSpec extends ServerSpecification {
    @Shared String key

    def setupSpec() {
        freestyle('tested', '''
job('ci') {
  task('unit') {
    sh """mkdir -p reports && cat > reports/unit.xml <<'XML'
<testsuite name="com.acme.FooTest"><testcase classname="com.acme.FooTest" name="adds" time="0.25"/>
<testcase classname="com.acme.FooTest" name="bar" time="0.5"><failure message="expected 3 but was 4">at FooTest.bar(FooTest.java:42)</failure></testcase>
<testcase classname="com.acme.FooTest" name="later"><skipped/></testcase></testsuite>
XML
exit 1"""
    testReports 'reports/*.xml'
  }
  task('py') {
    sh """mkdir -p out && cat > out/junit.xml <<'XML'
<testsuites><testsuite name="pytest"><testcase classname="t.test_io" name="test_read" time="1"><error message="OSError: gone">Traceback</error></testcase></testsuite></testsuites>
XML"""
    testReports 'out/junit.xml'
  }
  task('lint') { sh 'true' }
}
''')
        key = trigger('tested', 'ci')
        assert awaitEnd(key).status == 'failed'
    }

    def "the run counts each task's tests; a task without reports has no tests"() {
        when:
        def tasks = http.get("/runs/$key").json.tasks

        then:
        tasks.unit.status == 'failed'
        tasks.unit.tests == [total: 3, failed: 1, errors: 0, skipped: 1, durationMs: 750]
        tasks.py.tests == [total: 1, failed: 0, errors: 1, skipped: 0, durationMs: 1000]
        !tasks.lint.containsKey('tests')
    }

    def "the failed cases are listed with their task, class, name, kind, message, detail and report file"() {
        when:
        def r = http.get("/runs/$key/tests")

        then:
        r.status == 200
        r.json.notKept == 0
        r.json.failures == [
                [task: 'unit', suite: 'com.acme.FooTest', className: 'com.acme.FooTest', name: 'bar', kind: 'failure',
                 message: 'expected 3 but was 4', detail: 'at FooTest.bar(FooTest.java:42)', file: 'reports/unit.xml'],
                [task: 'py', suite: 'pytest', className: 't.test_io', name: 'test_read', kind: 'error',
                 message: 'OSError: gone', detail: 'Traceback', file: 'out/junit.xml']]
    }

    def "?task= lists one task's failed cases; a task the run does not have is a 400 naming the field"() {
        when:
        def one = http.get("/runs/$key/tests?task=py")
        def none = http.get("/runs/$key/tests?task=lint")
        def wrong = http.get("/runs/$key/tests?task=nope")
        def misspelt = http.get("/runs/$key/tests?task=unti")

        then:
        one.json.failures*.name == ['test_read']
        none.json.failures == []
        wrong.status == 400
        wrong.json.message == "run $key has no task 'nope'"
        wrong.json.details == ['field: task']
        misspelt.status == 400
        misspelt.json.message == "run $key has no task 'unti' — did you mean 'unit'?"
    }

    def "the task's log says what its reports held"() {
        expect:
        http.get("/runs/$key/tasks/unit/log").text.contains('tests: 3 run, 1 failed, 0 errors, 1 skipped (reports/*.xml: 1 file)')
    }

    def "the job's graph names the report globs"() {
        when:
        def tasks = http.get('/projects/tested/jobs/ci').json.graph.tasks

        then:
        tasks.collectEntries { [it.name, it.testReports] } == [unit: ['reports/*.xml'], py: ['out/junit.xml'], lint: null]
    }
}

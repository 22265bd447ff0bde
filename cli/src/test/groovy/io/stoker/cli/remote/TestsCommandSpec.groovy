package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Path

/**
 * {@code stoker status} and {@code stoker tests} against a real server started in process: a run whose task's JUnit XML
 * report names failed cases shows its counts and lists them without its log being opened.
 */
class TestsCommandSpec extends RemoteCliSpecification {

    static final String JOBFILE = '''
job('ci') {
  task('unit') {
    sh """mkdir -p reports && cat > reports/unit.xml <<'XML'
<testsuite name="FooTest"><testcase classname="com.acme.FooTest" name="adds" time="0.5"/>
<testcase classname="com.acme.FooTest" name="bar" time="1"><failure message="expected 3 but was 4">at com.acme.FooTest.bar(FooTest.java:42)</failure></testcase>
<testcase classname="com.acme.FooTest" name="later"><skipped/></testcase></testsuite>
XML
cat > reports/rerun.xml <<'XML'
<testsuite name="FooTest"><testcase classname="com.acme.FooTest" name="bar"><error message="timed out"/></testcase></testsuite>
XML
exit 1"""
    testReports 'reports/*.xml'
  }
  task('lint') { sh 'true' }
}
'''

    @Shared @TempDir Path work
    @Shared String key

    def setupSpec() {
        Path f = work.resolve('Jobfile')
        f.text = JOBFILE
        assert stoker('project', 'add', 'shop', '--jobfile', f).exit == 0
        def trigger = stoker('trigger', 'shop/ci')
        assert trigger.exit == 0: trigger.err
        key = (trigger.out =~ /run ([a-z2-7]{26}) /)[0][1]
        RemoteCommandsSpec.eventually { status().status == 'failed' }
    }

    Map status() {
        new ObjectMapper().readValue(stoker('status', key, '--json').out, Map)
    }

    def "status shows a tests line for each task with reports, and where to find the failed cases"() {
        when:
        def shown = stoker('status', key)

        then:
        shown.exit == 0
        shown.out.contains("""tests:
  unit: 4 run, 1 failed, 1 error, 1 skipped in 1.5s
  the failed cases: stoker tests $key
""")
        !shown.out.contains('  lint: ')
    }

    def "tests lists the failed cases with their message and the report file that said each, and the detail on asking"() {
        when:
        def listed = stoker('tests', key)
        def detailed = stoker('tests', key, '--task', 'unit', '--detail')

        then:
        listed.exit == 0
        listed.out.readLines().size() == 4
        listed.out.contains("""unit  com.acme.FooTest.bar  failure  (reports/unit.xml)
    expected 3 but was 4
""")
        listed.out.contains("""unit  com.acme.FooTest.bar  error  (reports/rerun.xml)
    timed out
""")
        detailed.out.contains('      at com.acme.FooTest.bar(FooTest.java:42)')
    }

    def "tests of a task without test reports says it has none; --json prints the server's answer"() {
        when:
        def none = stoker('tests', key, '--task', 'lint')
        def json = new ObjectMapper().readValue(stoker('tests', 'shop/ci#1', '--json').out, Map)

        then:
        none.exit == 0
        none.out.trim() == "run $key, task lint: no test reports (a task's testReports in the Jobfile collects them)"
        json.failures*.name == ['bar', 'bar']
        json.failures*.file.toSorted() == ['reports/rerun.xml', 'reports/unit.xml']
        json.notKept == 0
    }

    def "a task the run does not have is refused in one line naming it"() {
        when:
        def wrong = stoker('tests', key, '--task', 'nope')

        then:
        wrong.exit == 2
        wrong.err.contains("run $key has no task 'nope'")
        !wrong.err.contains('Exception')
    }
}

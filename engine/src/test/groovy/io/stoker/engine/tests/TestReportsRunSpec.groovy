package io.stoker.engine.tests

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskState
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A task's {@code testReports} are read when its steps end, succeeded or failed: real JUnit XML files in a real
 * workspace, the engine with the real local executor. A file that is not JUnit XML is named in the log and does not
 * fail the task; a DTD is never read, and no file is read through a link leading out of the workspace.
 */
@Timeout(60)
class TestReportsRunSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    /** Surefire's shape: one suite per file at the top, a failure with a message and a stack trace. */
    static final String SUREFIRE = '''<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.FooTest" tests="4" failures="1" errors="1" skipped="1" time="1.5">
  <properties><property name="java.version" value="25"/></properties>
  <testcase name="adds" classname="com.acme.FooTest" time="0.25"/>
  <testcase name="bar" classname="com.acme.FooTest" time="0.5">
    <failure message="expected: &lt;3&gt; but was: &lt;4&gt;" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected: &lt;3&gt; but was: &lt;4&gt;
	at com.acme.FooTest.bar(FooTest.java:42)</failure>
  </testcase>
  <testcase name="io" classname="com.acme.FooTest" time="0.75">
    <error type="java.io.IOException"><![CDATA[java.io.IOException: disk full
	at com.acme.FooTest.io(FooTest.java:50)]]></error>
  </testcase>
  <testcase name="later" classname="com.acme.FooTest" time="0"><skipped/></testcase>
  <system-out>lots of output</system-out>
</testsuite>
'''

    /** pytest's {@code --junitxml} shape: a {@code <testsuites>} wrapper. */
    static final String PYTEST = '''<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="0.031"><testcase classname="tests.test_math" name="test_ok" time="0.001" /><testcase classname="tests.test_math" name="test_div" time="0.002"><failure message="assert 3 == 4">def test_div():
&gt;       assert 3 == 4
E       assert 3 == 4</failure></testcase></testsuite></testsuites>
'''


    private void report(String path, String xml) {
        Path p = f.workspace.resolve(path)
        Files.createDirectories(p.parent)
        Files.writeString(p, xml)
    }

    def "a failing task's Surefire and pytest reports are read: counts for all, each failure with its message and detail"() {
        given: 'reports the task finds in its workspace (as a checkout or an earlier step would leave them)'
        report('build/test-results/test/TEST-com.acme.FooTest.xml', SUREFIRE)
        report('py/junit.xml', PYTEST)

        when:
        def run = f.run(job('j', task('test', [testReports: ['build/test-results/**/*.xml', 'py/junit.xml']],
                'echo running tests', 'exit 1')))
        def tests = run.task('test').tests()

        then: 'the task still fails as its step did'
        run.state() == RunState.FAILED
        run.task('test').state() == TaskState.FAILED
        run.task('test').exitCode() == 1

        and:
        tests.total() == 6
        tests.failed() == 2
        tests.errors() == 1
        tests.skipped() == 1
        tests.durationMs() == 1503
        tests.files() == 2
        tests.failures().collect { [it.suite(), it.className(), it.name(), it.kind()] } == [
                ['com.acme.FooTest', 'com.acme.FooTest', 'bar', FailureKind.FAILURE],
                ['com.acme.FooTest', 'com.acme.FooTest', 'io', FailureKind.ERROR],
                ['pytest', 'tests.test_math', 'test_div', FailureKind.FAILURE]]
        tests.failures()[0].message() == 'expected: <3> but was: <4>'
        tests.failures()[0].detail().contains('at com.acme.FooTest.bar(FooTest.java:42)')
        tests.failures()[1].message() == 'java.io.IOException: disk full' // no message attribute: its first line
        tests.failures()[2].detail().contains('>       assert 3 == 4')

        and: 'one line of the log sums them up'
        f.log(run, 'test').contains('tests: 6 run, 2 failed, 1 error, 1 skipped (build/test-results/**/*.xml, py/junit.xml: 2 files)')
    }

    def "a file that is not JUnit XML is named in the log with why, and neither fails the task nor hides the others"() {
        given:
        report('reports/good.xml', PYTEST)
        report('reports/broken.xml', '<testsuite name="x"><testcase name="a">')
        report('reports/other.xml', '<project><name>not a report</name></project>')

        when:
        def run = f.run(job('j', task('test', [testReports: ['reports/*.xml']], 'true')))
        def log = f.log(run, 'test')

        then:
        run.state() == RunState.SUCCEEDED
        run.task('test').tests().total() == 2
        run.task('test').tests().files() == 1
        log.contains('test report reports/broken.xml is not JUnit XML: it is not well-formed XML (line 1)')
        log.contains('test report reports/other.xml is not JUnit XML: its root element is <project>, not <testsuite> or <testsuites>')
        log.contains('tests: 2 run, 1 failed, 0 errors, 0 skipped (reports/*.xml: 1 file)')
    }

    def "a report with a DOCTYPE is not read: its external entity is never resolved"() {
        given: 'a secret outside the workspace, and a report whose entity names it'
        Path secret = tmp.resolve('outside/secret.txt')
        Files.createDirectories(secret.parent)
        Files.writeString(secret, 'TOP-SECRET-VALUE')
        report('reports/xxe.xml', """<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "file://${secret}">]>
<testsuite name="x"><testcase name="leak" classname="c"><failure message="&xxe;">&xxe;</failure></testcase></testsuite>
""")
        report('reports/laughs.xml', '''<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuite name="x"><testcase name="laugh"><failure message="&lol3;"/></testcase></testsuite>
''')

        when:
        def run = f.run(job('j', task('test', [testReports: ['reports/*.xml']], 'true')))
        def log = f.log(run, 'test')

        then:
        run.state() == RunState.SUCCEEDED
        run.task('test').tests() == null
        log.contains('test report reports/xxe.xml is not JUnit XML: it declares a document type (<!DOCTYPE>)')
        log.contains('test report reports/laughs.xml is not JUnit XML: it declares a document type (<!DOCTYPE>)')
        !log.contains('TOP-SECRET-VALUE')
        log.contains('tests: none of the files matching reports/*.xml is JUnit XML')
    }

    def "a report linked from outside the workspace is not read"() {
        given: 'a JUnit file outside the workspace, linked into it'
        Path outside = tmp.resolve('outside/TEST-secret.xml')
        Files.createDirectories(outside.parent)
        Files.writeString(outside, PYTEST)
        Files.createDirectories(f.workspace.resolve('reports'))
        Files.createSymbolicLink(f.workspace.resolve('reports/linked.xml'), outside)
        report('reports/own.xml', SUREFIRE)

        when:
        def run = f.run(job('j', task('test', [testReports: ['reports/*.xml']], 'true')))

        then: 'only the workspace\'s own report counts'
        run.task('test').tests().files() == 1
        run.task('test').tests().total() == 4
        !run.task('test').tests().failures()*.name().contains('test_div')
    }

    def "reports written by the steps are read after a success; a task without matches says so"() {
        when:
        def run = f.run(job('j',
                task('test', [testReports: ['out/junit.xml']],
                        'mkdir -p out && printf \'<testsuites><testsuite name="go"><testcase classname="pkg" name="TestA" time="0.01"/></testsuite></testsuites>\' > out/junit.xml'),
                task('none', [testReports: ['nothing/*.xml']], 'true'),
                task('plain', [:], 'true')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('test').tests().total() == 1
        run.task('test').tests().failed() == 0
        run.task('test').tests().durationMs() == 10
        run.task('none').tests() == null
        f.log(run, 'none').contains('no files matched testReports [nothing/*.xml]')
        run.task('plain').tests() == null
        !f.log(run, 'plain').contains('tests:')
    }

    def "a retried task keeps the reports of its last attempt only"() {
        when:
        def run = f.run(job('j', task('test', [testReports: ['r.xml'], retry: 1],
                'if [ "$STOKER_ATTEMPT" = 1 ]; then printf \'<testsuite><testcase name="a"><failure message="m"/></testcase><testcase name="b"/></testsuite>\' > r.xml; exit 1; fi; printf \'<testsuite><testcase name="a"/></testsuite>\' > r.xml')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('test').attempts() == 2
        run.task('test').tests().total() == 1
        run.task('test').tests().failed() == 0
    }
}

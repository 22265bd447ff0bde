package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.IgnoreIf
import spock.lang.Shared

/**
 * A run whose tests failed says so on its page, in Chromium against a real server: each task with reports shows
 * "3 tests, 1 failed", and the failed cases are listed by name and message, their detail (the stack trace) opening
 * on a click. No page writes a script error.
 */
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiTestReportsSpec extends ServerSpecification {
    @Shared Browser browser

    static final String JOBFILE = '''
job('tested') {
  task('unit') {
    sh """mkdir -p reports && cat > reports/unit.xml <<'XML'
<testsuite name="FooTest"><testcase classname="com.acme.FooTest" name="adds" time="0.5"/>
<testcase classname="com.acme.FooTest" name="bar" time="1"><failure message="expected 3 but was 4">at com.acme.FooTest.bar(FooTest.java:42)</failure></testcase>
<testcase classname="com.acme.FooTest" name="later"><skipped/></testcase></testsuite>
XML
exit 1"""
    testReports 'reports/*.xml'
  }
}
job('untested') { task('t') { sh 'true' } }
'''

    def setupSpec() {
        if (Browser.missing()) return
        freestyle('shop', JOBFILE)
        browser = new Browser(server.url())
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        browser?.close()
    }

    def "the run page counts a task's tests and lists the failed case with its message; its detail opens on a click"() {
        given:
        def key = trigger('shop', 'tested')
        awaitEnd(key)

        when:
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then: 'the counts, in the tests section and beside the task that failed'
        browser.text('#tests .test-counts', 'unit: 3 tests, 1 failed, 1 skipped')
        browser.text('.task-head', '3 tests, 1 failed, 1 skipped')

        and: 'the failed case by name, message and report file, its detail folded away'
        def failure = browser.text('#tests .test-failure summary', 'com.acme.FooTest.bar')
        failure.contains('expected 3 but was 4')
        failure.contains('reports/unit.xml')
        browser.js("return document.querySelector('#tests .test-failure details').open") == false

        when:
        browser.click('#tests .test-failure summary')

        then:
        browser.text('#tests .test-detail', 'at com.acme.FooTest.bar(FooTest.java:42)')
        browser.js("return document.querySelector('#tests .test-failure details').open") == true
        browser.scriptErrors() == []
    }

    def "a run without test reports says it has none"() {
        given:
        def key = trigger('shop', 'untested')
        awaitEnd(key)

        when:
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then:
        browser.text('#tests', 'No test reports.')
        browser.scriptErrors() == []
    }
}

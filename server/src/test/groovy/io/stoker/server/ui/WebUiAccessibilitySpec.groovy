package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.IgnoreIf
import spock.lang.Shared

/**
 * What a screen reader gets from the pages' forms, in Chromium against a real server: every input has a name, a
 * field's hint is read with its input, and a password form names its user.
 */
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiAccessibilitySpec extends ServerSpecification {
    @Shared Browser browser

    /** The inputs on the page with no label, aria-label or aria-labelledby, as HTML. */
    static final String UNNAMED = '''return [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && !e.labels?.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
        .map(e => e.outerHTML)'''

    def setupSpec() {
        if (Browser.missing()) return
        browser = new Browser(server.url())
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        browser?.close()
    }

    def "a new API token is shown in an input that says whose it is"() {
        given:
        browser.open('/#/people')
        browser.driver.navigate().refresh()

        when:
        browser.type('#token-name', 'reader')
        browser.click('#token-form button[type=submit]')

        then:
        browser.find('#token-shown input').getAttribute('aria-label') == 'API token reader'
        browser.js(UNNAMED) == []
    }

    def "the password form says whose password it is, so a password manager updates the right login"() {
        when:
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        browser.find('#password-form')

        then:
        browser.js("return document.querySelector('#password-form input[autocomplete=username]')?.value") == 'admin'
        browser.js(UNNAMED) == []
        browser.driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).all
                .findAll { it.message.contains('Password forms should have') } == []
    }

    def "no live region holds a whole page: a screen reader is not read each page again, nor each tick of a duration"() {
        when:
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        browser.find('#password-form')

        then: 'the page\'s own message boxes are live, not what holds the page'
        browser.js("return document.getElementById('main').closest('[aria-live]')?.id ?? null") == null
        browser.js("return document.querySelectorAll('#main [aria-live]').length") > 0
    }

    def "a field's hint is its input's description"() {
        when:
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        def input = browser.find('#my-new-pass')

        then:
        def described = input.getAttribute('aria-describedby')
        described
        browser.js('return document.getElementById(arguments[0]).textContent', described).contains('at least 12 characters')
    }
}

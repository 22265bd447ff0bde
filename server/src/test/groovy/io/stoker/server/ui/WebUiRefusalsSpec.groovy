package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.agent.TestKeys
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Stepwise

/**
 * What the pages say when the server refuses a form, or cannot be reached, in Chromium against a real server: a
 * refusal shows beside the field it names, under the form's label for it; a form sends once however often it is
 * pressed; with the server out of reach a page says so where it is asked and loads once the server answers again,
 * and Log out still logs out, and says what the server did not hear.
 */
@Stepwise
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiRefusalsSpec extends ServerSpecification {
    @Shared Browser browser

    def setupSpec() {
        if (Browser.missing()) return
        freestyle('shop', "job('build') { task('compile') { sh 'true' } }")
        assert http.post('/users', [username: 'devi', password: 'developer-pass-1', role: 'developer']).status == 201
        browser = new Browser(server.url())
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        browser?.close()
    }

    /** The message boxes of the page that hold a refusal and are in no form: a box at the top of the page. */
    List<String> refusalsOutsideForms() {
        browser.js("return [...document.querySelectorAll('main .alert')].filter(a => !a.closest('form')).map(a => a.textContent)") as List<String>
    }

    /** Types each input's text, then presses the form's button. */
    void send(Map<String, String> typed, String button) {
        typed.each { css, text -> browser.type(css, text) }
        browser.click(button)
    }

    def "New item shows a taken name beside the Name field of the form that sent it, not at the top of the page"() {
        given:
        browser.open('/#/new')
        browser.text('#diagnostics', 'valid')

        when:
        browser.type('#free-name', 'shop')
        browser.click('#create-free')

        then:
        browser.text('#free-form .field:has(#free-name) .field-refusal', "a project named 'shop' exists already")
        browser.find('#free-name').getAttribute('aria-invalid') == 'true'
        browser.js('return document.activeElement.id') == 'free-name'
        refusalsOutsideForms() == []

        and: 'the other form keeps none'
        browser.all('#git-form .alert').isEmpty()
    }

    def "New item names a refused git URL by its label, beside it"() {
        when:
        send('#create-git', '#git-name': 'web', '#git-url': 'not a url')

        then:
        def said = browser.text('#git-form .field:has(#git-url) .field-refusal', "must be a git repository's URL")
        said.startsWith('Git URL must be')
        !said.contains('gitUrl')
        refusalsOutsideForms() == []

        and: "the Jobfile form's refusal stays beside its field: it still holds"
        browser.find('#free-form .field-refusal')
    }

    def "New item shows credentials with no secret of their name beside Git credentials, not under Git URL"() {
        when: 'a well-formed URL (never fetched: the credentials are looked up first) and credentials nobody stored'
        send('#create-git', '#git-name': 'web', '#git-url': 'https://127.0.0.1:9/web.git', '#git-credentials': 'nope')

        then:
        browser.text('#git-form .field:has(#git-credentials) .field-refusal', "no git credentials named 'nope'")
        browser.find('#git-credentials').getAttribute('aria-invalid') == 'true'
        browser.all('#git-form .field:has(#git-url) .field-refusal').isEmpty()
        browser.find('#git-url').getAttribute('aria-invalid') == null
        refusalsOutsideForms() == []
    }

    def "Manage Stoker names a refused private key as its form labels it, beside the key"() {
        given:
        browser.open('/#/manage')

        when:
        send('#add-agent', '#agent-name': 'box', '#agent-host': '127.0.0.1', '#agent-user': 'nobody',
                '#agent-key': 'not a key at all')

        then:
        def said = browser.text('#agent-form .field:has(#agent-key) .field-refusal', 'Private key')
        said.startsWith('Private key: ')
        !browser.find('main').text.contains('privateKey')
        browser.find('#agent-key').getAttribute('aria-invalid') == 'true'
    }

    def "a job's Add member sends once however often it is pressed while the first is on its way"() {
        given:
        browser.open('/#/jobs/shop/build')
        browser.type('#member-name', 'devi')
        browser.countRequests('PUT', '/members/devi')

        when: 'pressed twice before the first answer'
        browser.js("const f = document.querySelector('#members form'); f.requestSubmit(); f.requestSubmit()")

        then:
        browser.find('#members li[data-member="devi"]')
        browser.counted() == 1
        http.get('/projects/shop/members').json.members.contains('devi')
    }

    def "Delete view of a view another tab deleted meanwhile says it is gone, instead of doing nothing"() {
        given: 'the view open here, and deleted elsewhere'
        assert http.put('/views/Gone', [filter: 'shop/']).status in [200, 201]
        browser.open('/#/views/Gone')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'Gone')
        assert http.delete('/views/Gone').status == 204

        when:
        browser.answer('.delete-view', true)

        then:
        browser.text('main .alert', "no view 'Gone'")
        browser.scriptErrors() == []
    }

    def "a role change the server refuses shows the role as it was, and says why"() {
        given: 'a second admin on the People page, demoted meanwhile by the first'
        assert http.post('/users', [username: 'ada', password: 'admin-pass-12345', role: 'admin']).status == 201
        assert http.post('/users', [username: 'cleo', password: 'viewer-pass-12345', role: 'viewer']).status == 201
        browser.logout()
        browser.login('ada', 'admin-pass-12345')
        browser.open('/#/people')
        browser.find('select[aria-label="role of cleo"]')
        assert http.put('/users/ada/role', [role: 'viewer']).status == 200

        when:
        new org.openqa.selenium.support.ui.Select(browser.find('select[aria-label="role of cleo"]')).selectByValue('developer')

        then:
        browser.text('#users-note', 'admin role')
        browser.find('select[aria-label="role of cleo"]').getAttribute('value') == 'viewer'
        http.get('/users').json.find { it.username == 'cleo' }.role == 'viewer'

        cleanup:
        browser.logout()
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    /** Takes the page's network away ({@code false}) or gives it back, as a stopped server or a dropped link would. */
    void network(boolean on) {
        browser.driver.executeCdpCommand('Network.enable', [:])
        browser.driver.executeCdpCommand('Network.emulateNetworkConditions',
                [offline: !on, latency: 0, downloadThroughput: -1, uploadThroughput: -1])
    }

    def "a job's runs filtered while the server is out of reach show no runs of the filter before"() {
        given:
        trigger('shop', 'build')
        browser.open('/#/jobs/shop/build')
        browser.find('tr[data-run]')
        network(false)

        when:
        browser.type('#f-branch', 'nothing-like-it')

        then: 'said beside the filters, not above the page'
        browser.text('.filter-note', 'Cannot reach the Stoker server')
        browser.until { browser.all('tr[data-run]').isEmpty() }
        browser.text('table.runs tbody', 'No runs shown')

        cleanup:
        network(true)
    }

    def "a page opened while the server is out of reach loads by itself once it answers again"() {
        given:
        browser.open('/#/')
        browser.text('main h1', 'Dashboard')
        network(false)

        when:
        browser.js("location.hash = '#/jobs/shop/build'")

        then:
        browser.text('#page-error', 'Cannot reach the Stoker server')

        when:
        network(true)

        then:
        browser.find('#job-status')
        browser.all('#page-error').isEmpty()

        cleanup:
        network(true)
    }

    def "#heading, whose sections are read apart, opened while the server is out of reach loads by itself once it answers"() {
        given:
        browser.open('/#/')
        browser.text('main h1', 'Dashboard')
        network(false)

        when:
        browser.js('location.hash = arguments[0]', page)

        then: 'the whole page says so, with Try now, not each section on a page that never reads again'
        browser.text('#page-error', 'Cannot reach the Stoker server')
        browser.find('#page-error .try-again')

        when:
        network(true)

        then:
        browser.text('main h1', heading)
        browser.find(shown)
        browser.all('#page-error').isEmpty()
        !browser.find('main').text.contains('Cannot reach')

        cleanup:
        network(true)

        where:
        page       | heading         | shown
        '#/people' | 'People'        | 'tr[data-user="admin"]'
        '#/manage' | 'Manage Stoker' | 'dl.settings'
    }

    def "Build of a job whose one run at a time is going says so in words, and Queue it queues the run"() {
        given: 'a job of one run at a time, running'
        freestyle('serial', "job('deploy') { concurrency 1; parameters { string 'WHO', defaultValue: 'me' }; task('hold') { sh 'sleep 60' } }")
        def first = trigger('serial', 'deploy')
        browser.open('/#/jobs/serial/deploy')

        when:
        browser.click('button.trigger')
        browser.click('#start-run')

        then: "the refusal in the form, in words, not the API's ?queue=true"
        def said = browser.text('dialog[open] .alert', 'serial / deploy allows one run at a time, and one run is queued or going')
        !said.contains('?queue')

        when:
        browser.click('dialog[open] .queue-run')

        then: 'the run is queued behind the first, with the parameters of the form'
        browser.text('.notice', 'Started serial / deploy #2')
        browser.all('dialog[open]').isEmpty()
        def queued = http.get('/runs?project=serial&job=deploy').json.runs.find { it.number == 2 }
        queued.status == 'queued'
        queued.parameters == [WHO: 'me']

        cleanup:
        http.get('/runs?project=serial&job=deploy').json.runs.each { http.delete("/runs/$it.key") }
        awaitEnd(first)
    }

    def "Manage's agents read again while the server is out of reach stay listed, say so, and are read again once it answers"() {
        given: 'an agent (where nothing listens), listed on Manage Stoker'
        assert http.post('/agents', [name: 'far', host: '127.0.0.1', port: 1, user: 'ci',
                                     privateKey: TestKeys.openSsh(TestKeys.ecKeyPair()), trustOnFirstUse: true]).status == 201
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.find('#agents tr[data-agent="far"]')
        network(false)

        when: 'Install, whose answer reads the agents again'
        browser.click('#agents tr[data-agent="far"] .install-agent')

        then: 'the note says the server is out of reach; the table stays, as last read, rather than those words in its place'
        browser.text('#agent-note', 'Cannot reach the Stoker server')
        browser.text('#agents .section-stale', 'Shown as last read')
        browser.find('#agents tr[data-agent="far"]')

        when:
        network(true)

        then: 'it is read again by itself, not only once the event stream is back'
        browser.until { browser.all('#agents .section-stale').isEmpty() }
        browser.find('#agents tr[data-agent="far"]')

        cleanup:
        network(true)
        http.delete('/agents/far')
    }

    def "Log out with the server out of reach logs out of the tab, and the login page says the server did not hear it"() {
        given: 'a page that holds the session, and then no network'
        browser.open('/#/')
        browser.find('#logout')
        browser.scriptErrors()
        network(false)

        when:
        browser.click('#logout')

        then:
        browser.text('#session-ended', 'could not be reached')
        browser.find('#username')
        browser.js('return sessionStorage.length') == 0
        browser.scriptErrors().findAll { it.contains('Uncaught') } == []

        cleanup:
        network(true)
    }
}

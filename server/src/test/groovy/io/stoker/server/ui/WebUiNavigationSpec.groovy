package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import org.eclipse.jgit.api.Git
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * What a new user meets when things go less than smoothly, in Chromium against a real server: a slow page that must
 * not cover the page the person went on to, a mangled link, a session the server ended, a server that stops
 * answering while a log or the executor panel is open, a log whose task ended, a job page whose last run changes, and a cancelled run.
 */
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiNavigationSpec extends ServerSpecification {
    @Shared Browser browser
    @TempDir Path scratch

    static final String JOBFILE = '''
job('quick') { task('t') { sh 'echo done' } }
job('hold') {
  parameters { string 'flag', defaultValue: '' }
  task('wait') { sh 'echo waiting; while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done; echo over' }
}
'''

    def setupSpec() {
        if (Browser.missing()) return
        freestyle('nav', JOBFILE)
        browser = new Browser(server.url())
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        browser?.close()
    }

    /** Starts a run of 'hold', which runs until {@code flag} exists, and opens its log; returns the run's key. */
    String openHeldLog(Path flag) {
        def key = trigger('nav', 'hold', [parameters: [flag: flag.toString()]])
        browser.open("/#/runs/$key/wait")
        browser.driver.navigate().refresh()
        browser.text('.log .row', 'waiting')
        key
    }

    def "a page that loads slowly is not shown once the person has gone on to another page"() {
        given: 'a run, and a page whose reads of runs wait until the spec lets them through'
        def key = trigger('nav', 'quick')
        awaitEnd(key)
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'People')
        browser.js('''
            const realFetch = window.fetch;
            let open;
            window.gate = new Promise(r => { open = r; });
            window.openGate = () => open();
            window.runAsks = 0;
            window.runReads = 0;
            window.fetch = async (input, init) => {
              if (!String(input).includes('/api/v1/runs/')) return realFetch(input, init);
              window.runAsks++;
              await window.gate;
              // counted once read or refused alike: either way the page that asked goes on from there
              try {
                const r = await realFetch(input, init);
                const json = r.json.bind(r);
                r.json = async () => { try { return await json(); } finally { window.runReads++; } };
                return r;
              } catch (e) { window.runReads++; throw e; }
            };''')

        when: 'the run is opened, and the dashboard chosen before the run has loaded'
        browser.js('location.hash = arguments[0]', "#/runs/$key".toString())
        browser.until { browser.js('return window.runAsks') == 2 }
        browser.js("location.hash = '#/'")
        browser.text('main h1', 'Dashboard')

        and: 'the run\'s reads are answered after all (the run and its graph), and what they started has run to its end'
        browser.js('window.openGate()')
        browser.until { browser.js('return window.runReads') >= 2 }
        browser.driver.executeAsyncScript('setTimeout(arguments[arguments.length - 1], 0)')

        then: 'the dashboard stays, under its own title'
        browser.textOf('main h1') == 'Dashboard'
        browser.driver.title == 'Dashboard – Stoker'
        browser.driver.currentUrl.endsWith('#/')
        browser.scriptErrors() == []
    }

    def "each page names itself in the tab's title as the person goes from page to page, and a run's and its job's titles mark its end"() {
        given: 'a saved view, and a run that goes until the spec lets it end'
        assert http.put('/views/Nav', [filter: 'nav/']).status in [200, 201]
        def flag = scratch.resolve('title-flag')
        def key = trigger('nav', 'hold', [parameters: [flag: flag.toString()]])
        def number = http.get("/runs/$key").json.number
        browser.open('/#/')
        browser.driver.navigate().refresh()

        expect: 'each page, reached by its link in the same document, puts its own name first'
        browser.until { browser.driver.title == 'Dashboard – Stoker' }
        titleAt('#/views/Nav') == 'Nav – Stoker'
        titleAt('#/projects/nav') == 'nav – Stoker'
        titleAt('#/jobs/nav/hold') == 'nav/hold – Stoker'
        titleAt('#/people') == 'People – Stoker'
        titleAt("#/runs/$key") == "nav/hold #$number – Stoker"

        when: 'the run ends while its page is open'
        Files.writeString(flag, '')
        awaitEnd(key)

        then: 'its title says how, without a reload'
        browser.until { browser.driver.title == "✓ nav/hold #$number – Stoker" }

        and: "its job's page marks its last run's end the same way"
        titleAt('#/jobs/nav/hold') == '✓ nav/hold – Stoker'

        when: 'another run of the job starts while its page is open'
        def again = scratch.resolve('title-flag-again')
        def next = trigger('nav', 'hold', [parameters: [flag: again.toString()]])

        then: 'the mark goes while it runs, and comes back as it ends, without a reload'
        browser.until { browser.driver.title == 'nav/hold – Stoker' }
        Files.writeString(again, '')
        awaitEnd(next)
        browser.until { browser.driver.title == '✓ nav/hold – Stoker' }

        when: 'the person logs out'
        browser.logout()

        then: 'the tab shows the login, not the run it left'
        browser.until { browser.driver.title == 'Log in – Stoker' }
        browser.scriptErrors() == []

        cleanup:
        http.delete('/views/Nav')
        if (browser.all('#logout').isEmpty()) browser.login('admin', Http.ADMIN_PASSWORD)
    }

    /**
     * Goes to {@code hash} in the same document, as a link does, and returns the tab's title once that page is shown:
     * each page is drawn in a new main element, and the title is set as it is.
     */
    private String titleAt(String hash) {
        browser.js('document.getElementById("main").dataset.left = "yes"; location.hash = arguments[0]', hash)
        browser.until { browser.js('const m = document.getElementById("main"); return m && !m.dataset.left && !!m.querySelector("h1")') }
        browser.driver.title
    }

    def "a script of the page that does not load says so with a reload link, instead of Loading… for good"() {
        given: 'one module of the pages fails to load, as behind a proxy that errs or after a restart with a newer build'
        browser.driver.executeCdpCommand('Network.enable', [:])
        browser.driver.executeCdpCommand('Network.setBlockedURLs', [urls: ['*/js/api.js']])

        when:
        browser.open('/#/people')
        browser.driver.navigate().refresh()

        then: 'the page says what happened and offers a reload, after it reloaded once by itself'
        browser.text('#load-failed h1', 'could not be loaded')
        browser.find('#load-failed a#reload')
        browser.textOf('#app').contains('Loading') == false
        browser.js('return sessionStorage.getItem("stoker.bootRetried")') != null

        when: 'the script loads again, and the link is followed'
        browser.driver.executeCdpCommand('Network.setBlockedURLs', [urls: []])
        browser.click('#reload')

        then: 'the page is there, and a later failure may be retried again'
        browser.text('main h1', 'People')
        browser.all('#load-failed').isEmpty()
        browser.js('return sessionStorage.getItem("stoker.bootRetried")') == null

        cleanup:
        browser.driver.executeCdpCommand('Network.setBlockedURLs', [urls: []])
        browser.scriptErrors() // the blocked load's console line belongs to this feature only
    }

    def "a job page linked with a status the server does not know says so, instead of every run as if filtered"() {
        given: 'a run of the job'
        def key = trigger('nav', 'quick')
        awaitEnd(key)

        when: 'a link with a mistyped status is opened'
        browser.open('/#/jobs/nav/quick?status=succeded')
        browser.driver.navigate().refresh()

        then: 'the refusal names the filter and what it takes, and no run is listed as matching it'
        browser.text('.filter-note', "unknown status 'succeded'")
        browser.text('.filter-note', 'one of: queued, running, succeeded')
        browser.find('#f-status').getAttribute('value') == 'succeded'
        browser.all('tr[data-run]').isEmpty()

        when: 'a status it knows is chosen'
        new org.openqa.selenium.support.ui.Select(browser.find('#f-status')).selectByValue('succeeded')

        then: 'the statuses are named as the runs\' pills name them'
        browser.find("tr[data-run='$key']")
        browser.until { browser.all('.filter-note .alert').isEmpty() }
        browser.js("return document.querySelector('#f-status option[value=timedout]').textContent") == 'Timed out'
        browser.js("return document.querySelector('#f-status option[value=succeeded]').textContent") == 'Succeeded'
        browser.scriptErrors() == []
    }

    def "a page opened from a scrolled page shows from its top, heading first"() {
        given: 'a window low enough that People runs past it, and Manage Stoker scrolled down'
        def size = browser.driver.manage().window().size
        browser.driver.manage().window().size = new org.openqa.selenium.Dimension(size.width, 300)
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'Manage')
        browser.js('window.scrollTo(0, 400)')
        browser.until { (browser.js('return window.scrollY') as long) > 0 }

        when: 'the sidebar\'s People link is followed (scrolled under the header, so pressed by script)'
        browser.js('document.querySelector(\'a[href="#/people"]\').click()')
        browser.text('main h1', 'People')

        then: 'the page taller than the window, and shown from its top'
        (browser.js('return document.documentElement.scrollHeight') as long) > 300
        browser.until { (browser.js('return window.scrollY') as long) == 0 }

        cleanup:
        browser.driver.manage().window().size = size
    }

    def "a link with a broken escape in it shows Not found, not the page before it"() {
        given:
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'People')

        when:
        browser.open('/#/runs/%ZZ')

        then:
        browser.text('#page-error h1', 'Not found')
        browser.until { browser.driver.title == 'Not found – Stoker' }
        browser.scriptErrors() == []
    }

    def "a session the server no longer knows shows the login saying so, then the page the person was on"() {
        given: 'a tab whose tokens the server does not know (expired, or ended elsewhere)'
        browser.open('/#/jobs/nav/quick')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'quick')
        browser.js('''const s = JSON.parse(sessionStorage.getItem('stoker.session'));
            s.token = 'gone'; s.refreshToken = 'gone';
            sessionStorage.setItem('stoker.session', JSON.stringify(s));''')

        when: 'the person goes to another page'
        browser.open('/#/projects/nav')

        then: 'the login says why it is there'
        browser.text('#session-ended', 'Your session has ended')
        browser.find('#username')

        when: 'they log in again'
        browser.submitLogin('admin', Http.ADMIN_PASSWORD)

        then: 'they are back on that page'
        browser.text('main h1', 'nav')
        browser.driver.currentUrl.endsWith('#/projects/nav')

        when: 'they log out themselves'
        browser.logout()

        then: 'the login says nothing of an ended session'
        browser.find('#username')
        browser.all('#session-ended').isEmpty()

        cleanup:
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def "a second login attempt clears the first one's refusal while it is on its way"() {
        given: 'a login refused for a wrong password'
        browser.openLoggedOut('/#/projects/nav')
        browser.submitLogin('admin', 'not-the-password-at-all')
        browser.text('.login-card .alert', 'Wrong user name or password.')

        and: 'the page holds its next login request until told'
        browser.js('''const real = window.fetch;
            window.releaseLogin = null;
            window.fetch = (input, init) => String(input).endsWith('/login')
              ? new Promise(go => { window.releaseLogin = () => go(real(input, init)); }) : real(input, init);''')

        when: 'the right password is sent'
        browser.type('#password', Http.ADMIN_PASSWORD)
        browser.click('#login')
        browser.until { browser.js('return window.releaseLogin !== null') }

        then: 'the old refusal is gone while the login is on its way, and the button says it is busy'
        browser.all('.login-card .alert').isEmpty()
        browser.find('#login').getAttribute('aria-busy') == 'true'

        when:
        browser.js('window.releaseLogin()')

        then:
        browser.text('main h1', 'nav')
        browser.scriptErrors() == []

        cleanup:
        if (browser.all('#logout').isEmpty()) browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def "a link to a job's filtered runs opened while logged out shows those runs, filtered, once the person logs in"() {
        given: 'a run that succeeded, and a new tab without a session that opens a link to the failed runs only'
        awaitEnd(trigger('nav', 'quick'))
        browser.openLoggedOut('/#/jobs/nav/quick?status=failed')

        when:
        browser.submitLogin('admin', Http.ADMIN_PASSWORD)

        then: 'the filter the link asked for, not every run as if unfiltered'
        browser.text('table.runs', 'No runs match.')
        browser.js("return document.querySelector('#f-status').value") == 'failed'
        browser.driver.currentUrl.endsWith('#/jobs/nav/quick?status=failed')
        browser.all('table.runs tr[data-run]').isEmpty()
        browser.scriptErrors() == []
    }

    def "a log the server stops answering for says the server cannot be reached, and stops saying it once it answers"() {
        given: 'a task that runs until the spec lets it end, open on its run page'
        def flag = scratch.resolve('reach-flag')
        def key = openHeldLog(flag)

        when: 'the reads of the log get no answer, as while the server restarts'
        browser.js('''
            const realFetch = window.fetch;
            window.serverDown = true;
            window.fetch = (input, init) => window.serverDown && String(input).includes('/log/lines')
              ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init);''')

        then: 'the log says so in words'
        def said = browser.text('.log .alert', 'Cannot reach the Stoker server')
        !said.contains('Failed to fetch')

        when: 'the server answers again'
        browser.js('window.serverDown = false')

        then: 'the message goes, and the log goes on'
        browser.until { browser.all('.log .alert').isEmpty() }
        browser.scriptErrors() == []

        cleanup:
        Files.writeString(flag, '')
        awaitEnd(key)
    }

    def "Build Executor Status says the server cannot be reached while it does not answer, keeps its slots, and mends itself"() {
        given: 'a page with the panel read'
        browser.open('/#/')
        browser.driver.navigate().refresh()
        browser.text('#executors', 'Built-in')

        when: "the panel's reads get no answer, as while the server restarts, and a run's events ask it to read again"
        browser.js('''
            const realFetch = window.fetch;
            window.serverDown = true;
            window.fetch = (input, init) => window.serverDown && String(input).endsWith('/executors')
              ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init);''')
        awaitEnd(trigger('nav', 'quick'))

        then: 'it says why in words, under the slots as last read, not that it is "unavailable"'
        browser.text('#executors .section-stale', 'Cannot reach the Stoker server')
        browser.text('#executors', 'Built-in')
        !browser.textOf('#executors').contains('unavailable')

        when: 'the server answers again, with no event to ask for a read'
        browser.js('window.serverDown = false')

        then: 'the panel reads again by itself'
        browser.until { browser.all('#executors .section-stale').isEmpty() }
        browser.text('#executors', 'Built-in')
        browser.scriptErrors() == []
    }

    def "the log of a task that ended while open offers Follow, and does not say it is pressed"() {
        given: 'a followed log of a running task'
        def flag = scratch.resolve('follow-flag')
        def key = openHeldLog(flag)
        def follow = '.log-toolbar button[aria-pressed]'
        browser.until { browser.textOf(follow) == 'Unfollow' && browser.find(follow).getAttribute('aria-pressed') == 'true' }

        when: 'the task ends'
        Files.writeString(flag, '')
        awaitEnd(key)

        then: 'the button says Follow and is not pressed'
        browser.text('.log .row', 'over')
        browser.until { browser.textOf(follow) == 'Follow' }
        browser.find(follow).getAttribute('aria-pressed') == 'false'
    }

    def "Build on a job's page says which run it started by number, and the heading follows that run to its end"() {
        given:
        def flag = scratch.resolve('heading-flag')
        browser.open('/#/jobs/nav/hold')
        browser.driver.navigate().refresh()
        browser.find('#job-status')

        when: 'the job is built from its page'
        browser.click('.page-head .trigger')
        browser.type('dialog input[name=flag]', flag.toString())
        browser.click('#start-run')

        then: 'the notice names the run as its list does'
        def key = browser.until { browser.find('.notice a').getAttribute('title') }
        browser.text('.notice a', "nav / hold #${http.get("/runs/$key").json.number}")

        and: 'the heading says it runs, and so does the badge'
        browser.until { browser.textOf('#job-status') == 'Running' }
        browser.until { badgeSays() == 'hold: running' }

        when:
        Files.writeString(flag, '')
        awaitEnd(key)

        then: 'and then how it ended'
        browser.until { browser.textOf('#job-status') == 'Succeeded' }
        browser.until { badgeSays() == 'hold: passing' }
        browser.scriptErrors() == []
    }

    /** What the job page's badge picture says, as its text alternative tells it. */
    private String badgeSays() {
        browser.js("return document.querySelector('#badge-md').closest('section').querySelector('img')?.alt")
    }

    def "a run cancelled while its task ran opens at that task's log"() {
        given:
        def key = trigger('nav', 'hold', [parameters: [flag: scratch.resolve('never').toString()]])
        Http.eventually { http.get("/runs/$key/tasks/wait/log/lines?from=1&count=10").json.total >= 1 }
        assert http.delete("/runs/$key").status == 202
        assert awaitEnd(key).status == 'cancelled'

        when: 'it is opened from a link that names no task'
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then:
        browser.text('.task-head h2', 'wait')
        browser.text('.log .row', 'waiting')
        browser.scriptErrors() == []
    }

    def "New item pressed twice while the server makes the project sends it once, and opens the project made"() {
        given: 'a git repository with a Jobfile, and a page that counts the requests that make a project'
        def repo = Files.createDirectories(scratch.resolve('twice'))
        Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call().withCloseable { git ->
            Files.writeString(repo.resolve('Jobfile'), "job('j') { task('t') { sh 'true' } }\n")
            git.add().addFilepattern('Jobfile').call()
            git.commit().setMessage('init').setAuthor('qa', 'qa@example.org').setCommitter('qa', 'qa@example.org').call()
        }
        browser.open('/#/new')
        browser.driver.navigate().refresh()
        browser.find('#git-name')
        browser.countRequests('POST', '/api/v1/projects')

        when: 'the git form is sent twice before the first answer, as by a double click or Enter pressed twice'
        browser.type('#git-name', 'twice')
        browser.type('#git-url', repo.toUri().toString())
        browser.js("const f = document.querySelector('#git-form'); f.requestSubmit(); f.requestSubmit()")

        then: 'one request, and the project made opens, not a refusal that it exists already'
        browser.until { browser.driver.currentUrl.endsWith('#/projects/twice') }
        browser.text('.project-jobs', 'j')
        browser.counted() == 1
        browser.all('main .alert').isEmpty()

        when: 'the freestyle form, once its Jobfile is checked'
        browser.open('/#/new')
        browser.type('#free-name', 'twice-free')
        browser.find('#diagnostics .ok')
        browser.js("const f = document.querySelector('#free-form'); f.requestSubmit(); f.requestSubmit()")

        then:
        browser.until { browser.driver.currentUrl.endsWith('#/projects/twice-free') }
        browser.text('.page-head h1', 'Project twice-free')
        browser.counted() == 2
        browser.all('main .alert').isEmpty()
        browser.scriptErrors() == []
    }

    def "a token and a secret sent twice before the first answer are made once, and the page says they were made"() {
        given: 'People, counting the requests that make a token'
        browser.open('/#/people')
        browser.driver.navigate().refresh()
        browser.find('#token-name')
        browser.countRequests('POST', '/api/v1/tokens')

        when: 'the token form is sent twice, as by a double click or Enter pressed twice'
        browser.type('#token-name', 'twice-token')
        browser.js("const f = document.querySelector('#token-form'); f.requestSubmit(); f.requestSubmit()")

        then: 'one request, its token shown, and no "exists already" beside it'
        browser.until { browser.find('#token-shown input').getAttribute('value').startsWith('stk_') }
        browser.find('li[data-token="twice-token"]')
        browser.counted() == 1
        browser.all('main .alert').isEmpty()

        when: 'a global secret on Manage Stoker, the same way'
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.find('#secret-name')
        browser.countRequests('POST', '/api/v1/secrets')
        browser.type('#secret-name', 'TWICE_SECRET')
        browser.type('#secret-value', 'twice-secret-value')
        browser.js("const f = document.querySelector('#secret-form'); f.requestSubmit(); f.requestSubmit()")

        then:
        browser.text('.notice', 'Secret TWICE_SECRET saved.')
        browser.counted() == 1
        browser.all('main .alert').isEmpty()
        browser.scriptErrors() == []
    }
}

package io.stoker.server.ui

import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import org.eclipse.jgit.api.Git
import org.openqa.selenium.By
import org.openqa.selenium.Keys
import org.openqa.selenium.interactions.Actions
import org.openqa.selenium.interactions.WheelInput
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The web pages in Debian's headless Chromium against a real server: the front end's own unit tests, then what a
 * person does — log in, create projects, see a Jobfile error at its line, build with parameters, watch the graph,
 * read and search a log, download an artifact, cancel, see an agent, log out, and a viewer kept out of admin pages.
 */
@Stepwise
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiBrowserSpec extends ServerSpecification {
    @Shared Browser browser
    @Shared @TempDir Path repoDir
    @Shared Path agentDir = ScratchDirectory.removedAtExit('WebUiBrowserSpec') // agents may still clean up here as the spec ends
    @Shared SshTestServer ssh
    @Shared String runKey
    @TempDir Path scratch

    static final String JOBFILE = '''
job('release') {
  parameters {
    string 'version', defaultValue: '1.0.0'
    choice 'channel', choices: ['beta', 'stable']
    bool 'notes', defaultValue: false
  }
  task('compile') {
    sh 'for i in $(seq 1 5000); do echo "compiling unit $i"; done; printf "\\033[32mcompiled ${{ params.version }}\\033[0m\\n"'
  }
  task('package') {
    needs 'compile'
    sh 'mkdir -p dist && echo "${{ params.version }} ${{ params.channel }}" > dist/version.txt'
    artifacts 'dist/**'
  }
  task('check') { needs 'package'; sh 'echo checked' }
}
job('slow') {
  task('wait') { sh 'for i in $(seq 1 600); do sleep 0.1; done' }
}
job('deploy') {
  task('build') { sh 'echo built' }
  task('ship') {
    needs 'build'
    approval 'Deploy to prod?', approvers: ['admin']
    sh 'echo shipped'
  }
}
'''

    /**
     * Run before the page's own scripts: each /events response is passed through a valve that can hold back what
     * arrives ({@code closed}) and break the stream ({@code drop()}), as a dead connection would.
     */
    static final String EVENT_VALVE = '''
window.eventValves = [];
const realFetch = window.fetch;
window.fetch = async (input, init) => {
  const r = await realFetch(input, init);
  if (!String(input).endsWith('/events')) return r;
  let control;
  const valve = { closed: false, drop: () => control.error(new TypeError('dropped by the spec')) };
  const body = r.body.pipeThrough(new TransformStream({
    start(c) { control = c; },
    transform(chunk, c) { if (!valve.closed) c.enqueue(chunk); },
  }));
  window.eventValves.push(valve);
  return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
};
'''

    def setupSpec() {
        if (Browser.missing()) {
            println "WebUiBrowserSpec skipped: ${Browser.missing()}"
            return
        }
        Git.init().setDirectory(repoDir.toFile()).setInitialBranch('main').call().withCloseable { git ->
            Files.writeString(repoDir.resolve('Jobfile'), JOBFILE)
            git.add().addFilepattern('.').call()
            git.commit().setMessage('first').setAuthor('spec', 'spec@example.org')
                    .setCommitter('spec', 'spec@example.org').setSign(false).call()
        }
        browser = new Browser(server.url())
    }

    def cleanupSpec() {
        browser?.close()
        ssh?.close()
    }

    /** How many subscribers the page's one event stream has now (the module's own count). */
    int subscribers() {
        browser.driver.executeAsyncScript('''const done = arguments[arguments.length - 1];
            import(new URL('js/events.js', document.baseURI).href).then(m => done(m.subscribers()))''') as int
    }

    /** Sends a search of the open log. */
    void searchLog(String text) {
        browser.type('.log-search input', text)
        browser.click('.log-search button')
    }

    int logLines() {
        browser.js("return Number(document.querySelector('.log-toolbar .muted').textContent.replace(/\\D/g, ''))") as int
    }

    boolean following() {
        browser.js("return document.querySelector('.log-toolbar button[aria-pressed]').getAttribute('aria-pressed')") == 'true'
    }

    boolean logAtEnd() {
        browser.js("const s = document.querySelector('.log-scroller'); return s.scrollTop + s.clientHeight >= s.scrollHeight - 36")
    }

    def "the front end's unit tests pass in Chromium"() {
        given: 'the tests are not in the jar the server serves, so they run from the UI\'s sources'
        def sources = new UiSources()

        when:
        browser.driver.get(sources.url() + '/tests.html')
        def result = browser.until { browser.driver.findElement(By.tagName('body')).getAttribute('data-done') }

        then:
        def report = browser.find('#out').text
        result == 'passed'
        !report.contains('FAIL')
        report.readLines().size() >= 15

        cleanup:
        sources?.close()
    }

    def "a person logs in and sees the dashboard with the sidebar"() {
        when:
        browser.login('admin', Http.ADMIN_PASSWORD)

        then:
        browser.text('nav.sidebar', 'New item')
        browser.text('nav.sidebar', 'Manage Stoker')
        browser.text('#executors', 'Built-in')
        browser.text('main h1', 'Dashboard')
    }

    def "New item shows a bad Jobfile's error at its line as you type"() {
        given:
        browser.open('/#/new')
        def editor = browser.find('#jobfile')
        browser.text('#diagnostics', 'valid')

        when:
        editor.sendKeys(Keys.chord(Keys.CONTROL, 'a'), Keys.DELETE)
        editor.sendKeys("job('x') {\n  task('a') {\n    needs 'missing'\n    sh 'true'\n  }\n}\n")

        then:
        def error = browser.text('#diagnostics .error', 'missing')
        error.startsWith('3:')
        browser.find('#create-free').getAttribute('disabled') != null
        browser.find('.gutter .bad').text.trim() == '3'
    }

    def "New item stops saying valid as soon as the Jobfile changes, while its check is on its way"() {
        given: 'the page afresh, whose Jobfile checks the server answers only when the spec lets it'
        browser.open('/#/new')
        browser.driver.navigate().refresh()
        def editor = browser.find('#jobfile')
        browser.text('#diagnostics', 'valid')
        browser.js('''window.heldChecks = [];
            const realFetch = window.fetch;
            window.fetch = (input, init) => String(input).endsWith('/validate')
              ? new Promise(go => window.heldChecks.push(() => go(realFetch(input, init)))) : realFetch(input, init);''')

        when:
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\njob('y') { task('b') { needs 'missing'; sh 'true' } }")

        then: 'the valid said of the text before is gone at once'
        !browser.textOf('#diagnostics').contains('valid')
        browser.text('#diagnostics', 'Checking')

        when: 'the check answers'
        browser.until { browser.js('return window.heldChecks.length') > 0 }
        browser.js('window.heldChecks.forEach(go => go())')

        then:
        browser.text('#diagnostics .error', 'missing')
    }

    def "New item creates a project from a local git repository"() {
        given: 'the browser itself refuses a name the server would'
        browser.type('#git-name', 'bad name!')
        assert browser.js("return document.querySelector('#git-name').validity.patternMismatch") == true

        and: 'the credentials are named as a secret holding username:token, not as a deprecated variable'
        def hint = browser.text('#git-form .field:has(#git-credentials) small', 'a secret holding username:token')
        hint.contains('stoker secret set NAME')
        !hint.contains('STOKER_GIT_CREDENTIALS')

        when:
        browser.type('#git-name', 'shop')
        browser.type('#git-url', repoDir.toUri().toString())
        browser.click('#create-git')

        then: "the new project's page opens, with its jobs, as Jenkins opens a job it has just made"
        browser.until { browser.driver.currentUrl.endsWith('#/projects/shop') }
        browser.until { browser.all('.project-jobs li').size() == 3 }
        browser.text('.page-head h1', 'Project shop')
    }

    def "a build with parameters runs and its graph turns green"() {
        given:
        browser.open('/#/')
        def row = 'tr[data-job="shop/release"]'
        browser.find(row)

        when:
        browser.click("$row .trigger")
        browser.type('dialog input[name=version]', '2.5.0')
        new org.openqa.selenium.support.ui.Select(browser.find('dialog select[name=channel]')).selectByValue('stable')
        browser.click('#start-run')
        browser.find('.notice a').click()

        then:
        browser.until { browser.all('svg.graph .node').size() == 3 }
        browser.until(60) { browser.all('svg.graph .node[data-status="succeeded"]').size() == 3 }
        browser.text('#run-status', 'Succeeded')
        browser.text('.facts', 'version = 2.5.0')
        browser.text('.facts', 'channel = stable')

        cleanup:
        runKey = browser.driver.currentUrl.replaceFirst('.*#/runs/', '')
    }

    def "a task's log opens without holding it all in the page, and the server searches it"() {
        when:
        browser.find('svg.graph .node[data-task="compile"]').click()

        then: 'the last line is reachable and coloured, yet only a screenful of rows exists'
        browser.text('.log-toolbar', '5,00')
        browser.all('.log .row').size() < 200

        when:
        searchLog('unit 4321')

        then:
        browser.text('.log-results', '1 match in 1 line')
        browser.find('.matches a').click()
        browser.text('.log .row.hl', 'compiling unit 4321')
    }

    def "a search's matches are marked in the log, whatever their case, and Next and Previous step through them"() {
        given:
        def hlText = { browser.textOf('.log .row.hl .lt') }
        def marked = { browser.js("return [...document.querySelectorAll('.log .row mark.log-match')].map(m => m.textContent)") }

        when:
        searchLog('UNIT 432')

        then: 'the view goes to the first matching line, the text found marked in it'
        browser.text('.log-results', '11 matches in 11 lines')
        browser.text('.match-at', '1 of 11')
        browser.until { hlText() == 'compiling unit 432' }
        browser.until { browser.js("return document.querySelector('.log .row.hl mark.log-match')?.textContent") == 'unit 432' }
        browser.until { marked() == ['unit 432'] }

        and: 'a mark holds the log\'s text as text, never markup'
        browser.js("return document.querySelectorAll('.log mark.log-match *').length") == 0

        when:
        browser.click('.match-next')

        then:
        browser.text('.match-at', '2 of 11')
        browser.until { hlText() == 'compiling unit 4320' }
        browser.until { marked().size() == 10 } // and in the other matching lines drawn around it: 4321 to 4329

        when: 'Previous, twice: back to the first, and round to the last'
        browser.click('.match-previous')
        browser.text('.match-at', '1 of 11')
        browser.click('.match-previous')

        then:
        browser.text('.match-at', '11 of 11')
        browser.until { hlText() == 'compiling unit 4329' }

        when: 'Enter on the same text steps on, as a browser\'s find does'
        browser.find('.log-search input').sendKeys(Keys.ENTER)

        then:
        browser.text('.match-at', '1 of 11')
        browser.until { hlText() == 'compiling unit 432' }

        when: 'the search is emptied'
        browser.find('.log-search input').clear()
        browser.click('.log-search button')

        then: 'nothing is marked'
        browser.until { marked().isEmpty() }
        browser.scriptErrors() == []
    }

    def "Next steps through each match a line holds before it goes to the next line, and the count is of matches"() {
        given: 'a log whose second line says error three times, in three cases'
        freestyle('grep', '''job('scan') { task('t') { sh 'echo "one error"; echo "error, Error and ERROR"; echo clean; echo "last error"' } }''')
        def key = trigger('grep', 'scan')
        assert awaitEnd(key).status == 'succeeded'
        browser.openRun(key, 't')
        browser.text('.log .row', 'last error')
        // the line Next and Previous are at, and which of its marks is the current one
        def at = { browser.js('''const row = document.querySelector('.log .row.hl');
            const marks = [...(row?.querySelectorAll('mark.log-match') ?? [])];
            return row ? row.querySelector('.lt').textContent + ' @' + marks.findIndex(m => m.classList.contains('current')) : null''') }
        def step = { String button, String position, String where ->
            browser.click(button)
            browser.text('.match-at', position)
            browser.until { at() == where }
        }

        when:
        searchLog('error')

        then: 'five matches in three lines, at the first'
        browser.text('.log-results', '5 matches in 3 lines')
        browser.text('.match-at', '1 of 5')
        browser.until { at() == 'one error @0' }

        and: 'Next goes through the second line\'s three before the last line, then round'
        step('.match-next', '2 of 5', 'error, Error and ERROR @0')
        step('.match-next', '3 of 5', 'error, Error and ERROR @1')
        browser.js("return document.querySelectorAll('.log mark.log-match.current').length") == 1
        step('.match-next', '4 of 5', 'error, Error and ERROR @2')
        step('.match-next', '5 of 5', 'last error @0')
        step('.match-next', '1 of 5', 'one error @0')

        and: 'Previous goes back through them the other way'
        step('.match-previous', '5 of 5', 'last error @0')
        step('.match-previous', '4 of 5', 'error, Error and ERROR @2')

        when: 'the second line is chosen in the list of matching lines'
        browser.click(".matches li:nth-child(2) a")

        then: 'the view is at its first match'
        browser.text('.match-at', '2 of 5')
        browser.until { at() == 'error, Error and ERROR @0' }
        browser.scriptErrors() == []
    }

    def "Next and Previous scroll to a match far along a line of 20,000 characters, inside the line and in the log"() {
        given: 'a task printing 300 lines, a line of 20,000 characters with "needle" 3,000 along and near its end, 300 more, then a tick each 0.2 s until told to stop'
        def flag = scratch.resolve('long-line-may-end')
        freestyle('longline', """job('minified') {
  parameters { string 'flag', defaultValue: '' }
  task('t') {
    sh 'seq 1 300; printf "%03000d" 0 | tr 0 x; printf " needle "; printf "%017000d" 0 | tr 0 y; echo " needle at the end"; seq 302 600'
    sh 'while [ ! -f "\${{ params.flag }}" ]; do echo tick; sleep 0.2; done'
  }
}""")
        def key = trigger('longline', 'minified', [parameters: [flag: flag.toString()]])
        Http.eventually { http.get("/runs/$key/tasks/t/log/search?q=tick").json.matches.size() > 0 }
        browser.openRun(key, 't')
        browser.text('.log-toolbar', 'lines')
        // the mark Next and Previous are at, when it is on screen: inside the log's viewport and inside its own line
        // (the line it is at, highlighted), which shows ten rows of itself and scrolls inside for the rest
        def current = { browser.js('''const m = document.querySelector('.log mark.log-match.current');
            if (!m) return null;
            const within = el => { const b = el.getBoundingClientRect(), r = m.getBoundingClientRect();
              const top = b.top + el.clientTop, left = b.left + el.clientLeft;
              return r.top >= top - 0.5 && r.bottom <= top + el.clientHeight + 0.5
                && r.left >= left - 0.5 && r.right <= left + el.clientWidth + 0.5 };
            return within(document.querySelector('.log-scroller')) && within(m.closest('.lt'))
              && m.closest('.row').classList.contains('hl') ? m.textContent : null''') }
        def drawn = { browser.textOf('.log .row.hl .lt') }

        when:
        searchLog('needle')

        then: 'two matches in the one line, and the first, 3,000 characters along, is on screen'
        browser.text('.log-results', '2 matches in 1 line')
        browser.text('.match-at', '1 of 2')
        browser.until { current() == 'needle' }

        when: 'Next goes to the second, 20,000 characters along, past the 4,000 a line shows of itself'
        browser.click('.match-next')

        then: 'the line is drawn around it, saying what it leaves out before and after, and the match is on screen'
        browser.text('.match-at', '2 of 2')
        browser.until { current() == 'needle' && drawn().contains('characters before … ') }
        drawn().contains('needle at the end')

        and: 'it stays there while the running task writes more lines and the view is drawn anew'
        def lines = logLines()
        browser.until { logLines() >= lines + 5 }
        current() == 'needle'
        !following()

        and: 'only the rows near the screen are in the page'
        browser.all('.log .row').size() < 200

        when: 'Previous goes back to the first'
        browser.click('.match-previous')

        then:
        browser.text('.match-at', '1 of 2')
        browser.until { current() == 'needle' && !drawn().contains('characters before') }
        browser.scriptErrors() == []

        cleanup:
        Files.writeString(flag, '')
        awaitEnd(key)
    }

    def "a link to a log line opens the log at that line, highlighted"() {
        when: 'the link is opened in a fresh page, as from a chat message'
        browser.open("/#/runs/$runKey/compile/L4900")
        browser.driver.navigate().refresh()

        then:
        browser.text('.log .row.hl', 'compiling unit 4900')
    }

    def "Skip to content moves the focus to the page and stays on it"() {
        given:
        browser.find('svg.graph')

        when:
        browser.js("document.querySelector('a.skip').click()")

        then:
        browser.until { browser.js('return document.activeElement.id') == 'main' }
        browser.driver.currentUrl.endsWith("#/runs/$runKey/compile/L4900")
        browser.find('svg.graph')
    }

    def "an artifact downloads from the run page"() {
        when:
        browser.find('a[data-file="package.zip"]').click()

        then:
        def zip = browser.until { Files.list(browser.downloads).withCloseable { s -> s.find { it.fileName.toString() == 'package.zip' } } }
        browser.until { Files.size(zip) > 0 }
    }

    def "a link opened while logged out shows its page once the person logs in"() {
        given: 'a new tab without a session opens a link to a run'
        browser.openLoggedOut("/#/runs/$runKey")

        when:
        browser.submitLogin('admin', Http.ADMIN_PASSWORD)

        then: 'the run, not the login form or the dashboard'
        browser.text('#run-status', 'Succeeded')
        browser.find('svg.graph')
        browser.all('#username').isEmpty()
        browser.driver.currentUrl.endsWith("#/runs/$runKey")
    }

    def "a running run is cancelled from its page"() {
        given:
        def key = trigger('shop', 'slow')
        browser.openRun(key)
        browser.find('svg.graph .node[data-status="running"]')

        expect: 'Build Executor Status names what the slot runs'
        browser.text('#executors', 'shop/slow #1 › wait')
        browser.js('''const li = document.querySelector('#executors li.busy');
            return Math.abs(li.querySelector('a').getBoundingClientRect().top - li.querySelector('.slot').getBoundingClientRect().top)''') < 5

        and: 'the run counts its duration up while it runs'
        // read in one step: the page repaints the run's facts as its events arrive, which would stale a found element
        def first = browser.until { browser.textOf('#run-duration') }
        browser.until { browser.textOf('#run-duration') != first }

        when:
        browser.click('#cancel')

        then:
        browser.text('#run-status', 'Cancelled')
    }

    def "a gate waits on the run page with its question, is approved there, and the run finishes green"() {
        given:
        def key = trigger('shop', 'deploy')
        browser.openRun(key, 'ship')

        when: 'the run reaches the gate'
        browser.find('svg.graph .node[data-task="ship"][data-status="waiting"]')

        then: 'it asks its question, and says it waits for approval: no attempt number before the task starts'
        browser.text('.approval', 'Deploy to prod?')
        browser.text('.approval', 'Approvers: admin')
        browser.text('#task-attempt', 'waiting for approval')
        !browser.textOf('#task-attempt').contains('attempt')

        when: 'it is approved there'
        browser.type('#approval-comment', 'ship it')
        browser.click('.approval .approve')

        then: 'the task runs and the run turns green, showing who approved'
        browser.until(60) { browser.all('svg.graph .node[data-status="succeeded"]').size() == 2 }
        browser.text('#run-status', 'Succeeded')
        browser.text('.approval-decision', 'approved by admin: ship it')
        browser.text('#task-attempt', 'attempt 1')
    }

    def "a comment being typed at a gate keeps its focus and caret while the run changes"() {
        given: 'a gate that waits while another task of the run runs until the spec lets it end'
        def flag = scratch.resolve('side-may-end')
        freestyle('gates', '''
job('hold') {
  parameters { string 'flag', defaultValue: '' }
  task('ask') {
    approval 'Go ahead?'
    sh 'echo went'
  }
  task('side') { sh 'while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done' }
}
''')
        def key = trigger('gates', 'hold', [parameters: [flag: flag.toString()]])
        browser.open("/#/runs/$key/ask")
        browser.text('.approval', 'Go ahead?')
        browser.find('svg.graph .node[data-task="side"][data-status="running"]')

        when: 'half a comment is typed with the caret moved to its start, and the other task ends meanwhile'
        browser.type('#approval-comment', 'it')
        browser.find('#approval-comment').sendKeys(Keys.HOME)
        browser.js("document.querySelector('.task-head h2').dataset.before = ''")
        Files.createFile(flag)

        then: 'the head of the task is painted anew, and the comment still has the focus'
        browser.find('svg.graph .node[data-task="side"][data-status="succeeded"]')
        browser.find('.task-head h2:not([data-before])')
        browser.js('return document.activeElement.id') == 'approval-comment'

        when: 'typing goes on where the caret was'
        browser.driver.switchTo().activeElement().sendKeys('ship ')
        browser.click('.approval .approve')

        then:
        browser.text('.approval-decision', 'approved by admin: ship it')
    }

    def "scrolling a followed log up with the wheel stops following, and scrolling back to the end resumes it"() {
        given: 'a task that keeps printing until the spec lets it end, its log followed'
        def flag = scratch.resolve('talk-may-end')
        freestyle('chatter', '''
job('talk') {
  parameters { string 'flag', defaultValue: '' }
  task('talk') { sh 'seq 1 300; while [ ! -f "${{ params.flag }}" ]; do echo tick; sleep 0.1; done' }
}
''')
        def key = trigger('chatter', 'talk', [parameters: [flag: flag.toString()]])
        browser.open("/#/runs/$key/talk")
        // this task's log: the last page's (a gate's) is still up until this one has loaded
        def scroller = browser.find('.log[data-task="talk"] .log-scroller')
        browser.js('arguments[0].scrollIntoView()', scroller)
        browser.until { logLines() > 300 && following() && logAtEnd() }

        when: 'the person scrolls up with the wheel (the log does not get the focus)'
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(scroller), 0, -1000).perform()

        then: 'the view stays where they went while the log grows'
        browser.until { !following() }
        def lines = logLines()
        browser.until { logLines() > lines + 5 }
        !logAtEnd()

        when: 'they scroll back to the end'
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(scroller), 0, 1_000_000).perform()

        then:
        browser.until { following() }
        def more = logLines()
        browser.until { logLines() > more + 5 && logAtEnd() }

        cleanup:
        Files.createFile(flag)
    }

    def "an SSH agent shows in Build Executor Status with its executors, and in Manage Stoker as it comes online"() {
        given: 'Manage Stoker is open before the agent exists: only the agent event can bring it'
        ssh = SshTestServer.start()
        browser.open('/#/manage')
        browser.find('#agents')

        when:
        def r = http.post('/agents', [name: 'mina-1', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                      privateKey: ssh.clientKeys().privateKeyText(), labels: ['linux'], executors: 2,
                                      workDir: agentDir.toString(), hostKey: ssh.hostKeyFingerprint()])
        assert r.status == 201, r.text
        // connecting over SSH takes seconds on a loaded machine: the page is asked once the server says it is online
        Http.eventually(60_000) { http.get('/agents/mina-1').json.status == 'online' }

        then:
        browser.text('#agents tr[data-agent="mina-1"]', 'Online')
        browser.text('#executors [data-agent="mina-1"]', 'Online')
        browser.all('#executors [data-agent="mina-1"] .slots li').size() == 2
    }

    def "the dashboard names the last run by its number"() {
        when:
        browser.open('/#/')

        then:
        browser.text('tr[data-job="shop/release"]', '#1')
    }

    def "a job with a long name beside it leaves the dashboard's Build on one line"() {
        given:
        def job = 'a-job-whose-name-runs-on-' * 4 + 'and-ends'
        freestyle('wide', "job('$job') { task('t') { sh 'true' } }")

        when:
        browser.open('/#/')
        String build = "tr[data-job=\"wide/$job\"] button.trigger"
        browser.find(build)

        then: 'its text stands on one line: its line boxes share one top'
        browser.js('''const range = document.createRange();
            range.selectNodeContents(document.querySelector(arguments[0]));
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size''', build) == 1

        cleanup:
        http.delete('/projects/wide')
    }

    def "a view whose filter matches no job says so, not that the server has none"() {
        given:
        assert http.put('/views/Nothing', [filter: 'no-such-job']).status == 200

        when:
        browser.open('/#/views/Nothing')

        then:
        browser.text('.card.empty', "No job matches this view's filter")
        !browser.find('.card.empty').text.contains('No jobs yet')

        cleanup:
        http.delete('/views/Nothing')
    }

    def "a run page opened on a task the run does not have offers no rerun from it"() {
        when:
        browser.open("/#/runs/$runKey/nosuchtask")
        browser.text('button', 'Rerun')

        then: 'the run can be rerun, but not from a task it lacks'
        !browser.all('button')*.text.any { it.contains('Rerun from') }
    }

    def "moving between pages keeps one event subscription per page and one for the executor panel"() {
        given:
        browser.open('/#/')
        browser.find('table.jobs')
        def before = subscribers()

        when: 'the dashboard and People take turns three times'
        3.times {
            browser.js("location.hash = '#/people'")
            browser.find('#password-form')
            browser.js("location.hash = '#/'")
            browser.find('table.jobs')
        }

        then:
        subscribers() == before
    }

    def "a job page draws its plan without states, and members are added there"() {
        given:
        assert http.post('/users', [username: 'devi', password: 'developer-pass-1', role: 'developer']).status == 201
        browser.open('/#/jobs/shop/release')

        expect: 'the plan says what each task does; its nodes are not buttons that do nothing'
        browser.text('svg.graph .node[data-task="package"]', '1 step · artifacts')
        browser.all('svg.graph .node[tabindex]').isEmpty()

        when:
        browser.type('#member-name', 'devi')
        browser.click('#add-member')

        then:
        browser.find('#members li[data-member="devi"]')
        http.get('/projects/shop/members').json.members.contains('devi')
    }

    def "Manage Stoker shows the server's settings and the audit log filtered with its details"() {
        when:
        browser.open('/#/manage')

        then:
        browser.text('code[data-setting="slots"]', String.valueOf(slots()))
        browser.text('code[data-setting="database"]', 'h2')

        when:
        browser.type('#audit-actor', 'admin')
        browser.type('#audit-action', 'member.added')

        then:
        browser.text('table.audit tbody', 'shop/devi')
        browser.until { browser.all('table.audit tbody tr').every { it.text.contains('member.added') } }

        when: 'about what: a project, with the memberships under it'
        browser.type('#audit-actor', '')
        browser.type('#audit-action', '')
        browser.type('#audit-target', 'shop')

        then:
        browser.text('table.audit tbody', 'shop/devi')
        browser.until { browser.all('table.audit tbody tr').every { it.findElements(By.cssSelector('td'))[3].text ==~ /shop(\/.*)?/ } }
    }

    def "the audit log says what each entry did in words, beside the action's name, and its detail as label: value pairs"() {
        given: "a secret whose value was changed: its entry's detail holds a list and enum-like words"
        assert http.post('/secrets', [name: 'WORDED', value: 'worded-value-1']).status == 201
        assert http.put('/secrets/WORDED', [value: 'worded-value-2']).status == 200

        when:
        browser.open('/#/manage')
        browser.type('#audit-action', 'secret.updated')
        browser.type('#audit-target', 'WORDED')

        then: "what was done in words, the action's own name (the filter's word) under them"
        def row = 'table.audit tbody tr:first-child'
        browser.text("$row td.action", 'changed a secret')
        browser.textOf("$row td.action code") == 'secret.updated'

        and: "the detail in words, no JSON, each pair keeping the API's key in its title"
        browser.until { browser.textOf("$row td.detail") == 'scope: every project · source: a value kept by Stoker · changed: value' }
        browser.attributeOf("$row td.detail span[data-key=changed]", 'title') == 'changed'
        browser.scriptErrors() == []
    }

    def "People makes an API token limited to a role, and lists it so"() {
        when:
        browser.open('/#/people')
        browser.type('#token-name', 'wall')
        new org.openqa.selenium.support.ui.Select(browser.find('#token-role')).selectByValue('viewer')
        browser.click('#token-form button[type=submit]')

        then:
        browser.until { browser.find('#token-shown input').getAttribute('value').startsWith('stk_') }
        browser.text('li[data-token="wall"] .token-role', 'viewer only')
        http.get('/tokens').json.find { it.name == 'wall' }.role == 'viewer'
    }

    def "the audit log pages: Older entries appends the next page of the same filter, and is gone at the end"() {
        given: 'more entries of one action than a page holds (200)'
        assert http.post('/secrets', [name: 'PAGED', value: 'paged-value-0']).status == 201
        (1..205).each { assert http.put('/secrets/PAGED', [value: 'paged-value-' + it]).status == 200 }
        def updates = http.get('/audit?action=secret.updated&limit=1000').json.size()
        assert updates >= 205
        and: 'a newer entry of another action, so that the unfiltered page (shown until the filter applies) is told apart'
        assert http.post('/secrets', [name: 'PAGED_LAST', value: 'paged-last-value']).status == 201

        when:
        browser.open('/#/manage')
        browser.type('#audit-action', 'secret.updated')

        then: 'the newest page of the filter, and the button for more'
        browser.until {
            browser.js('''const rows = [...document.querySelectorAll('table.audit tbody tr')];
                return rows.length === 200 && rows.every(r => r.textContent.includes('secret.updated'))''') == true
        }
        browser.find('button.older-entries')

        when:
        browser.click('button.older-entries')

        then: 'every entry of the filter once, newest first, and no button under the last one'
        browser.until { browser.all('table.audit tbody tr').size() == updates }
        // read in one step: a row found and then read could be repainted in between
        def ids = browser.js("return [...document.querySelectorAll('table.audit tbody tr')].map(r => r.dataset.id)").collect { it as long }
        ids == ids.toSorted().reverse() && ids.toSet().size() == updates
        browser.js("return [...document.querySelectorAll('table.audit tbody tr')].every(r => r.textContent.includes('secret.updated'))") == true
        browser.until { browser.all('button.older-entries').isEmpty() }
    }

    def "an audit entry about a run links to the run it names"() {
        given: 'the run cancelled from its page before'
        browser.open('/#/manage')
        browser.type('#audit-action', 'run.cancelled')
        browser.until { browser.all('table.audit tbody tr').every { it.text.contains('run.cancelled') } }
        def link = browser.find('table.audit tbody td a[href^="#/runs/"]')
        def key = link.text

        when:
        link.click()

        then:
        browser.until { browser.driver.currentUrl.endsWith("#/runs/$key") }
        browser.showsRun(key)
        browser.text('#run-status', 'Cancelled')
    }

    def "at 400 px the menu opens, and a chosen page closes it"() {
        given:
        browser.driver.executeCdpCommand('Emulation.setDeviceMetricsOverride',
                [width: 400, height: 800, deviceScaleFactor: 1, mobile: false])
        browser.open('/#/')
        browser.find('table.jobs')

        when:
        browser.click('button.menu')
        browser.click('nav.sidebar a[href="#/people"]')

        then:
        browser.find('#password-form')
        browser.until { browser.js("return document.body.classList.contains('nav-open')") == false }
        browser.find('main h1').displayed

        cleanup:
        browser.driver.executeCdpCommand('Emulation.clearDeviceMetricsOverride', [:])
    }

    def "Reload Jobfile reads the repository's newest commit and redraws the graph"() {
        given:
        Git.open(repoDir.toFile()).withCloseable { git ->
            Files.writeString(repoDir.resolve('Jobfile'), JOBFILE.replace("job('deploy') {", "job('deploy') {\n  task('notify') { sh 'echo hi' }"))
            git.add().addFilepattern('.').call()
            git.commit().setMessage('notify').setAuthor('spec', 'spec@example.org')
                    .setCommitter('spec', 'spec@example.org').setSign(false).call()
        }
        browser.open('/#/jobs/shop/deploy')
        browser.find('svg.graph .node[data-task="ship"]')

        when:
        browser.click('.reload-jobfile')

        then:
        browser.text('.notice', 'Jobfile read again')
        browser.find('svg.graph .node[data-task="notify"]')
    }

    def "a run page whose event stream dropped reads the run again once the stream is back"() {
        given: 'the event stream of the page passes through a valve the spec can close and break'
        def valve = browser.driver.executeCdpCommand('Page.addScriptToEvaluateOnNewDocument', [source: EVENT_VALVE]).identifier
        def key = trigger('shop', 'slow')
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()
        browser.find('svg.graph .node[data-status="running"]')
        browser.until { browser.js('return window.eventValves?.length') == 1 }

        when: 'the run is cancelled while the stream lets nothing through, and then the stream drops'
        browser.js('window.eventValves[0].closed = true')
        assert http.delete("/runs/$key").status == 202
        awaitEnd(key)
        browser.js('window.eventValves[0].drop()')

        then: 'the page reconnects and reads the run again'
        browser.text('#run-status', 'Cancelled')
        browser.until { browser.js('return window.eventValves.length') == 2 }

        cleanup:
        browser.driver.executeCdpCommand('Page.removeScriptToEvaluateOnNewDocument', [identifier: valve])
    }

    def "logging out returns to the login page, its User name focused to be typed at once"() {
        when:
        browser.click('#logout')

        then:
        browser.find('#username')
        browser.js('return sessionStorage.length') == 0
        browser.until { browser.js('return document.activeElement.id') == 'username' }
    }

    def "a viewer sees no admin pages"() {
        given:
        assert http.post('/users', [username: 'vera', password: 'viewer-password-1', role: 'viewer']).status == 201

        when:
        browser.login('vera', 'viewer-password-1')

        then:
        !browser.find('nav.sidebar').text.contains('Manage Stoker')
        !browser.find('nav.sidebar').text.contains('New item')

        and: 'no Build buttons a viewer could only be refused by'
        browser.find('tr[data-job="shop/release"]')
        browser.all('.trigger').isEmpty()

        when:
        browser.open('/#/manage')

        then:
        browser.text('#forbidden', 'for admins')

        when:
        browser.open('/#/new')

        then:
        browser.text('#forbidden', 'for developers and admins')

        when: 'People shows a viewer their own account, not an error'
        browser.open('/#/people')

        then:
        browser.text('tr[data-user="vera"]', 'viewer')
        browser.all('.alert').isEmpty()
    }

    def "a developer is offered Build, Reload, Rerun and Cancel only on the projects they are a member of"() {
        given: 'a developer who made a project of their own and is no member of shop'
        assert http.post('/users', [username: 'devon', password: 'developer-pass-1', role: 'developer']).status == 201
        def devon = io.stoker.server.Http.loggedIn(server.url(), 'devon', 'developer-pass-1')
        assert devon.post('/projects', [name: 'devons', jobfile: "job('j') { task('t') { sh 'true' } }"]).status == 201

        when:
        browser.logout()
        browser.login('devon', 'developer-pass-1')

        then: 'the dashboard offers Build on their project only'
        browser.find('tr[data-job="devons/j"] .trigger')
        browser.all('tr[data-job="shop/release"] .trigger').isEmpty()

        when: "shop's job page"
        browser.open('/#/jobs/shop/release')

        then: 'neither Reload Jobfile nor Build, which could only be refused'
        browser.find('.page-head h1')
        browser.all('.page-head button').isEmpty()

        when: "a run of shop's"
        browser.openRun(runKey)

        then: 'no Rerun'
        browser.find('#run-status')
        browser.all('.actions button').isEmpty()

        when: 'their own job'
        browser.open('/#/jobs/devons/j')

        then:
        browser.find('.page-head .trigger')
    }
}

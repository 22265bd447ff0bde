package io.stoker.server.ui

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * What a new user meets on the pages, in Chromium against a real server: a run opened at the task that needs a look,
 * times that keep counting, "Not found" for a link to nothing, a dashboard that fits a phone, the webhook secret read
 * only when asked, an artifact's files one by one, and one run per Build however often it is pressed. No page writes
 * a script error.
 */
@IgnoreIf(value = { Browser.missing() != null }, reason = 'Chromium is not installed (run-tests installs chromium and chromium-driver)')
class WebUiRunPageSpec extends ServerSpecification {
    @Shared Browser browser
    @TempDir Path scratch

    static final String JOBFILE = '''
job('broken') {
  task('fail') { sh 'echo going to fail; exit 3' }
  task('after') { needs 'fail'; sh 'echo never' }
}
job('tolerant') {
  task('lint') { allowFailure true; sh 'echo lint found problems; exit 3' }
  task('build') { needs 'lint'; sh 'echo built' }
}
job('deploy') {
  task('build') { sh 'echo built' }
  task('ship') { needs 'build'; approval 'Ship it?'; sh 'echo shipped' }
}
job('gated') {
  parameters { string 'flag', defaultValue: '' }
  task('build') {
    sh 'mkdir -p dist && echo made > dist/app.txt; while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done'
    artifacts 'dist/**'
  }
  task('ship') { needs 'build'; approval 'Ship it?'; sh 'echo shipped' }
}
job('heap') {
  task('heap') { sh 'mkdir -p out && for i in $(seq 1 1003); do echo $i > out/f$i; done'; artifacts 'out/**' }
}
job('pack') {
  task('pack') {
    sh 'mkdir -p dist/sub && echo alpha > dist/a.txt && echo beta > dist/sub/b.txt'
    artifacts 'dist/**'
  }
}
job('once') { task('t') { sh 'true' } }
job('again') { task('t') { sh 'true' } }
job('fine') { task('t') { sh 'true' } }
job('many') { task('t') { sh 'true' } }
job('one') {
  parameters { string 'flag', defaultValue: '' }
  task('t') { sh 'echo only; while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done' }
}
job('sift') { task('t') { sh 'true' } }
job('asked') {
  parameters { string 'who', defaultValue: 'me' }
  task('t') { sh 'true' }
}
job('single') {
  concurrency 1
  parameters { string 'flag', defaultValue: '' }
  task('wait') { sh 'while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done' }
}
job('hold') {
  parameters { string 'flag', defaultValue: '' }
  task('wait') { sh 'while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done' }
}
job('minified') {
  parameters { string 'flag', defaultValue: '' }
  task('t') {
    sh 'for i in $(seq 1 100); do echo line $i; done; for i in 1 2 3 4 5; do head -c 200000 /dev/zero | tr -c x x; echo; done; echo the end; while [ ! -f "${{ params.flag }}" ]; do sleep 0.1; done'
  }
}
job('nightly') {
  triggers { cron '30 2 * * *' }
  task('t') { sh 'true' }
}
job('parts') {
  task('build') { sh 'true' }
  task('test') { needs 'build'; sh 'true' }
  task('lint') { sh 'true' }
  task('docs') { sh 'true' }
}
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

    /** Whether the element is inside the window, where the person looking sees it without scrolling. */
    boolean inView(String css) {
        browser.until {
            browser.js('''const r = document.querySelector(arguments[0]).getBoundingClientRect();
                return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight''', css)
        }
    }

    def cleanup() {
        browser?.driver?.executeCdpCommand('Emulation.clearDeviceMetricsOverride', [:])
    }

    def "a failed run opens at the log of the task that failed, and says its exit once"() {
        given:
        def key = trigger('shop', 'broken')
        awaitEnd(key)

        when: 'the run is opened from a link that names no task'
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then:
        browser.text('.task-head h2', 'fail')
        browser.text('.log .row', 'going to fail')
        def head = browser.text('.task-head', 'exit 3')
        !head.contains('exit code 3')
        browser.driver.currentUrl.endsWith("#/runs/$key")
        browser.scriptErrors() == []
    }

    def "Back from a task chosen in the graph returns to what the run's own address showed"() {
        given: 'a failed run, opened at the task that failed'
        def key = openFinishedRun('broken')
        browser.text('.task-head h2', 'fail')

        when: 'the person picks the other task, then goes Back'
        browser.click('g.node[data-task="after"]')
        browser.until { browser.driver.currentUrl.endsWith("#/runs/$key/after") }
        browser.text('.task-head h2', 'after')
        browser.driver.navigate().back()

        then: "the failed task's log again, as the address says"
        browser.until { browser.driver.currentUrl.endsWith("#/runs/$key") }
        browser.text('.task-head h2', 'fail')
        browser.text('.log[data-task="fail"] .row', 'going to fail')
        browser.all('.log[data-task="after"]').isEmpty()

        when: 'a run that needs no look: it opens at no task; one is picked, then Back'
        def fine = openFinishedRun('fine')
        browser.text('#task', 'Choose a task')
        browser.click('g.node[data-task="t"]')
        browser.find('.log[data-task="t"]')
        browser.driver.navigate().back()

        then: 'no task again'
        browser.until { browser.driver.currentUrl.endsWith("#/runs/$fine") }
        browser.text('#task', 'Choose a task')
        browser.all('.log').isEmpty()
        browser.scriptErrors() == []
    }

    def "a failed run offers Rerun failed, which starts a rerun of its failed tasks; a run that succeeded does not"() {
        given:
        def key = trigger('shop', 'broken')
        awaitEnd(key)
        def passed = trigger('shop', 'fine')
        awaitEnd(passed)

        when:
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()
        browser.click('#rerun-failed')
        browser.until { !browser.driver.currentUrl.endsWith("#/runs/$key") }
        String again = browser.driver.currentUrl.replaceFirst('.*#/runs/', '')

        then: 'the new run reran fail and after, and says what it is'
        with(awaitEnd(again)) {
            rerunOf == key
            rerunFailed == true
            tasks.fail.status == 'failed'
        }
        int number = http.get("/runs/$key").json.number
        browser.until { browser.textOf('.facts') }.contains("rerun of #$number, its failed tasks")
        browser.find('#run-rerun-of').getAttribute('href').endsWith("#/runs/$key")

        when:
        browser.openRun(passed)

        then:
        browser.text('#run-status', 'Succeeded')
        browser.all('#rerun-failed').isEmpty()
        browser.scriptErrors() == []
    }

    def "a task allowed to fail shows as failed with a warning mark, in its head and in the graph"() {
        given:
        def key = trigger('shop', 'tolerant')
        assert awaitEnd(key).status == 'succeeded'

        when:
        browser.open("/#/runs/$key/lint")
        browser.driver.navigate().refresh()

        then:
        browser.text('.task-head h2', 'lint')
        browser.until { browser.textOf('#task-allowed-failure') == '⚠ allowed to fail' }
        browser.until { browser.js('return document.querySelector(\'[data-task="lint"]\')?.classList.contains("allowed-failure")') }
        browser.js('return document.querySelector(\'[data-task="lint"]\').getAttribute("aria-label")') == 'task lint: failed (allowed to fail)'
        !browser.js('return document.querySelector(\'[data-task="build"]\').classList.contains("allowed-failure")')
        browser.scriptErrors() == []
    }

    def "a log of one line says so in the singular"() {
        given: 'a task that printed one line and waits (once it ends, the log has a line saying so)'
        def flag = scratch.resolve('one-may-end')
        def key = trigger('shop', 'one', [parameters: [flag: flag.toString()]])
        Http.eventually { http.get("/runs/$key/tasks/t/log/lines?from=1&count=10").json.total == 1 }

        when:
        browser.open("/#/runs/$key/t")
        browser.driver.navigate().refresh()

        then:
        browser.text('.log .row', 'only')
        browser.until { browser.textOf('.log-toolbar .muted') == '1 line' }
        browser.scriptErrors() == []

        cleanup:
        Files.writeString(flag, '')
        awaitEnd(key)
    }

    def "a line of 200 KB wraps in the log beside its number, and following still shows the log's last line"() {
        given: 'a task that prints 100 lines, five of 200,000 characters without a space (minified scripts), one more, and waits'
        def flag = scratch.resolve('minified-may-end')
        def key = trigger('shop', 'minified', [parameters: [flag: flag.toString()]])
        Http.eventually { http.get("/runs/$key/tasks/t/log/search?q=the%20end").json.matches.size() == 1 }

        when: 'its log is opened while the task runs, so the view follows it'
        browser.open("/#/runs/$key/t")
        browser.driver.navigate().refresh()

        then: 'the last line is on screen, below the long ones (they are taller than a row)'
        browser.until {
            browser.js('''const s = document.querySelector('.log-scroller');
                const end = [...document.querySelectorAll('.log .row')].find(r => r.querySelector('.lt').textContent === 'the end');
                if (!end) return false;
                const v = s.getBoundingClientRect(), r = end.getBoundingClientRect();
                return r.top >= v.top && r.bottom <= v.bottom + 1''')
        }

        and: 'the log does not scroll sideways'
        browser.js('const s = document.querySelector(".log-scroller"); return s.scrollWidth <= s.clientWidth')

        and: 'a long line wraps into at most ten rows, its number at its top, the next line below it and numbered apart'
        browser.js('''const long = [...document.querySelectorAll('.log .row')].find(r => r.querySelector('.lt').textContent.startsWith('xxxx'));
            const a = long.getBoundingClientRect(), n = long.querySelector('.ln').getBoundingClientRect();
            const b = long.nextElementSibling.getBoundingClientRect();
            return a.height > 18 * 3 && a.height <= 18 * 10 + 1 && Math.abs(n.top - a.top) < 1 && b.top >= a.bottom - 0.5''')

        and: 'what is not drawn of it is said'
        // read in one step: the followed rows are drawn anew four times a second; the log keeps a line of 200,000
        // characters as lines of at most 64 KiB, so the number is what one of those holds beyond the 4,000 drawn
        browser.until { browser.js("return [...document.querySelectorAll('.log .log-cut')].some(e => / … [0-9,]+ more characters \\(Download has the whole line\\)/.test(e.textContent))") }
        browser.scriptErrors() == []

        cleanup:
        Files.writeString(flag, '')
        awaitEnd(key)
    }

    def "a run opened while it starts moves on to the gate it waits at"() {
        given:
        def key = trigger('shop', 'deploy')

        when:
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then: 'the question and its buttons, without looking for the task in the graph'
        browser.text('.approval', 'Ship it?')
        browser.find('.approval .approve')
        browser.scriptErrors() == []

        cleanup:
        http.post("/runs/$key/tasks/ship/reject", [:])
    }

    def "a run waiting at its gate offers the artifacts its build kept meanwhile, on the page opened before they were"() {
        given: 'the run page open while the build still runs'
        def flag = scratch.resolve('gated-may-end')
        def key = trigger('shop', 'gated', [parameters: [flag: flag.toString()]])
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()
        browser.text('#run-status', 'Running')
        browser.text('section.card', 'No artifacts.')

        when: 'the build ends and the run waits at the gate'
        Files.writeString(flag, '')

        then: "the build's zip is offered without a reload, while the run still waits"
        browser.text('.approval', 'Ship it?')
        browser.find('a[data-file="build.zip"]')
        http.get("/runs/$key").json.status == 'running'
        browser.scriptErrors() == []

        cleanup:
        http.post("/runs/$key/tasks/ship/reject", [:])
    }

    def "a run of some tasks says which on its page; a run of the whole job says nothing of it"() {
        given:
        def some = trigger('shop', 'parts', [tasks: ['test', 'lint']])
        def whole = trigger('shop', 'parts')
        awaitEnd(some)
        awaitEnd(whole)

        when:
        browser.open("/#/runs/$some")
        browser.driver.navigate().refresh()

        then:
        browser.until { browser.textOf('#run-selected-tasks') } == 'Only test, lint and what they need'
        browser.text('.facts', 'Tasks')

        when:
        browser.openRun(whole)

        then:
        browser.text('#run-status', 'Succeeded')
        browser.all('#run-selected-tasks').isEmpty()

        when: "the job's list of runs"
        browser.open('/#/jobs/shop/parts')

        then: 'marks the run of some tasks, and only it'
        browser.until { browser.textOf("tr[data-run='$some'] .asked") } == ' · only test, lint'
        browser.all("tr[data-run='$whole'] .asked").isEmpty()
        browser.scriptErrors() == []
    }

    def "a job's page builds the tasks ticked in its Build form, with what they need; the others are skipped"() {
        given:
        browser.open('/#/jobs/shop/parts')
        browser.driver.navigate().refresh()

        when: 'Build some tasks, test ticked'
        browser.click('.page-head .build-some')
        browser.click('dialog label[data-task="test"] input')
        browser.click('#start-run')
        browser.find('.notice a').click()
        String key = browser.driver.currentUrl.replaceFirst('.*#/runs/', '')
        def run = awaitEnd(key)

        then: 'the run was asked for test alone: build ran for it, lint and docs were skipped'
        run.selectedTasks == ['test']
        run.tasks.test.status == 'succeeded'
        run.tasks.build.status == 'succeeded'
        run.tasks.lint.status == 'skipped'
        run.tasks.docs.reason == 'not selected for this run'
        browser.until { browser.textOf('#run-selected-tasks') } == 'Only test and what it needs'
        browser.scriptErrors() == []
    }

    def "a queued run says it has not started yet, on its page, in its job's list and on the dashboard beside the running one"() {
        given: 'a run holding the job, and one queued behind it'
        def flag = scratch.resolve('single-may-end')
        def first = trigger('shop', 'single', [parameters: [flag: flag.toString()]])
        def queued = trigger('shop', 'single', [parameters: [flag: flag.toString()]], '?queue=true')
        Http.eventually { http.get("/runs/$first").json.status == 'running' }
        assert http.get("/runs/$queued").json.status == 'queued'

        when:
        browser.openRun(queued)

        then: 'no server has it yet'
        browser.text('#run-started', 'not yet — queued')
        browser.textOf('#run-server') == null

        when:
        browser.openRun(first)

        then: 'the running one names the server running it, as GET /cluster lists it'
        browser.text('#run-server', "on server ${server.url()}")

        when:
        browser.open('/#/jobs/shop/single')

        then: 'the running one shows when it started, the queued one when it was queued'
        browser.text("tr[data-run=\"$queued\"]", 'queued ')
        browser.find("tr[data-run=\"$first\"]")
        !browser.textOf("tr[data-run=\"$first\"]").contains('queued')
        browser.scriptErrors() == []

        when:
        def (going, waiting) = [first, queued].collect { http.get("/runs/$it").json.number }
        browser.open('/#/')

        then: 'the dashboard names the run going beside the newest, queued one, each a link'
        browser.until { browser.textOf('tr[data-job="shop/single"] td.last-run') == "running #$going, #$waiting queued" }
        browser.find("tr[data-job=\"shop/single\"] td.last-run a[href=\"#/runs/$first\"]")
        browser.find("tr[data-job=\"shop/single\"] td.last-run a[href=\"#/runs/$queued\"]")
        browser.scriptErrors() == []

        cleanup:
        Files.createFile(flag)
        awaitEnd(first)
        awaitEnd(queued)
    }

    def "Rerun of a job whose one run at a time is going says so in words, and Queue it queues the rerun and opens it"() {
        given: 'an ended run of a job of one run at a time, and another of its runs going'
        def done = scratch.resolve('single-done')
        Files.createFile(done)
        def ended = trigger('shop', 'single', [parameters: [flag: done.toString()]])
        awaitEnd(ended)
        def hold = scratch.resolve('single-hold')
        def going = trigger('shop', 'single', [parameters: [flag: hold.toString()]])
        browser.openRun(ended)

        when:
        browser.js("[...document.querySelectorAll('.actions button')].find(b => b.textContent === '↻ Rerun').click()")

        then: "said in words beside the run's actions, not the API's ?queue=true"
        !browser.text('.run-page .alert', 'shop / single allows one run at a time, and one run is queued or going').contains('?queue')

        when:
        browser.click('.run-page .queue-run')

        then: 'the rerun is queued behind the run going, and its page opens'
        browser.until { !browser.driver.currentUrl.endsWith("#/runs/$ended") }
        String rerun = browser.driver.currentUrl.replaceAll(/.*#\/runs\//, '')
        browser.showsRun(rerun)
        http.get("/runs/$rerun").json.rerunOf == ended
        browser.scriptErrors() == []

        cleanup:
        Files.createFile(hold)
        awaitEnd(going)
        if (rerun) awaitEnd(rerun)
    }

    def "the open task's duration and the run's start count up while the task runs"() {
        given:
        def flag = scratch.resolve('may-end')
        def key = trigger('shop', 'hold', [parameters: [flag: flag.toString()]])
        browser.open("/#/runs/$key/wait")
        browser.driver.navigate().refresh()
        browser.find('svg.graph .node[data-task="wait"][data-status="running"]')
        def duration = browser.until { browser.textOf('#task-duration') }
        def started = browser.until { browser.textOf('#run-started') }

        expect: 'both change with no event from the server (the task prints nothing)'
        browser.until { browser.textOf('#task-duration') != duration }
        browser.until { browser.textOf('#run-started') != started }
        browser.scriptErrors() == []

        cleanup:
        Files.createFile(flag)
        awaitEnd(key)
    }

    def "a cancelled run's page says who cancelled it, and a job's page lists its schedules with their next firing"() {
        given: 'a running run the admin cancels'
        def key = trigger('shop', 'hold', [parameters: [flag: scratch.resolve('never').toString()]])
        Http.eventually { http.get("/runs/$key").json.status == 'running' }
        assert http.delete("/runs/$key").status == 202
        awaitEnd(key)

        when:
        browser.openRun(key)

        then: 'once: no Reason that says "cancelled" again'
        browser.text('#run-cancelled-by', 'admin')
        !browser.textOf('.facts').contains('Reason')

        when:
        browser.open('/#/jobs/shop/nightly')
        def job = http.get('/projects/shop/jobs/nightly').json

        then: 'the schedule as written, its next firing as a moment in the reader\'s zone (not the API\'s ISO text) and how far off it is, and the zone it is read in'
        String next = job.schedules[0].nextFiring
        browser.text('#schedules', '30 2 * * *')
        browser.attributeOf('#schedules td.next-firing time', 'datetime') == next
        def shown = browser.text('#schedules td.next-firing', ' · in ')
        !shown.contains(next)
        shown.contains(browser.js('''return new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
            .formatToParts(new Date(arguments[0])).find(p => p.type === 'timeZoneName').value''', next) as String)
        browser.text('p.muted', "Schedules are read in the server's time zone, $job.timeZone.")

        and: 'its runs, none yet, say so, not that none match a filter'
        browser.text('table.runs', 'No runs yet.')
        browser.scriptErrors() == []
    }

    def "a run's Details say who started it: the user whose token triggered it, not the one looking"() {
        given: 'a developer of the project triggers a run with her own token'
        assert http.post('/users', [username: 'pia', password: 'correct-horse-battery', role: 'developer']).status == 201
        assert http.put('/projects/shop/members/pia', null).status in [200, 201, 204]
        def pia = http.logIn('pia', 'correct-horse-battery')
        def reply = pia.post('/projects/shop/jobs/fine/runs', [:])
        assert reply.status == 201, reply.text
        String key = reply.json.key
        awaitEnd(key)

        when: 'the admin opens it'
        browser.openRun(key)

        then:
        browser.text('.facts', 'Started by')
        browser.text('#run-started-by', 'pia')
        browser.scriptErrors() == []
    }

    def "a run at a tag names the tag on its page"() {
        given: 'a git project whose repository has a tag, and a run at it'
        def repo = org.eclipse.jgit.api.Git.init().setDirectory(scratch.resolve('tagged').toFile()).setInitialBranch('main').call()
        Files.writeString(scratch.resolve('tagged/Jobfile'), "job('rel') { task('t') { sh 'true' } }\n")
        repo.add().addFilepattern('.').call()
        repo.commit().setMessage('first').setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call()
        repo.tag().setName('v1.2').setSigned(false).call()
        assert http.post('/projects', [name: 'tagged', gitUrl: scratch.resolve('tagged').toUri().toString()]).status == 201
        def key = trigger('tagged', 'rel', [ref: 'v1.2'])
        awaitEnd(key)

        when:
        browser.open("/#/runs/$key")

        then:
        browser.text('#run-tag', 'v1.2')
        browser.scriptErrors() == []

        cleanup:
        repo?.close()
    }

    def "a link to a run, a job or a view that is not there shows a Not found page"() {
        when:
        browser.open("/#/$path")
        browser.driver.navigate().refresh()

        then:
        browser.text('#page-error h1', 'Not found')
        browser.text('#page-error', message)
        browser.until { browser.driver.title == 'Not found – Stoker' }
        browser.scriptErrors() == []

        where:
        path                | message
        'runs/no-such-run'  | "no run 'no-such-run'"
        'jobs/shop/nothing' | "no job 'nothing'"
        'views/gone'        | "no view 'gone'"
    }

    def "a deployment run's heading leads to its project, not to a job page that is not there, and it offers no Rerun"() {
        given: 'version 1 of a project deployed by a one-shot'
        freestyle('rel', """
job('release') { publish version: '1'; task('b') { sh 'echo x > f.txt'; artifacts 'f.txt' } }
deploy('once') { run 'true' }
""")
        awaitEnd(trigger('rel', 'release'))
        def deployed = http.post('/projects/rel/deployments', [version: '1', target: 'once'])
        assert deployed.status == 202, deployed.text
        awaitEnd(deployed.json.run)

        when:
        browser.open("/#/runs/${deployed.json.run}")
        browser.driver.navigate().refresh()

        then:
        browser.text('#run-status', 'Succeeded')
        browser.js('return document.querySelector(".page-head h1 a").getAttribute("href")') == '#/projects/rel'
        browser.js("return [...document.querySelectorAll('.actions button')].every(b => !b.textContent.includes('Rerun'))") == true
        browser.scriptErrors() == []
    }

    def "at phone width the dashboard does not scroll the whole page sideways"() {
        given:
        browser.driver.executeCdpCommand('Emulation.setDeviceMetricsOverride',
                [width: 390, height: 844, deviceScaleFactor: 1, mobile: true])

        when:
        browser.open('/#/')
        browser.driver.navigate().refresh()
        browser.find('tr[data-job="shop/broken"]')

        then:
        browser.js('return document.documentElement.scrollWidth - document.documentElement.clientWidth') == 0
    }

    def "at 400 px each job on the dashboard is a block that fits: its name, last run and Build in view, its box not scrolled"() {
        given:
        browser.driver.executeCdpCommand('Emulation.setDeviceMetricsOverride',
                [width: 400, height: 800, deviceScaleFactor: 1, mobile: true])

        when:
        browser.open('/#/')
        browser.driver.navigate().refresh()
        browser.find('tr[data-job="shop/broken"]')

        then: 'neither the page nor the jobs\' box scrolls sideways'
        browser.js('return document.documentElement.scrollWidth - document.documentElement.clientWidth') == 0
        browser.js('const w = document.querySelector(".table-wrap"); return w.scrollWidth - w.clientWidth') == 0

        and: 'every job\'s links and Build lie inside the screen'
        browser.js('''return [...document.querySelectorAll("tr[data-job] a, tr[data-job] .trigger")].filter(e => {
            const r = e.getBoundingClientRect();
            return r.left < 0 || r.right > document.documentElement.clientWidth; }).length''') == 0
        !browser.all('tr[data-job] .trigger').isEmpty()

        and: 'the cells name what they hold, the column headings being out of sight'
        browser.js('''return getComputedStyle(document.querySelector('tr[data-job="shop/broken"] td.last-run'), '::before').content''')
                .contains('Last run')
    }

    def "Manage Stoker reads the webhook secret only when the admin asks to see it"() {
        given:
        def reads = { http.get('/audit?action=webhook.secret.read').json.size() }
        def before = reads()

        when:
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.find('#agents')

        then: 'a page view is no read'
        browser.find('.reveal-secret')
        browser.all('input[aria-label="webhook secret"]').isEmpty()
        reads() == before

        when:
        browser.click('.reveal-secret')

        then:
        browser.until { browser.find('input[aria-label="webhook secret"]').getAttribute('value') ==~ /[0-9a-f]{64}/ }
        reads() == before + 1
        browser.scriptErrors() == []
    }

    def "Rotate asks before it replaces the webhook secret every git host was given"() {
        given:
        String first = http.get('/hooks/secret').json.secret
        browser.open('/#/manage')
        browser.driver.navigate().refresh()
        browser.click('.reveal-secret')
        browser.until { browser.find('input[aria-label="webhook secret"]').getAttribute('value') == first }

        when: 'the question is answered Cancel'
        browser.answer('.rotate-secret', false)

        then: 'the secret stays'
        http.get('/hooks/secret').json.secret == first

        when: 'the question is answered OK'
        browser.answer('.rotate-secret', true)

        then: 'the page shows the new secret, the one the server now has'
        browser.until {
            String shown = browser.find('input[aria-label="webhook secret"]').getAttribute('value')
            shown != first && shown == http.get('/hooks/secret').json.secret
        }
        browser.scriptErrors() == []
    }

    def "Delete view asks before it deletes"() {
        given:
        assert http.put('/views/Shop', [filter: 'shop/']).status in [200, 201]
        browser.open('/#/views/Shop')
        browser.driver.navigate().refresh()
        browser.find('.delete-view')

        when: 'the question is answered Cancel'
        browser.answer('.delete-view', false)

        then:
        http.get('/views').json*.name.contains('Shop')

        when: 'the question is answered OK'
        browser.answer('.delete-view', true)

        then:
        browser.until { !http.get('/views').json*.name.contains('Shop') }
        browser.scriptErrors() == []
    }

    def "an admin adds a global secret in Manage Stoker, whose value the page never shows, and deletes it after a question"() {
        given:
        String value = 'ui-secret-value-9f3c1'
        browser.open('/#/manage')
        browser.driver.navigate().refresh()

        when: 'a name no variable may have is sent'
        browser.type('#secret-name', 'npm-token')
        browser.type('#secret-value', value)
        browser.click('#secret-form button[type=submit]')

        then: 'the server says what a name may hold, not the browser, beside the Name field, in the form\'s words and in view'
        browser.text('#secret-form .field:has(#secret-name) .field-refusal .alert', 'Name must be an environment variable name')
        inView('#secret-form .field-refusal .alert')

        when: 'a project that is not there is named as a reader'
        browser.find('#secret-name').clear()
        browser.type('#secret-name', 'NPM_TOKEN')
        browser.type('#secret-projects', 'shop, nosuchproject')
        browser.click('#secret-form button[type=submit]')

        then: 'the refusal names the readers\' field, so it shows beside Read by, and the one before goes'
        browser.text('#secret-projects-refusal .alert', "no project 'nosuchproject'")
        inView('#secret-projects-refusal .alert')
        browser.all('#secret-form .field:has(#secret-name) .field-refusal .alert').isEmpty()

        when:
        browser.find('#secret-value').clear()
        browser.type('#secret-value', value)
        browser.type('#secret-projects', 'shop')
        browser.click('#secret-form button[type=submit]')

        then: 'the server has it, read by the project named only, and the page lists it without its value'
        browser.text('li[data-secret="NPM_TOKEN"]', 'read by shop')
        browser.text('#secret-note .notice', 'Secret NPM_TOKEN saved')
        browser.all('#secret-note .alert').isEmpty()
        with(http.get('/secrets').json.find { it.name == 'NPM_TOKEN' }) {
            scope == 'global'
            projects == ['shop']
        }
        !browser.driver.pageSource.contains(value)
        browser.find('#secret-value').getAttribute('value') == ''

        when: 'Delete is answered Cancel, then OK'
        browser.answer('li[data-secret="NPM_TOKEN"] .delete-secret', false)
        assert http.get('/secrets').json*.name.contains('NPM_TOKEN')
        browser.answer('li[data-secret="NPM_TOKEN"] .delete-secret', true)

        then:
        browser.until { browser.all('li[data-secret="NPM_TOKEN"]').isEmpty() }
        !http.get('/secrets').json*.name.contains('NPM_TOKEN')
        browser.scriptErrors() == []
    }

    def "People says each refusal beside its form, in words, and a later success clears it"() {
        given:
        browser.open('/#/people')
        browser.driver.navigate().refresh()

        when: 'a token name the server refuses'
        browser.type('#token-name', 'bad name!')
        browser.click('#token-form button[type=submit]')

        then: 'the reason shows under the Name field of the token form, in the form\'s words, in view'
        browser.text('#token-form .field:has(#token-name) .field-refusal .alert', 'Name must be')
        inView('#token-form .field-refusal .alert')

        when: 'a good name is given'
        browser.type('#token-name', 'ui-spec')
        browser.click('#token-form button[type=submit]')

        then: 'the token shows once, and the refusal is gone'
        browser.until { browser.find('#token-shown input').getAttribute('value').startsWith('stk_') }
        browser.until { browser.all('#token-form .field-refusal').isEmpty() }

        when: 'Revoke is answered Cancel'
        browser.answer('li[data-token="ui-spec"] .revoke-token', false)

        then: 'the token stays, and so does its value on screen'
        http.get('/tokens').json*.name.contains('ui-spec')
        browser.find('#token-shown input')

        when: 'Revoke is answered OK'
        browser.answer('li[data-token="ui-spec"] .revoke-token', true)

        then: 'the dead token is no longer shown'
        browser.until { browser.all('li[data-token="ui-spec"]').isEmpty() }
        browser.until { browser.all('#token-shown .notice').isEmpty() }
        !http.get('/tokens').json*.name.contains('ui-spec')

        when: 'a wrong current password is given'
        browser.type('#old-pass', 'not-the-password-1')
        browser.type('#my-new-pass', 'a-new-password-123')
        browser.click('#password-form button[type=submit]')

        then: 'it is said in words, beside the Current password field, naming no field of the API'
        browser.text('#password-form .field:has(#old-pass) .field-refusal .alert', 'The current password is wrong.')
        !browser.find('#password-form').text.contains('oldPassword')
        inView('#password-form .field-refusal .alert')
        browser.scriptErrors() == []
    }

    def "a view name the server refuses is refused beside its Name field: #why"() {
        given:
        browser.open('/#/views/new')
        browser.driver.navigate().refresh()

        when:
        browser.type('#view-name', name)
        browser.type('#view-filter', 'shop/')
        browser.click('form.card button[type=submit]')

        then: "in the form's words, and the field is marked"
        browser.text('form.card .field:has(#view-name) .field-refusal .alert', said)
        browser.find('#view-name').getAttribute('aria-invalid') == 'true'
        !http.get('/views').json*.name*.toLowerCase().contains(name)
        browser.scriptErrors() == []

        where:
        name   | said                   | why
        'café' | 'ASCII letters'        | 'it takes ASCII letters'
        'all'  | "Name cannot be 'all'" | 'the dashboard has its own All tab, and any case of it would read the same'
    }

    def "a job's run filters are kept in the address: a reload or a shared link shows the same runs"() {
        given: 'a run started over the API and its rerun, of a job no other feature runs'
        String first = trigger('shop', 'sift')
        awaitEnd(first)
        String again = http.post("/runs/$first/rerun", null).json.key
        awaitEnd(again)

        when: 'a link that asks for reruns is opened'
        browser.open('/#/jobs/shop/sift?trigger=rerun')
        browser.driver.navigate().refresh()

        then: 'the filter shows it, and the list holds reruns only'
        browser.until { browser.find('#f-trigger').getAttribute('value') == 'rerun' }
        browser.until { runsListed() == [again] as Set }

        when: 'another trigger is chosen'
        new org.openqa.selenium.support.ui.Select(browser.find('#f-trigger')).selectByValue('api')

        then: 'the address says so, and a reload keeps it'
        browser.until { browser.driver.currentUrl.endsWith('#/jobs/shop/sift?trigger=api') }
        browser.until { first in runsListed() && !(again in runsListed()) }
        browser.driver.navigate().refresh()
        browser.until { browser.find('#f-trigger').getAttribute('value') == 'api' }
        browser.until { first in runsListed() && !(again in runsListed()) }
        browser.scriptErrors() == []
    }

    def "a job's page of runs is kept in the address with its filters, so Back from a run returns to it"() {
        given: 'one run more than a page holds'
        List<String> keys = (1..26).collect { trigger('shop', 'many') }
        keys.each { awaitEnd(it) }
        browser.open('/#/jobs/shop/many?status=succeeded')
        browser.driver.navigate().refresh()
        browser.text('.pager', 'page 1 of 2')

        when: 'the older page is shown, and its run opened'
        browser.click('.pager .older')

        then:
        browser.until { browser.driver.currentUrl.endsWith('#/jobs/shop/many?page=2&status=succeeded') }
        browser.until { runsListed() == [keys[0]] as Set }

        when:
        browser.click("table.runs tr[data-run='${keys[0]}'] a")
        browser.text('.run-page h1', 'many #1')
        browser.driver.navigate().back()

        then: 'the same page, with the same filter'
        browser.text('.pager', 'page 2 of 2')
        browser.until { browser.find('#f-status').getAttribute('value') == 'succeeded' }
        browser.until { runsListed() == [keys[0]] as Set }

        when: 'the newer page is shown again'
        browser.click('.pager .newer')

        then: 'the address says page 1 by leaving the page out'
        browser.until { browser.driver.currentUrl.endsWith('#/jobs/shop/many?status=succeeded') }
        browser.until { runsListed().size() == 25 }
        browser.scriptErrors() == []
    }

    private Set<String> runsListed() {
        browser.all('table.runs tr[data-run]')*.getAttribute('data-run') as Set
    }

    /** Runs a job of 'shop' to its end and opens the run's page afresh. */
    def "a task focused with the keyboard in the graph is drawn otherwise than the task whose log is open"() {
        given: 'a run of several tasks, the first one chosen with a click'
        def key = openFinishedRun('parts')
        browser.click('g.node[data-task="build"]')
        browser.until { browser.driver.currentUrl.endsWith("#/runs/$key/build") }
        browser.find('.log[data-task="build"]')

        when: 'Tab moves the focus on to the next task, without choosing it'
        browser.find('g.node[data-task="build"]').sendKeys(org.openqa.selenium.Keys.TAB)
        String next = browser.until {
            def task = browser.js('return document.activeElement.dataset?.task')
            task && task != 'build' ? task : null
        }

        then: 'the chosen task has its heavy border and no ring; the focused one has the ring and a plain border'
        def chosen = look('build'), focused = look(next)
        chosen.ring == 'none'
        focused.ring != 'none'
        chosen.border != focused.border
        chosen.current == 'true'
        focused.current == null
        browser.driver.currentUrl.endsWith("#/runs/$key/build")
        browser.scriptErrors() == []
    }

    /** How the graph draws a task: its border's stroke and width, its focus ring's stroke, and whether it is current. */
    private Map look(String task) {
        browser.js('''const g = document.querySelector(`g.node[data-task="${arguments[0]}"]`);
            const body = getComputedStyle(g.querySelector('rect')), ring = getComputedStyle(g.querySelector('.focus-ring'));
            return { border: body.stroke + ' ' + body.strokeWidth, ring: ring.stroke, current: g.getAttribute('aria-current') }''', task) as Map
    }

    private String openFinishedRun(String job) {
        def key = trigger('shop', job)
        awaitEnd(key)
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()
        key
    }

    def "a run's artifacts name the files in each zip, and one of them downloads alone"() {
        when:
        openFinishedRun('pack')

        then:
        browser.text('.artifacts', 'pack.zip')
        browser.text('.artifact-files', 'dist/a.txt')

        when:
        browser.click('.artifact-files a[data-path="dist/sub/b.txt"]')

        then:
        def file = browser.downloads.resolve('b.txt')
        browser.until { Files.exists(file) && Files.readString(file) == 'beta\n' }
        browser.scriptErrors() == []

        and: 'the browser streamed it to disk: the page never read it (a 2 GB artifact held in the tab ended it)'
        browser.js("""return performance.getEntriesByType('resource')
            .filter(e => e.initiatorType === 'fetch' && e.name.includes('/artifacts/')).length""") == 0
    }

    def "a download that fails says why beside the artifact list, not at the top of the page"() {
        given:
        def key = trigger('shop', 'pack')
        awaitEnd(key)
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()
        browser.text('.artifact-files', 'dist/a.txt')

        when: 'the zip is gone from the server after the page listed it'
        try (def zips = Files.walk(dataDir)) {
            zips.filter { it.fileName.toString() == 'pack.zip' && it.toString().contains(key) }.toList().each { Files.delete(it) }
        }
        browser.click('.artifact-files a[data-path="dist/a.txt"]')

        then:
        browser.text('.artifact-error', 'has no artifacts')
        browser.textOf('.run-page > div[aria-live=polite]') == ''
        browser.scriptErrors() == []
    }

    def "a zip of more files than the list shows says how many more it holds"() {
        when:
        openFinishedRun('heap')

        then:
        browser.text('.artifact-more', '… and 3 more files')
        browser.scriptErrors() == []
    }

    def "Build pressed twice before the server answers starts one run"() {
        given:
        browser.open('/#/')
        browser.driver.navigate().refresh()
        browser.find('tr[data-job="shop/once"] .trigger')

        when: 'a job without parameters: its Build starts at once'
        browser.js("const b = document.querySelector('tr[data-job=\"shop/once\"] .trigger'); b.click(); b.click()")

        then:
        browser.text('.notice', 'Started')
        http.get('/runs?project=shop&job=once').json.total == 1

        when: 'a job with parameters: its form is sent twice'
        browser.click('tr[data-job="shop/asked"] .trigger')
        browser.find('dialog #start-run')
        browser.js("const f = document.querySelector('dialog form'); f.requestSubmit(); f.requestSubmit()")

        then: 'one run, and the closed form is gone from the page'
        browser.until { browser.all('dialog').isEmpty() }
        http.get('/runs?project=shop&job=asked').json.total == 1
        browser.scriptErrors() == []
    }

    def "Rerun pressed twice before the server answers starts one rerun"() {
        given: 'an ended run on its page, which counts the reruns it asks for'
        def key = openFinishedRun('again')
        browser.find('.actions button')
        browser.countRequests('POST', '/rerun')

        when: 'a double click on Rerun'
        browser.js("const b = [...document.querySelectorAll('.actions button')].find(b => b.textContent === '↻ Rerun'); b.click(); b.click()")

        then: 'one rerun asked for, and its page opens'
        browser.until { !browser.driver.currentUrl.endsWith("#/runs/$key") }
        browser.counted() == 1
        http.get('/runs?project=shop&job=again').json.total == 2
        browser.scriptErrors() == []
    }

    def "the Build button and the Build form name the job with its project, as the form's heading does"() {
        given:
        browser.open('/#/')
        browser.driver.navigate().refresh()

        expect: "each row's button is told from the others' by more than its place in the table"
        browser.find('tr[data-job="shop/asked"] .trigger').accessibleName == 'Build shop / asked'
        browser.find('tr[data-job="shop/once"] .trigger').accessibleName == 'Build shop / once'

        when:
        browser.click('tr[data-job="shop/asked"] .trigger')

        then: 'a screen reader hears the same words as the heading shows'
        browser.find('dialog #start-run')
        browser.find('dialog').accessibleName == 'Build shop / asked'
        browser.scriptErrors() == []

        cleanup:
        browser.js("document.querySelector('dialog')?.close()")
    }

    def "a Build form closed with Escape leaves the page, and the next one is the only one"() {
        given:
        browser.open('/#/')
        browser.driver.navigate().refresh()

        when:
        browser.click('tr[data-job="shop/asked"] .trigger')
        browser.find('dialog #start-run').sendKeys(org.openqa.selenium.Keys.ESCAPE)

        then:
        browser.until { browser.all('dialog').isEmpty() }

        when:
        browser.click('tr[data-job="shop/asked"] .trigger')

        then:
        browser.find('dialog #start-run')
        browser.all('dialog').size() == 1
        browser.all('#start-run').size() == 1

        cleanup:
        browser.js("document.querySelector('dialog')?.close()")
    }

    def "a Build form open when the person goes Back goes with the page it was opened on"() {
        given: 'a job page, then the dashboard, with the Build form of a job with parameters open'
        browser.open('/#/jobs/shop/once')
        browser.driver.navigate().refresh()
        browser.text('main h1', 'once')
        browser.click('a.brand')
        browser.click('tr[data-job="shop/asked"] .trigger')
        browser.find('dialog #start-run')

        when:
        browser.driver.navigate().back()

        then: 'the job page, and no form over it that would start a run and tell no page'
        browser.until { browser.driver.currentUrl.endsWith('#/jobs/shop/once') }
        browser.text('main h1', 'once')
        browser.until { browser.all('dialog').isEmpty() }
        browser.scriptErrors() == []
    }

    def "'… ago' on a page left open keeps counting"() {
        given: 'a job page listing a run that ended, and nothing happening after'
        awaitEnd(trigger('shop', 'once'))
        browser.open('/#/jobs/shop/once')
        browser.driver.navigate().refresh()
        def shown = browser.until { browser.textOf('table.runs time') }

        expect:
        browser.until { browser.textOf('table.runs time') != shown }
        browser.scriptErrors() == []
    }

    def "the dashboard shows a project made elsewhere without a reload"() {
        given:
        browser.open('/#/')
        browser.driver.navigate().refresh()
        browser.find('tr[data-job="shop/once"]')

        when: 'another client creates a project, which sends no event'
        freestyle('elsewhere', "job('made') { task('t') { sh 'true' } }")

        then:
        browser.find('tr[data-job="elsewhere/made"]')
        browser.scriptErrors() == []
    }

    def "a task waiting for its busy agent shows Starting and what it waits for, then runs"() {
        given: 'an agent with one executor, held by a task until its gate file exists (60 s at most)'
        def ssh = SshTestServer.start()
        def gate = scratch.resolve('gate')
        assert http.post('/agents', [name: 'uisolo', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                privateKey: ssh.clientKeys().privateKeyText(), labels: ['uisolo'], executors: 1,
                workDir: scratch.resolve('agent').toString(), hostKey: ssh.hostKeyFingerprint()]).status == 201
        Http.eventually(60_000) { http.get('/agents/uisolo').json.status == 'online' }
        freestyle('agent-wait', """
job('hold') { task('t') { agent 'uisolo'; sh \'\'\'echo holding; i=0; while [ ! -f '$gate' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done\'\'\' } }
job('next') { task('t') { agent 'uisolo'; sh 'echo ran' } }
""")
        def hold = trigger('agent-wait', 'hold')
        Http.eventually(60_000) { log(hold, 't').contains(' out holding') }

        when: 'the page of a run whose task waits for the agent is open'
        def key = trigger('agent-wait', 'next')
        browser.open("/#/runs/$key")
        browser.driver.navigate().refresh()

        then: 'the task says Starting, not Running, and what it waits for; so does its node in the graph'
        browser.text('.task-head h2', 'Starting')
        browser.text('#task-reason', "waiting for an agent matching 'uisolo' (uisolo: busy 1/1)")
        browser.find('g.node[data-status="starting"]')
        browser.attributeOf('g.node[data-status="starting"]', 'aria-label').contains('waiting for an agent')

        when: 'the agent frees'
        Files.writeString(gate, '')

        then: 'the page follows it to its end, and no wait is left to say'
        browser.text('.task-head h2', 'Succeeded')
        browser.until { browser.all('#task-reason').isEmpty() }
        browser.scriptErrors() == []

        cleanup:
        if (!Files.exists(gate)) Files.writeString(gate, '')
        if (key) awaitEnd(key, 60_000)
        http.delete('/agents/uisolo?force=true')
        ssh?.close()
    }
}

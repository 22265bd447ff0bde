package io.stoker.server.ui

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.db.Database
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Figures of the web UI in Chromium, printed for the README (run by bench/ui-bench, never by the test suite): a
 * 50 MB / 500,000-line log opened and scrolled, a task printing as fast as it can followed live, and the dashboard
 * over 200 jobs and 10,000 runs (server time of its two API reads, and the page's render).
 */
@Stepwise
@IgnoreIf({ !Boolean.getBoolean('stoker.uibench') || Browser.missing() != null })
class UiBenchSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared StokerServer server
    @Shared Http http
    @Shared Browser browser
    @Shared List<String> figures = []

    def setupSpec() {
        start()
    }

    void start() {
        server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(4)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD))
        http = Http.loggedIn(server.url())
        browser?.close()
        browser = new Browser(server.url(), 1280, 900)
        browser.login('admin', Http.ADMIN_PASSWORD)
    }

    def cleanupSpec() {
        browser?.close()
        server?.close()
        println '\n== web UI figures ==\n' + figures.join('\n')
    }

    String run(String project, String job) {
        def key = http.post("/projects/$project/jobs/$job/runs", [:]).json.key
        Http.eventually(600_000) { http.get("/runs/$key").json.status in ['succeeded', 'failed'] ? true : null }
        key
    }

    /** Milliseconds until the condition (a JS expression) holds, measured in the page from just before `action`. */
    long pageMillis(String action, String condition) {
        browser.js("window.__t0 = performance.now(); $action")
        browser.until(60) { browser.js("return ($condition) ? performance.now() - window.__t0 : null") } as long
    }

    def "a 50 MB, 500,000-line log opens in under a second"() {
        given:
        assert http.post('/projects', [name: 'logs', jobfile: '''
job('big') {
  task('print') {
    sh "awk 'BEGIN { for (i = 1; i <= 500000; i++) printf \\"%07d \\\\033[32mok\\\\033[0m compiling module %d of the very large build, with some more text to fill it up\\\\n\\", i, i }'"
  }
}
job('fast') {
  task('spew') { sh "awk 'BEGIN { for (i = 1; i <= 1000000; i++) print \\"follow line\\", i }'" }
}''']).status == 201
        def key = run('logs', 'big')
        def size = java.nio.file.Files.size(findLog(key, 'print'))
        browser.open('/#/')
        browser.find('main h1')

        when: 'the run page opens on the task'
        long open = pageMillis("location.hash = '#/runs/$key/print'",
                "document.querySelectorAll('.log .row .lt').length > 10 && !document.querySelector('.log .row .lt').textContent.startsWith('…') && document.querySelector('.log-toolbar').textContent.includes('500,0')")
        long rows = browser.js("return document.querySelectorAll('.log .row').length") as long

        and: 'a jump to the middle reads only that window'
        long middle = pageMillis("const s = document.querySelector('.log-scroller'); s.scrollTop = s.scrollHeight / 2",
                "[...document.querySelectorAll('.log .row .lt')].some(e => e.textContent.includes('compiling module 25'))")

        and: 'a server-side search over the whole log'
        browser.type('.log-search input', 'module 499999 ')
        long search = pageMillis("document.querySelector('.log-search button').click()",
                "document.querySelector('.log-results') && document.querySelector('.log-results').textContent.includes('1 matching')")

        then:
        figures << String.format('log of %.1f MB, 500,000 lines: page shows it in %d ms (%d rows in the DOM); middle in %d ms; search in %d ms',
                size / 1e6, open, rows, middle, search)
        println figures.last()
        rows < 200 // a figure, not a timed test: only the DOM bound is asserted
    }

    def "following a task that prints as fast as it can keeps the tab responsive"() {
        given:
        def key = http.post('/projects/logs/jobs/fast/runs', [:]).json.key
        browser.open("/#/runs/$key/spew")
        browser.find('.log-scroller')
        // the longest gap between two animation frames while the task writes
        browser.js('''window.__gap = 0; let last = performance.now();
            (function tick(t) { window.__gap = Math.max(window.__gap, t - last); last = t;
              if (!window.__stop) requestAnimationFrame(tick); })(last);''')

        when:
        Http.eventually(120_000) { http.get("/runs/$key").json.status == 'succeeded' ? true : null }
        def task = http.get("/runs/$key").json.tasks.spew
        double secs = (java.time.Instant.parse(task.finishedAt).toEpochMilli() - java.time.Instant.parse(task.startedAt).toEpochMilli()) / 1000.0
        browser.until { browser.js("return document.querySelector('.log-toolbar').textContent.includes('1,000,00')") }
        double gap = browser.js('window.__stop = true; return window.__gap') as double
        long rows = browser.js("return document.querySelectorAll('.log .row').length") as long

        then:
        figures << String.format('follow: 1,000,000 lines in %.1f s (%,.0f lines/s); longest frame gap %.0f ms; %d rows in the DOM',
                secs, 1_000_000 / secs, gap, rows)
        println figures.last()
        rows < 200
    }

    def "the dashboard over 200 jobs and 10,000 runs"() {
        given:
        // a Jobfile holds at most 100 jobs: four projects of 50, as a team's instance would have them
        (1..4).each { p ->
            def jobs = (1..50).collect { "job('j$it') { task('t') { sh 'true' } }" }.join('\n')
            assert http.post('/projects', [name: "many$p".toString(), jobfile: jobs]).status == 201
            (1..50).each { assert http.post("/projects/many$p/jobs/j$it/runs", [:]).status == 201 }
        }
        Http.eventually(300_000) { http.get('/runs?status=queued').json.total == 0 && http.get('/runs?status=running').json.total == 0 ? true : null }
        server.close()
        // 49 more finished runs per job, written straight into the stopped server's database
        Database db = Database.open(dataDir)
        db.connection().withCloseable { c ->
            c.createStatement().execute('''
                INSERT INTO runs (run_key, project, job, number, trigger_kind, parameters, model, status, created_at, started_at, finished_at)
                SELECT TRANSLATE(LPAD(CAST(r.id * 100 + x AS VARCHAR), 26, '0'), '0123456789', 'abcdefghij'), r.project, r.job,
                       r.number + x, 'api', '{}', r.model, CASE WHEN MOD(x, 7) = 0 THEN 'failed' ELSE 'succeeded' END,
                       r.created_at, r.started_at, r.finished_at
                FROM runs r, SYSTEM_RANGE(1, 49) WHERE r.project LIKE 'many%' ''')
        }
        db.close()
        start()
        long total = http.get('/runs?pageSize=1').json.total

        when:
        def times = (1..20).collect {
            long t0 = System.nanoTime()
            http.get('/jobs')
            http.get('/jobs/health')
            (System.nanoTime() - t0) / 1e6
        }.sort()
        browser.open('/#/people')
        browser.find('main h1')
        long render = pageMillis("location.hash = '#/'", "document.querySelectorAll('tr[data-job]').length >= 50")

        then:
        figures << String.format('dashboard: %d jobs, %,d runs; GET /jobs + /jobs/health median %.0f ms (max %.0f ms); page renders in %d ms (50 rows a page)',
                http.get('/jobs').json.size(), total + 0, times[10], times[-1], render)
        println figures.last()
        times.size() == 20
    }

    Path findLog(String key, String task) {
        def found = null
        dataDir.toFile().eachFileRecurse { f -> if (f.name.startsWith(task) && f.path.contains(key) && f.name.endsWith('.log')) found = f.toPath() }
        found ?: dataDir
    }
}

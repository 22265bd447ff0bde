package io.stoker.server

import java.nio.file.Files

/**
 * A rerun of the failed tasks ({@code {"failed": true}}, {@code stoker rerun --failed}; GitLab's Retry, GitHub's
 * "Re-run failed jobs"): what failed, timed out or was cancelled in the ended run runs again with the tasks after it;
 * what succeeded before or beside it is taken over, outputs and artifacts included, and does not run again.
 */
class RerunFailedSpec extends ServerSpecification {

    // each step counts its runs in a file outside the workspace ($COUNTS), so the spec sees which tasks ran again;
    // 'flaky' fails until the spec makes the file $GATE
    static final String JOBFILE = '''
job('ci') {
  task('build') {
    sh 'echo run >> "$COUNTS/build"; echo "version=1.2" >> "$STOKER_OUTPUT"; echo binary > app.txt'
    artifacts 'app.txt'
  }
  task('lint') { sh 'echo run >> "$COUNTS/lint"' }
  task('flaky') {
    needs 'build'
    sh 'echo run >> "$COUNTS/flaky"; test -f "$GATE" && grep binary app.txt && echo "built ${{ outputs.build.version }}"'
  }
  task('report') { needs 'flaky'; sh 'echo run >> "$COUNTS/report"' }
  task('notify') { needs 'flaky'; when 'failure()'; sh 'echo run >> "$COUNTS/notify"' }
}
job('slow') {
  task('wait') { sh 'for i in $(seq 3000); do [ -f "$GATE.slow" ] && exit 0; sleep 0.05; done; exit 1' }
}
'''

    def setupSpec() {
        Files.createDirectories(dataDir.resolve('counts'))
        freestyle('retry', JOBFILE.replace('$COUNTS', dataDir.resolve('counts').toString())
                .replace('$GATE', dataDir.resolve('gate').toString()))
    }

    def cleanup() {
        dataDir.resolve('gate').toFile().delete()
        dataDir.resolve('gate.slow').toFile().delete()
        dataDir.resolve('counts').toFile().listFiles()*.delete()
    }

    def "the failed task and the tasks after it run again; what succeeded is taken over, outputs and artifacts included"() {
        given: 'a run whose flaky task failed, so its report was skipped and its notice on failure ran'
        String first = trigger('retry', 'ci')
        def failed = awaitEnd(first)
        assert failed.status == 'failed'
        assert states(failed) == [build: 'succeeded', lint: 'succeeded', flaky: 'failed', report: 'skipped', notify: 'succeeded']

        when: 'what made it fail is mended and its failed tasks are rerun'
        Files.writeString(dataDir.resolve('gate'), 'mended')
        def reply = http.post("/runs/$first/rerun", [failed: true])
        def rerun = awaitEnd(reply.json.key as String)

        then:
        reply.status == 201
        rerun.status == 'succeeded'
        rerun.rerunOf == first
        rerun.rerunFailed == true
        rerun.rerunFrom == null
        states(rerun) == [build: 'succeeded', lint: 'succeeded', flaky: 'succeeded', report: 'succeeded', notify: 'skipped']

        and: 'build and lint ran once, in the first run; flaky twice; report once, in the rerun'
        runs('build') == 1
        runs('lint') == 1
        runs('flaky') == 2
        runs('report') == 1
        runs('notify') == 1

        and: "the rerun's flaky read build's output and artifact from the first run"
        log(rerun.key as String, 'flaky').contains('built 1.2')
        log(rerun.key as String, 'build').contains('reused the outputs and artifacts of run ' + first)
        rerun.tasks.build.outputs == [version: '1.2']

        and: 'the listing says it too'
        http.get('/runs?project=retry&job=ci').json.runs.find { it.key == rerun.key }.rerunFailed == true
    }

    def "a run in which nothing failed, or one still going, is refused with a 409; nothing is queued"() {
        given:
        Files.writeString(dataDir.resolve('gate'), 'open')
        String passed = trigger('retry', 'ci')
        assert awaitEnd(passed).status == 'succeeded'
        String going = trigger('retry', 'slow')
        Http.eventually { http.get("/runs/$going").json.status == 'running' }
        int before = http.get('/runs?project=retry').json.total as int

        when:
        def none = http.post("/runs/$passed/rerun?failed=true")
        def running = http.post("/runs/$going/rerun", [failed: true])

        then:
        none.status == 409
        none.json.error == 'nothing-failed'
        none.json.message == "no task failed in run $passed (it succeeded): rerun it whole, or from a task"
        running.status == 409
        running.json.error == 'running'
        running.json.message == "run $going is running: its failed tasks can be rerun once it has ended"
        http.get('/runs?project=retry').json.total == before

        cleanup:
        Files.writeString(dataDir.resolve('gate.slow'), 'go')
        awaitEnd(going)
    }

    def "failed is true or false and does not go with from"() {
        given:
        String first = trigger('retry', 'ci')
        assert awaitEnd(first).status == 'failed'

        expect:
        with(http.post("/runs/$first/rerun", [failed: 'yes'])) {
            status == 400 && json.message == "'failed' must be true or false, not a string" && json.details == ['field: failed']
        }
        with(http.post("/runs/$first/rerun", [failed: true, from: 'flaky'])) {
            status == 400 && json.details == ['field: failed']
        }
        with(http.post("/runs/$first/rerun?failed=true&from=flaky")) {
            status == 400 && json.details == ['field: failed']
        }
    }

    private static Map<String, String> states(Map run) {
        run.tasks.collectEntries { name, t -> [name, t.status] } as Map<String, String>
    }

    private int runs(String task) {
        def f = dataDir.resolve('counts').resolve(task)
        Files.exists(f) ? Files.readAllLines(f).size() : 0
    }
}

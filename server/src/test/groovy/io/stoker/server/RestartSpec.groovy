package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Kills a real server JVM with SIGKILL mid-run, or stops it cleanly with SIGTERM, and starts another on the same data
 * directory: what was written survives, interrupted runs fail with "server restarted" (or run again when the job says
 * retryOnRestart), queued runs resume. A clean stop is a restart, not a cancel.
 */
class RestartSpec extends Specification {
    @TempDir Path dir
    Process process

    def cleanup() {
        dir.resolve('gate').toFile().text = 'go' // lets task processes orphaned by the kill finish
        process?.destroyForcibly()?.waitFor(10, TimeUnit.SECONDS)
    }

    def "after #how running runs fail with 'server restarted', their logs are intact and queued runs resume"() {
        given:
        Path data = dir.resolve('data')
        String gate = dir.resolve('gate').toString()
        def http = start(data)
        String jobfile = """
job('long') {
  task('slow') {
    sh 'for i in 1 2 3; do echo "before kill \$i"; done; n=0; while [ ! -f $gate ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n+1)); done; echo after'
  }
}
job('again') {
  retryOnRestart true
  task('slow') {
    sh 'if [ -f half-written ]; then echo "files of the interrupted attempt are here"; exit 9; fi; touch half-written; echo attempt; n=0; while [ ! -f $gate ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n+1)); done; echo finished'
  }
}
job('later') {
  task('t') { sh 'echo resumed' }
}
"""
        assert http.post('/projects', [name: 'restart', jobfile: jobfile]).status == 201
        String longKey = http.post('/projects/restart/jobs/long/runs', [:]).json.key
        String againKey = http.post('/projects/restart/jobs/again/runs', [:]).json.key
        Http.eventually { http.get("/runs/$longKey/tasks/slow/log").text.contains('before kill 3') }
        Http.eventually { http.get("/runs/$againKey/tasks/slow/log").text.contains('attempt') }
        String laterKey = http.post('/projects/restart/jobs/later/runs', [:]).json.key
        assert http.get("/runs/$laterKey").json.status == 'queued' // both slots are taken
        String firstStart = http.get("/runs/$againKey").json.startedAt
        String logBefore = http.get("/runs/$longKey/tasks/slow/log").text

        when: 'the server is stopped and started again on the same data directory'
        if (clean) process.destroy() else process.destroyForcibly()
        assert process.waitFor(30, TimeUnit.SECONDS)
        dir.resolve('gate').toFile().text = 'go'
        Instant restarting = Instant.now()
        http = start(data)

        then: 'the interrupted run failed with the reason, and its log up to the kill is intact'
        with(http.get("/runs/$longKey").json) {
            status == 'failed'
            reason == 'server restarted'
            tasks.slow.status == 'failed'
            finishedAt != null
            // dated when the server stopped, or for a killed one by its last sign of life: never by the restart
            Instant.parse(finishedAt) < restarting
            Instant.parse(tasks.slow.finishedAt) < restarting
            Instant.parse(finishedAt) >= Instant.parse(startedAt)
        }
        http.get("/runs/$longKey/tasks/slow/log").text.startsWith(logBefore)
        logBefore.readLines().findAll { it.contains(' out before kill') }.size() == 3

        and: 'the failed run left no workspace behind'
        !java.nio.file.Files.exists(data.resolve("workspaces/$longKey"))

        and: 'the retryOnRestart job ran again, in a fresh workspace, and the queued run resumed'
        with(awaitEnd(http, againKey)) {
            status == 'succeeded'
            // its start stays the first; the start after the restart is stored beside it
            startedAt == firstStart
            Instant.parse(restartedAt) >= restarting
        }
        awaitEnd(http, laterKey).status == 'succeeded'
        http.get("/runs/$laterKey/tasks/t/log").text.contains('resumed')

        and: 'a new run gets the next number'
        http.post('/projects/restart/jobs/long/runs', [:]).json.number == 2

        and: 'a clean stop said in the stopped task\'s log what it did, before the restart\'s own line'
        def lines = http.get("/runs/$longKey/tasks/slow/log").text.readLines()
        int stopping = lines.findIndexOf { it.contains('the server is stopping: this task\'s processes were stopped') }
        int restarted = lines.findLastIndexOf { it.contains('server restarted') }
        clean ? stopping >= 0 && restarted > stopping : stopping == -1
        lines.every { !it.contains('cancelled') }

        where:
        how                       | clean
        'kill -9'                 | false
        'a clean stop (SIGTERM)'  | true
    }

    private Http start(Path data) {
        def server = ServerProcess.start(data)
        process = server.process
        Http.loggedIn(server.url)
    }

    private static Map awaitEnd(Http http, String key) {
        Http.eventually {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? run : null
        }
    }
}

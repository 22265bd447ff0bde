package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A run of some tasks that a crash interrupted and a restart queues again ({@code retryOnRestart}) runs the same
 * tasks again: the selection is stored with the run, not held by the server that took the trigger.
 */
class TriggerTasksRestartSpec extends Specification {
    @TempDir Path dir
    Process process

    def cleanup() {
        dir.resolve('gate').toFile().text = 'go' // lets the task process orphaned by the kill finish
        process?.destroyForcibly()?.waitFor(10, TimeUnit.SECONDS)
    }

    def "a run of some tasks queued again after a kill -9 still runs only those tasks"() {
        given:
        Path data = dir.resolve('data')
        String gate = dir.resolve('gate').toString()
        def http = start(data)
        String jobfile = """
job('again') {
  retryOnRestart true
  task('slow') {
    sh 'echo attempt; n=0; while [ ! -f $gate ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n+1)); done; echo finished'
  }
  task('side') { sh 'echo side' }
}
"""
        assert http.post('/projects', [name: 'restart', jobfile: jobfile]).status == 201
        def triggered = http.post('/projects/restart/jobs/again/runs', [tasks: ['slow']])
        assert triggered.status == 201, triggered.text
        String key = triggered.json.key
        Http.eventually { http.get("/runs/$key/tasks/slow/log").text.contains('attempt') }
        Http.eventually { http.get("/runs/$key").json.tasks.side.status == 'skipped' }

        when: 'the server is killed and started again on the same data directory'
        process.destroyForcibly()
        assert process.waitFor(30, TimeUnit.SECONDS)
        dir.resolve('gate').toFile().text = 'go'
        http = start(data)

        then: 'the run ran again, its selection kept'
        def run = Http.eventually {
            def r = http.get("/runs/$key").json
            r.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? r : null
        }
        run.status == 'succeeded'
        run.restartedAt != null
        run.selectedTasks == ['slow']
        run.tasks.slow.status == 'succeeded'
        run.tasks.side.status == 'skipped'
        run.tasks.side.reason == 'not selected for this run'
    }

    private Http start(Path data) {
        def server = ServerProcess.start(data)
        process = server.process
        Http.loggedIn(server.url)
    }
}

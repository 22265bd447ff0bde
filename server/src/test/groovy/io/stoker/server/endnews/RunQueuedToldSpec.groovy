package io.stoker.server.endnews

import io.stoker.server.Http
import io.stoker.server.outbox.OutboxSpecification

import java.nio.file.Files

/**
 * A run's {@code queued} (its git host's pending commit status) is told once, even when the server is killed between
 * saving the run and its commit statuses queueing the message: the next start tells it, before the run's start, and
 * never again. As in {@link RunStartToldSpec} the crash is made by putting the store as a kill leaves it (the run
 * saved, its queued-told mark clear, its queued status not in the outbox), since the moment lasts a few milliseconds.
 */
class RunQueuedToldSpec extends OutboxSpecification {
    def "a queued a crash kept from the git host is told at the next start, before the run's start, and once"() {
        given: 'a git project whose commit statuses go to a GitLab stand-in; one run of it holds the job\'s only slot'
        receiver.up()
        def http = start()
        def gate = dir.resolve('gate')
        def repo = GitLabStatusProject.create(http, dir, receiver, """
job('build') {
  concurrency 1
  task('t') { sh 'i=0; while [ ! -f "$gate" ] && [ \$i -lt 6000 ]; do sleep 0.05; i=\$((i+1)); done' }
}
job('quick') {
  task('t') { sh 'true' }
}
""")
        def first = http.post('/projects/widget/jobs/build/runs', [:])
        assert first.status == 201, first.text
        Http.eventually { statuses('build', 1) == ['queued', 'running'] }

        and: 'a second run waits for the slot, its queued told'
        def r = http.post('/projects/widget/jobs/build/runs?queue=true', [:])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { statuses('build', 2) == ['queued'] }
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        assert http.get("/runs/$key").json.status == 'queued'

        when: 'the server stopped as a kill between the run being saved and its queued being told leaves it, and starts again'
        server.close()
        untell(key)
        receiver.got.clear()
        http = start()

        then: 'the host is told the run waits, before it is told it runs (the restart ended the first), each once'
        Http.eventually { http.get("/runs/$key").json.status == 'running' }
        Http.eventually { statuses('build', 2) == ['queued', 'running'] }

        when: 'it ends; the server stops and starts once more, and a new run is queued, starts and ends after that'
        Files.writeString(gate, 'go')
        Http.eventually { statuses('build', 2) == ['queued', 'running', 'success'] }
        [first.json.key, key].each { run ->
            Http.eventually { http.get("/runs/$run/deliveries").json.deliveries.every { it.state == 'delivered' } }
        }
        server.close()
        receiver.got.clear()
        http = start()
        def later = http.post('/projects/widget/jobs/quick/runs', [:])
        assert later.status == 201, later.text
        // the commit statuses hear a restart's untold news before any later run's: once the later run's are out, it
        // had nothing more to tell
        Http.eventually { statuses('quick', 1) == ['queued', 'running', 'success'] }

        then: 'neither run of build is told again'
        statuses('build', 1).isEmpty()
        statuses('build', 2).isEmpty()

        cleanup:
        Files.writeString(gate, 'go')
        repo?.close()
    }

    /** The states the GitLab stand-in got for run {@code number} of {@code job}, in order (queued read from its text). */
    private List<String> statuses(String job, int number) {
        receiver.got.findAll { it.path.startsWith('/gl/') && it.json.name == "stoker/$job" && it.json.description.startsWith("#$number ") }
                .collect { it.json.description == "#$number queued" ? 'queued' : it.json.state }
    }

    /** The store as a kill leaves it between the run being saved and its commit statuses queueing its queued. */
    private void untell(String key) {
        StoreAsKilled.edit(dir.resolve('data'), key, ['UPDATE runs SET queued_told = 0 WHERE run_key = ?': 1,
                "DELETE FROM deliveries WHERE run_key = ? AND kind = 'commit-status'": 1])
    }
}

package io.stoker.server.endnews

import io.stoker.server.Http
import io.stoker.server.outbox.OutboxSpecification

import java.nio.file.Files

/**
 * A run's start ({@code running} to its status webhooks and its git host, {@code started} to its {@code notify}
 * blocks) is told once, even when the server is killed between saving the start and its tellers queueing their
 * messages: the next start tells it, before the end the restart gives the run, and nothing that was told. As in
 * {@link RunEndToldSpec} the crash is made by putting the store as a kill leaves it (the run started, its start-told
 * mark clear, its start's messages not queued), since the moment lasts a few milliseconds.
 */
class RunStartToldSpec extends OutboxSpecification {
    def "a start a crash kept from its tellers is told at the next start, before the run's end, and once"() {
        given: 'a git project whose commit statuses go to a GitLab stand-in, and a run of it that waits, its start told'
        receiver.up()
        def http = start()
        def gate = dir.resolve('gate')
        def repo = GitLabStatusProject.create(http, dir, receiver, """
job('build') {
  notify { on 'started'; ntfy '${receiver.url('/ntfy')}' }
  task('t') { sh 'i=0; while [ ! -f "$gate" ] && [ \$i -lt 6000 ]; do sleep 0.05; i=\$((i+1)); done' }
}
job('quick') {
  notify { on 'started'; ntfy '${receiver.url('/ntfy-quick')}' }
  task('t') { sh 'true' }
}
""")
        def r = http.post('/projects/widget/jobs/build/runs', [webhooks: [status: receiver.url('/status')]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { statuses('/status') == ['queued', 'running'] }
        Http.eventually { statuses('/gl/') == ['pending', 'running'] }
        Http.eventually { receiver.got.count { it.path == '/ntfy' } == 1 }
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }

        when: 'the server stopped as a kill between the start being saved and being told leaves it, and starts again'
        server.close()
        untell(key)
        receiver.got.clear()
        http = start()

        then: 'the restart ends the run, and its start goes out first, to each receiver once'
        Http.eventually { http.get("/runs/$key").json.status == 'failed' }
        Http.eventually { statuses('/status') == ['running', 'failed'] }
        Http.eventually { statuses('/gl/') == ['running', 'failed'] }
        Http.eventually { receiver.got.count { it.path == '/ntfy' } == 1 }
        receiver.got.find { it.path == '/ntfy' }.body.contains('#1')

        // what it sent is recorded as delivered first: a delivery still pending at the stop goes out again after it
        when: 'it stops and starts once more, and a new run starts and ends after the start'
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        server.close()
        receiver.got.clear()
        http = start()
        def later = http.post('/projects/widget/jobs/quick/runs', [webhooks: [status: receiver.url('/later')]])
        assert later.status == 201, later.text
        // each teller hears a start's untold news before any later run's: once the later run's are out, it had
        // nothing more to tell
        Http.eventually { statuses('/later') == ['queued', 'running', 'succeeded'] }
        Http.eventually { receiver.got.count { it.path.startsWith('/gl/') && it.json.name == 'stoker/quick' } == 3 }
        Http.eventually { receiver.got.count { it.path == '/ntfy-quick' } == 1 }

        then: 'the first run is not told again'
        statuses('/status').isEmpty()
        !receiver.got.any { it.path.startsWith('/gl/') && it.json.name == 'stoker/build' }
        receiver.got.count { it.path == '/ntfy' } == 0

        cleanup:
        Files.writeString(gate, 'go')
        repo?.close()
    }

    /** The states the receiver got at {@code path} (a status webhook's, or a GitLab project's statuses), in order. */
    private List<String> statuses(String path) {
        receiver.got.findAll { it.path.startsWith(path) && it.path != '/ntfy' }.collect { it.json.status ?: it.json.state }
    }

    /** The store as a kill leaves it between the run's start being saved and its tellers queueing their messages. */
    private void untell(String key) {
        StoreAsKilled.edit(dir.resolve('data'), key, ['UPDATE runs SET start_told = 0 WHERE run_key = ?': 1,
                "DELETE FROM deliveries WHERE run_key = ? AND (kind = 'ntfy' OR payload LIKE '%\"running\"%')": 3])
    }
}

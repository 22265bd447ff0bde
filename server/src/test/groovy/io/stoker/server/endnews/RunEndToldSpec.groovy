package io.stoker.server.endnews

import io.stoker.server.Http
import io.stoker.server.outbox.OutboxSpecification

/**
 * A run's end is told once, even when the server is killed between saving the end and its tellers queueing their
 * messages: the next start tells what was not told, and nothing that was. A crash in that moment is made here by
 * putting the store as it leaves it (the run ended, its end-told mark clear, its end's messages not queued), since
 * the moment lasts a few milliseconds; {@code CrashRecoverySpec} kills a real server at random moments besides.
 */
class RunEndToldSpec extends OutboxSpecification {
    static final String CHAINED = """
job('build') {
  notify { on 'succeeded'; ntfy '%s' }
  task('t') { sh 'echo built' }
}
job('deploy') {
  triggers { after 'build' }
  task('t') { sh 'echo deployed' }
}
"""

    def "an end a crash kept from its tellers is told at the next start, once, and what was told is not told again"() {
        given: 'a run whose end went to its status webhook and its ntfy topic, and started its after-trigger'
        receiver.up()
        def http = start()
        assert http.post('/projects', [name: 'chain', jobfile: String.format(CHAINED, receiver.url('/ntfy'))]).status == 201
        def r = http.post('/projects/chain/jobs/build/runs', [webhooks: [status: receiver.url('/status')]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { receiver.got.count { it.path == '/status' && it.json.status == 'succeeded' } == 1 }
        Http.eventually { receiver.got.count { it.path == '/ntfy' } == 1 }
        Http.eventually { http.get('/runs?project=chain&job=deploy').json.runs.size() == 1 }
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }

        when: 'the server stopped as a kill between the end being saved and being told leaves it, and starts again'
        server.close()
        untell(key)
        receiver.got.clear()
        http = start()

        then: 'the end goes out again, to each receiver once'
        Http.eventually { receiver.got.count { it.path == '/status' } == 1 && receiver.got.count { it.path == '/ntfy' } == 1 }
        receiver.got.find { it.path == '/status' }.json.status == 'succeeded'
        receiver.got.find { it.path == '/status' }.json.building == false

        and: 'the run it had started is not started twice'
        http.get('/runs?project=chain&job=deploy').json.runs.size() == 1

        // what it sent is recorded as delivered first: a delivery still pending at the stop goes out again after it
        when: 'it stops and starts once more, and a new run ends after the start'
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        server.close()
        receiver.got.clear()
        http = start()
        def later = http.post('/projects/chain/jobs/build/runs', [webhooks: [status: receiver.url('/later')]])
        assert later.status == 201, later.text
        // the tellers hear a start's untold ends before any later run's end: once the later run's end is out, the
        // start had nothing more to tell
        Http.eventually { receiver.got.count { it.path == '/later' && it.json.status == 'succeeded' } == 1 }
        Http.eventually { receiver.got.count { it.path == '/ntfy' } == 1 }

        then: 'the first run is not told again: the only end that went out is the new run\'s'
        receiver.got.findAll { it.path == '/status' }.isEmpty()
        receiver.got.findAll { it.path == '/ntfy' }*.body.every { !it.contains('#1') }
        http.get("/runs/$key/deliveries").json.deliveries.count { it.kind == 'status' } == 3
    }

    /** The store as a kill leaves it between the run's end being saved and its tellers queueing their messages. */
    private void untell(String key) {
        StoreAsKilled.edit(dir.resolve('data'), key, ['UPDATE runs SET end_told = 0 WHERE run_key = ?': 1,
                "DELETE FROM deliveries WHERE run_key = ? AND (kind = 'ntfy' OR payload LIKE '%\"succeeded\"%')": 2])
    }
}

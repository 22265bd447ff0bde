package io.stoker.server.api

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

import java.nio.file.Path

/**
 * A run names the server running it, as {@code GET /cluster} lists that server, while it runs: a lone server names
 * itself. A queued run and an ended one name none. (Servers of a cluster: see {@code ClusterSpec}.)
 */
class RunHolderSpec extends ServerSpecification {

    def "a running run names this server, a queued one none, and an ended one none any more"() {
        given: 'a job that runs one at a time and waits for a gate file'
        Path gate = dataDir.resolve('holder-gate')
        freestyle('held', """job('wait') {
  concurrency 1
  task('t') { sh 'n=0; while [ ! -f "$gate" ] && [ \$n -lt 1200 ]; do sleep 0.05; n=\$((n+1)); done' }
}""")
        def cluster = http.get('/cluster').json
        def self = cluster.servers.find { it.id == cluster.self }

        when: 'one run is going and a second waits for it'
        String running = trigger('held', 'wait')
        Http.eventually { http.get("/runs/$running").json.status == 'running' }
        String queued = trigger('held', 'wait', [:], '?queue=true')

        then: 'the running run names the server as GET /cluster does, by key and by number alike'
        with(http.get("/runs/$running").json) {
            server == [id: self.id, address: self.address]
        }
        http.get('/projects/held/jobs/wait/runs/1').json.server == [id: self.id, address: self.address]
        self.address == server.url()

        and: 'the queued one names no server'
        with(http.get("/runs/$queued").json) {
            status == 'queued'
            !containsKey('server')
        }

        when: 'the gate opens and both runs end'
        gate.text = 'go'
        awaitEnd(running)
        awaitEnd(queued)

        then: 'neither names a server'
        [running, queued].every { !http.get("/runs/$it").json.containsKey('server') }

        cleanup:
        gate.text = 'go'
    }
}

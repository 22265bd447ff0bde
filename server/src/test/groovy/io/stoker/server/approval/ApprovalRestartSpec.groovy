package io.stoker.server.approval

import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.ServerProcess
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * A run waiting at an approval gate survives a restart of its server (a clean stop or a {@code kill -9}), as
 * Jenkins' {@code input} does: the same run waits again at the same gate, with its first deadline; the tasks that
 * ended before keep their results and do not run again; a decision after the restart carries it to its end.
 * Real server processes on one H2 data directory.
 */
class ApprovalRestartSpec extends Specification {
    @TempDir Path dir
    ServerProcess server
    /** Where the notifications of job 'told' go: nobody answers, the outbox keeps what it was asked to send. */
    @AutoCleanup ClosedPort nobody = new ClosedPort()

    def cleanup() {
        server?.kill()
    }

    // each step counts its runs in a file outside the workspace ($COUNTS): the spec sees which tasks ran again
    static final String JOBFILE = '''
job('deploy') {
  task('build') {
    sh 'echo run >> "$COUNTS/build"; echo "version=1.2" >> "$STOKER_OUTPUT"; echo binary > app.txt'
    artifacts 'app.txt'
  }
  task('lint') { sh 'echo run >> "$COUNTS/lint"' }
  task('ship') {
    needs 'build'
    approval 'Deploy ${{ outputs.build.version }}?', timeout: '1h'
    sh 'echo run >> "$COUNTS/ship"; grep binary app.txt && echo "shipping ${{ outputs.build.version }}"'
  }
  task('announce') { needs 'ship'; sh 'echo run >> "$COUNTS/announce"' }
}
job('told') {
  notify { on 'waiting', 'cancelled'; ntfy 'http://127.0.0.1:$NOBODY/gate' }
  task('ship') { approval 'Ship it?', timeout: '1h'; sh 'echo run >> "$COUNTS/told"' }
}
job('brief') {
  task('ship') {
    approval 'Deploy now?', timeout: '3s'
    sh 'echo run >> "$COUNTS/brief"'
  }
}
'''

    def "a run waiting at its gate survives #how: approved after the restart it goes on, and the tasks before keep their results"() {
        given: 'a run whose build ended and whose ship task waits at its gate'
        def http = start()
        String key = http.post('/projects/shop/jobs/deploy/runs', [:]).json.key
        def before = awaitWaiting(http, key)

        when: 'the server is stopped and started again on the same data directory'
        stop(clean)
        Instant restarting = Instant.now()
        http = start()

        then: 'the same run waits again at the same gate, with the same question and its first deadline'
        def after = awaitWaiting(http, key)
        after.status == 'running'
        after.number == before.number
        after.startedAt == before.startedAt
        with(after.tasks.ship.approval) {
            question == 'Deploy 1.2?'
            status == 'waiting'
            deadline == before.tasks.ship.approval.deadline
        }

        and: 'the tasks that ended keep how they ran'
        ['build', 'lint'].every { task ->
            after.tasks[task].status == 'succeeded' && after.tasks[task].attempts == before.tasks[task].attempts
                    && after.tasks[task].startedAt == before.tasks[task].startedAt
                    && after.tasks[task].finishedAt == before.tasks[task].finishedAt
        }

        and: "the gate's log says the server restarted and the gate waits again"
        Http.eventually {
            http.get("/runs/$key/tasks/ship/log").text.contains('the server restarted: waiting again for approval: Deploy 1.2?')
        }

        when: 'an approver approves after the restart'
        def approved = http.post("/runs/$key/tasks/ship/approve", [comment: 'go'])
        def end = awaitEnd(http, key)

        then: 'the run goes on to its end; the build did not run again and its output and artifacts reached the ship task'
        approved.status == 200
        end.status == 'succeeded'
        end.tasks.ship.approval.decidedBy == 'admin'
        Instant.parse(end.tasks.ship.finishedAt) >= restarting
        counts() == [build: 1, lint: 1, ship: 1, announce: 1]
        http.get("/runs/$key/tasks/ship/log").text.contains('shipping 1.2')

        where:
        how                      | clean
        'a clean stop (SIGTERM)' | true
        'a kill -9'              | false
    }

    def "a gate rejected after a restart fails the run, as a reject does without one"() {
        given:
        def http = start()
        String key = http.post('/projects/shop/jobs/deploy/runs', [:]).json.key
        awaitWaiting(http, key)
        stop(false)
        http = start()
        awaitWaiting(http, key)

        when:
        def rejected = http.post("/runs/$key/tasks/ship/reject", [comment: 'not today'])
        def end = awaitEnd(http, key)

        then:
        rejected.status == 200
        end.status == 'failed'
        end.tasks.ship.status == 'failed'
        end.tasks.ship.reason == 'rejected by admin: not today'
        end.tasks.announce.status == 'skipped'
        counts() == [build: 1, lint: 1]
    }

    def "a gate whose deadline passed while the server was down times out when the server starts again"() {
        given: 'a gate of 3 s, and a server down for longer than that'
        def http = start()
        String key = http.post('/projects/shop/jobs/brief/runs', [:]).json.key
        Instant deadline = Instant.parse(Http.eventually {
            def run = http.get("/runs/$key").json
            run.tasks.ship.status == 'waiting' ? run.tasks.ship.approval.deadline : null
        } as String)
        stop(true)
        Http.eventually { Instant.now().isAfter(deadline) }

        when:
        http = start()
        def end = awaitEnd(http, key)

        then: 'it is rejected as it would have been, and its task never ran'
        end.status == 'failed'
        end.tasks.ship.status == 'failed'
        end.tasks.ship.reason == 'rejected: no decision within 3.0s'
        Instant.parse(end.tasks.ship.approval.deadline as String) == deadline
        counts() == [:]
    }

    def "a run that resumed is resumable again at once: a kill -9 right after its first save finds its tasks as they were"() {
        given: 'a run that waited at its gate, and a server killed and started again'
        def http = start()
        String key = http.post('/projects/shop/jobs/deploy/runs', [:]).json.key
        def before = awaitWaiting(http, key)
        stop(false)
        http = start()

        when: 'the server is killed again as soon as the resumed run is running'
        Http.eventually { http.get("/runs/$key").json.status == 'running' }
        stop(false)
        http = start()

        then: 'the run resumed again: its ended tasks kept how they ran, its gate waits with its first deadline'
        def after = awaitWaiting(http, key)
        after.status == 'running'
        after.tasks.ship.approval.deadline == before.tasks.ship.approval.deadline
        ['build', 'lint'].every { task ->
            after.tasks[task].status == 'succeeded' && after.tasks[task].attempts == before.tasks[task].attempts
                    && after.tasks[task].startedAt == before.tasks[task].startedAt
                    && after.tasks[task].finishedAt == before.tasks[task].finishedAt
                    && after.tasks[task].outputs == before.tasks[task].outputs
        }

        when:
        http.post("/runs/$key/tasks/ship/approve", [comment: 'go'])
        def end = awaitEnd(http, key)

        then:
        end.status == 'succeeded'
        counts() == [build: 1, lint: 1, ship: 1, announce: 1]
    }

    def "a gate that waits again after a restart is not told again: its 'waits for approval' message went out once"() {
        given: 'a run told as waiting at its gate, and a server restarted'
        def http = start()
        String key = http.post('/projects/shop/jobs/told/runs', [:]).json.key
        Http.eventually { told(http, key).any { it.payload.toString().contains('waits for approval') } }
        stop(false)
        http = start()
        Http.eventually {
            http.get("/runs/$key/tasks/ship/log").text.contains('the server restarted: waiting again for approval')
        }

        when: 'the run is cancelled: its message is queued after any the reopened gate would have made'
        http.delete("/runs/$key")
        awaitEnd(http, key)
        Http.eventually { told(http, key).any { it.payload.toString().contains('was cancelled') } }

        then:
        told(http, key).count { it.payload.toString().contains('waits for approval') } == 1
        told(http, key).size() == 2
    }

    def "a gate a kill kept from its 'waits for approval' message is told when it waits again after the restart, once"() {
        given: 'a run waiting at its gate, killed as a kill between the gate opening and its message being queued leaves it'
        def http = start()
        String key = http.post('/projects/shop/jobs/told/runs', [:]).json.key
        Http.eventually { told(http, key).any { it.payload.toString().contains('waits for approval') } }
        stop(false)
        untell(key, 'ship')

        when:
        http = start()
        Http.eventually {
            http.get("/runs/$key/tasks/ship/log").text.contains('the server restarted: waiting again for approval')
        }

        then: 'the approvers hear of it now: without it nobody would, and the run waited out its deadline'
        Http.eventually { told(http, key).count { it.payload.toString().contains('waits for approval') } == 1 }

        when: 'it restarts once more and is cancelled: its message is queued after any the reopened gate would have made'
        stop(true)
        http = start()
        Http.eventually {
            http.get("/runs/$key/tasks/ship/log").text.count('the server restarted: waiting again for approval') == 2
        }
        http.delete("/runs/$key")
        awaitEnd(http, key)
        Http.eventually { told(http, key).any { it.payload.toString().contains('was cancelled') } }

        then: 'told once in all'
        told(http, key).count { it.payload.toString().contains('waits for approval') } == 1
    }

    /** The store as a kill leaves it between a task's gate being saved and its messages being queued. */
    private void untell(String key, String task) {
        def db = io.stoker.server.db.Database.open(dir.resolve('data'), null)
        try {
            db.connection().withCloseable { c ->
                c.prepareStatement('UPDATE task_states SET approval_told = FALSE WHERE name = ? AND run_id = '
                        + '(SELECT id FROM runs WHERE run_key = ?)').withCloseable {
                    it.setString(1, task)
                    it.setString(2, key)
                    assert it.executeUpdate() == 1
                }
                c.prepareStatement("DELETE FROM deliveries WHERE run_key = ? AND kind = 'ntfy'").withCloseable {
                    it.setString(1, key)
                    assert it.executeUpdate() == 1
                }
            }
        } finally {
            db.close()
        }
    }

    /** The ntfy messages the outbox holds for run {@code key}. */
    private static List<Map> told(Http http, String key) {
        http.get("/runs/$key/deliveries").json.deliveries.findAll { it.kind == 'ntfy' } as List<Map>
    }

    private Http start() {
        Path data = dir.resolve('data')
        boolean first = !Files.exists(data)
        Files.createDirectories(dir.resolve('counts'))
        server = ServerProcess.start(data)
        def http = Http.loggedIn(server.url)
        if (first) {
            assert http.post('/projects', [name: 'shop', jobfile: JOBFILE.replace('$COUNTS', dir.resolve('counts').toString())
                    .replace('$NOBODY', nobody.port as String)]).status == 201
        }
        http
    }

    /** SIGTERM (a clean stop) or SIGKILL, and waits until the process is gone. */
    private void stop(boolean clean) {
        if (clean) {
            server.process.destroy()
            assert server.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
        } else {
            server.kill()
        }
        server = null
    }

    /** How often each task's step ran, by the lines it appended outside the workspace. */
    private Map<String, Integer> counts() {
        dir.resolve('counts').toFile().listFiles().collectEntries { [(it.name): it.readLines().size()] }
    }

    private static Map awaitWaiting(Http http, String key) {
        Http.eventually {
            def run = http.get("/runs/$key").json
            run.tasks.ship.status == 'waiting' && run.tasks.ship.approval?.status == 'waiting' ? run : null
        }
    }

    private static Map awaitEnd(Http http, String key) {
        Http.eventually {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? run : null
        }
    }
}

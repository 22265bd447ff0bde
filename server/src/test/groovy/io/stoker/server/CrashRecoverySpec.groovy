package io.stoker.server

import io.stoker.server.outbox.Receiver
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * Kills a real server JVM with SIGKILL at many seeded moments while runs are queued, running and finishing, and
 * starts it again on the same data each time: a run the API reported finished never changes afterwards, and a run
 * that was going at the kill is failed with a closing log line, never run again (its side effect is counted), and
 * every run's end is queued for its status webhook exactly once.
 *
 * {@code -Dstoker.crash.rounds=N -Dstoker.crash.seed=S} set the rounds and the seed ({@code scripts/crash-check}
 * runs many more).
 */
class CrashRecoverySpec extends Specification {
    static final Set<String> FINAL = ['succeeded', 'failed', 'cancelled', 'timedout'] as Set

    @TempDir Path dir
    ServerProcess server
    Receiver receiver = new Receiver()

    def cleanup() {
        server?.kill()
        receiver.close()
    }

    def "killed at any moment, the server never rewrites a finished run and never runs an interrupted one twice"() {
        given:
        int rounds = Integer.getInteger('stoker.crash.rounds', 6)
        long seed = Long.getLong('stoker.crash.seed', 20261123L)
        def random = new Random(seed)
        Path data = dir.resolve('data')
        Path effects = Files.createDirectories(dir.resolve('effects'))
        receiver.up()
        server = ServerProcess.start(data)
        Http http = Http.loggedIn(server.url)
        String token = http.token
        // each run appends its key once to its own file: two lines mean it ran twice
        String jobfile = """
job('churn') {
  task('effect') { sh 'echo \$STOKER_RUN >> $effects/\$STOKER_RUN; sleep 0.\$(( \$(date +%N) % 3 ))' }
  task('after') { needs 'effect'; sh 'echo done' }
}""".toString()
        // the first Jobfile a fresh server JVM compiles can hit the compile time limit on a loaded machine: ask again
        Http.eventually(120_000) {
            def r = http.post('/projects', [name: 'crash', jobfile: jobfile])
            r.status == 201 ? r : null
        }
        Map<String, Map> finished = [:]     // key → the run as the API first reported it finished
        Set<String> triggered = []
        Map<String, Integer> answeredIn = [:] // key → the round whose kill followed the answer
        Set<String> failedByRestart = []

        when:
        rounds.times { round ->
            long killAt = System.currentTimeMillis() + 100 + random.nextInt(500)
            int burst = 1 + random.nextInt(3)
            burst.times {
                String key = http.post('/projects/crash/jobs/churn/runs?queue=true', [webhooks: [status: receiver.url()]]).json.key
                triggered << key
                answeredIn[key] = round
            }
            while (System.currentTimeMillis() < killAt) {
                for (run in http.get('/runs?project=crash&pageSize=500').json.runs) {
                    if (run.status in FINAL && !finished.containsKey(run.key)) {
                        finished[run.key] = http.get("/runs/$run.key").json
                    }
                }
            }
            server.kill()
            server = ServerProcess.start(data)
            http = new Http(server.url, token)
            for (run in http.get('/runs?project=crash&pageSize=500').json.runs) {
                if (run.reason == 'server restarted') failedByRestart << (run.key as String)
            }
            finished.each { key, before ->
                def now = http.get("/runs/$key").json
                assert now == before, "round $round (seed $seed): run $key changed after the restart: was $before, now $now"
            }
        }
        def all = Http.eventually(60_000) {
            def runs = http.get('/runs?project=crash&pageSize=500').json.runs
            runs.every { it.status in FINAL } ? runs : null
        }

        then: 'no answered trigger was lost, every run ran its side effect at most once, none is left going'
        (triggered - (all*.key as Set)).collect { "$it (answered in round ${answeredIn[it]})" } == []
        triggered.every { key ->
            Path f = effects.resolve(key)
            !Files.exists(f) || Files.readAllLines(f).size() == 1
        }

        and: 'each run queued its end for its status webhook once, whenever the kill came (before or after it was told)'
        Http.eventually(30_000) {
            all.every { run -> http.get("/runs/$run.key/deliveries").json.deliveries.any { it.payload.status in FINAL } }
        }
        all.findAll { run ->
            http.get("/runs/$run.key/deliveries").json.deliveries.count { it.payload.status in FINAL } != 1
        }*.key == []

        and: 'an interrupted run failed, and its interrupted task log says why in its last line'
        failedByRestart.every { key ->
            def run = http.get("/runs/$key").json
            run.status == 'failed' && run.tasks.values().every { it.status != 'running' && it.status != 'pending' }
        }
        // the tasks that were running at the kill are failed with that reason (a task that had already finished
        // keeps its own ending, and tasks not started yet are cancelled)
        failedByRestart.every { key ->
            def interrupted = http.get("/runs/$key").json.tasks.findAll { name, t ->
                t.status == 'failed' && t.reason == 'server restarted' }.keySet()
            interrupted.every { task ->
                def last = http.get("/runs/$key/tasks/$task/log").text.readLines().last()
                assert last.contains('server restarted'), "run $key task $task ends with: $last"
                true
            }
        }

        cleanup:
        println "crash check: $rounds kills (seed $seed), ${triggered.size()} runs, ${finished.size()} seen finished " +
                "before a kill, ${failedByRestart.size()} failed by a restart"
    }

    def "a task the kill interrupted does not run on after the restart, and its run ends when the server was last seen alive"() {
        given: 'a run whose task records its PID, then works for minutes'
        Path data = dir.resolve('data')
        server = ServerProcess.start(data)
        Http http = Http.loggedIn(server.url)
        String token = http.token
        def (String key, long pid) = holdingRun(http, '')

        when: 'the server is killed (the task, in a session of its own, outlives it) and started again'
        server.kill()
        Instant killed = Instant.now()
        assert ProcessHandle.of(pid).map { it.alive }.orElse(false)
        server = ServerProcess.start(data)
        http = new Http(server.url, token)

        then: 'the new process stops that task, and the run is failed as interrupted'
        Http.eventually(30_000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        def run = http.get("/runs/$key").json
        with(run) {
            status == 'failed'
            reason == 'server restarted'
        }

        and: "it ended by the killed server's last sign of life (set every few seconds), not when the new one started"
        Instant started = Instant.parse(run.startedAt as String)
        Instant ended = Instant.parse(run.finishedAt as String)
        !ended.isBefore(started) && !ended.isAfter(killed)
        with(run.tasks.hold) { // its start may not have been saved before the kill: then it has none
            startedAt == null || !Instant.parse(finishedAt as String).isBefore(Instant.parse(startedAt as String))
            !Instant.parse(finishedAt as String).isAfter(killed)
        }

        cleanup:
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    def "a log that passed its cap before the kill says it was truncated, as a finished capped log does"() {
        given: 'a task whose log passed a 4 KiB cap, then works for minutes'
        Path data = dir.resolve('data')
        server = ServerProcess.start(data, [STOKER_MAX_TASK_LOG_BYTES: '4096'])
        Http http = Http.loggedIn(server.url)
        String token = http.token
        def (String key, long pid) = holdingRun(http, 'seq 1 2000; ')
        // the head (the cap less a quarter kept for the tail) is full to within a line (of about 30 bytes): the output
        // went on past it, so the rest is in the server's memory, to be written when the task ends
        Http.eventually { http.get("/runs/$key/tasks/hold/log").bytes.length > 3072 - 60 }

        when: 'the server is killed with the rest of the log in its memory, and started again'
        server.kill()
        server = ServerProcess.start(data, [STOKER_MAX_TASK_LOG_BYTES: '4096'])
        http = new Http(server.url, token)
        Http.eventually(30_000) { http.get("/runs/$key").json.status == 'failed' }
        List<String> lines = http.get("/runs/$key/tasks/hold/log").text.readLines()

        then: 'its first lines, then the truncation line naming the cap, then why it stops there'
        lines[0].endsWith(' out 1')
        int notice = lines.findIndexOf { it.contains(' system log truncated: this task\'s log passed its limit of 4096 bytes') }
        notice > 0
        lines[notice].contains('the server stopped before the task ended')
        lines.findIndexOf { it.contains('server restarted: the run was interrupted here') } > notice

        cleanup:
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    /**
     * Starts a run whose task runs {@code first}, records its PID, then works for minutes; returns the run's key and
     * that PID once it is recorded.
     */
    private List holdingRun(Http http, String first) {
        Path pidFile = dir.resolve('task.pid')
        Http.eventually(120_000) {
            def r = http.post('/projects', [name: 'hold', jobfile: """
                job('long') { task('hold') { sh '${first}echo \$\$ > $pidFile; exec sleep 300' } }
            """.toString()])
            r.status == 201 ? r : null
        }
        String key = http.post('/projects/hold/jobs/long/runs', [:]).json.key
        Http.eventually { Files.exists(pidFile) && pidFile.text.trim() }
        [key, pidFile.text.trim() as long]
    }
}

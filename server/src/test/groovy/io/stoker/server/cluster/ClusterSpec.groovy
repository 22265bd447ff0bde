package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.server.auth.OpenStream
import io.stoker.server.outbox.Receiver
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Three real servers (JVMs of their own) on one PostgreSQL database made for the spec and one shared data directory:
 * a load of runs of a small DAG triggered round-robin across them, one server killed with SIGKILL mid-load, and every
 * run accounted for exactly once; a cron tick fires once across the three. With two, a running run names the server
 * holding it whichever server is asked.
 */
@Requires({ TestPostgres.available() })
class ClusterSpec extends Specification {
    static final int RUNS = Integer.getInteger('stoker.test.clusterRuns', 48)

    @TempDir Path dataDir
    @TempDir Path scratch
    TestPostgres pg = MigratedPostgres.create()
    List<ServerJvm> servers = []

    def cleanup() {
        servers.each { it.close() }
        pg.close()
    }

    ServerJvm start(String lease = '3s') {
        // the trigger log lines say which server queued a cron tick's run and which found it queued already; the
        // outbox's, each failed delivery attempt and when it is retried (kept in target/server-jvm-logs)
        Path logback = scratch.resolve('logback.xml')
        if (!Files.exists(logback)) {
            logback.text = '''<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%level %logger{0} - %msg%n</pattern></encoder></appender>
  <logger name="io.stoker.server.trigger.StartedRun" level="INFO"/>
  <logger name="io.stoker.server.cluster" level="INFO"/>
  <logger name="io.stoker.server.run.RunRecovery" level="INFO"/>
  <logger name="io.stoker.server.outbox" level="INFO"/>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>'''
        }
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Xshare:auto', "-Dlogback.configurationFile=$logback".toString()],
                [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process', STOKER_CLUSTER_LEASE: lease])
    }

    def "runs triggered round-robin on three servers are each run once, and the runs of a killed server are taken over"() {
        given: 'one server makes the admin, then two more join on the same database and data directory'
        servers.addAll(ServerJvm.startCluster(3) { start() })
        Path effects = scratch.resolve('effects.txt')
        Files.createFile(effects)
        String tasks = """
            task('a') { sh 'sleep 2' }  // long enough that a run the victim holds is still running when the kill lands
            task('b') { needs 'a'; sh 'sleep 0.2' }
            task('c') { needs 'a'; sh 'sleep 0.2' }
            task('d') { needs 'b', 'c'; sh 'echo \$STOKER_RUN >> $effects' }
        """
        def made = servers[0].http.post('/projects', [name: 'clu', jobfile: """
            job('dag') { $tasks }
            job('again') { retryOnRestart true; $tasks }
            job('tick') { triggers { cron '* * * * *' }; task('t') { sh 'true' } }
        """.toString()])
        assert made.status == 201, made.text

        expect: 'each lists the three of them'
        Http.eventually {
            servers.every { s -> s.http.get('/cluster').json.servers.count { it.alive } == 3 }
        }

        and: 'an access token signed by one server is taken by the others (they share jwt.key)'
        def login = servers[0].http.anonymous().post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])
        servers[1..2].every { it.http.withToken(login.json.token as String).get('/me').status == 200 }

        when: 'runs are triggered round-robin, and the second server is killed once it holds running runs'
        ServerJvm victim = servers[1]
        String victimId = servers[0].http.get('/cluster').json.servers.find { it.address == victim.url() }.id
        List<String> keys = []
        Map<String, String> jobOf = [:]
        boolean killed = false
        for (int i = 0; i < RUNS; i++) {
            def alive = killed ? [servers[0], servers[2]] : servers
            String job = i % 2 == 0 ? 'dag' : 'again'
            def reply = alive[i % alive.size()].http.post("/projects/clu/jobs/$job/runs", [:])
            assert reply.status == 201, reply.text
            keys << (reply.json.key as String)
            jobOf[reply.json.key as String] = job
            if (!killed && i >= RUNS / 3) {
                def held = victim.http.get('/cluster').json.servers.find { it.id == victimId }.runsHeld
                if (held > 0) {
                    victim.process.destroyForcibly() // SIGKILL: no shutdown hook, no goodbye
                    assert victim.process.waitFor(30, TimeUnit.SECONDS)
                    killed = true
                }
            }
        }
        assert killed, 'the server to kill never held a running run'
        Map<String, Map> ended = [:]
        Http.eventually(60_000) {
            keys.findAll { !ended[it] }.each { k ->
                def run = servers[0].http.get("/runs/$k").json
                if (run.status in ['succeeded', 'failed', 'cancelled', 'timedout']) ended[k] = run
            }
            ended.size() == keys.size()
        }
        def listed = servers[2].http.get('/runs?project=clu&pageSize=500').json.runs.findAll { it.job != 'tick' }
        def lines = effects.readLines().findAll()
        def lost = keys.findAll { ended[it].status != 'succeeded' }
        println "cluster: ${keys.size()} runs on 3 servers, ${lost.size()} failed with the killed server $victimId"

        then: 'every triggered run is stored once, and nothing else was run'
        listed*.key.sort() == keys.sort()

        and: 'run numbers are unique per job and have no gaps'
        ['dag', 'again'].every { j ->
            listed.findAll { it.job == j }*.number.sort() == (1..keys.count { jobOf[it] == j }).toList()
        }

        and: 'a run either succeeded, with its last task run once, or was held by the killed server and failed as lost'
        lost.every { jobOf[it] == 'dag' && ended[it].status == 'failed' && ended[it].reason == "server $victimId lost" }
        keys.findAll { jobOf[it] == 'dag' && ended[it].status == 'succeeded' }.every { k -> lines.count { it == k } == 1 }
        lines.every { jobOf[it] != null }

        and: 'the killed server held runs that were taken over: failed as lost, or interrupted and queued again'
        lost || keys.findAll { jobOf[it] == 'again' }.any { k ->
            ['a', 'b', 'c', 'd'].any { t -> servers[0].http.get("/runs/$k/tasks/$t/log").text.contains("server $victimId lost") }
        }

        and: 'runs of the job that retries on restart were queued again and all succeeded (a task the kill cut short ran again)'
        keys.findAll { jobOf[it] == 'again' }.every { k -> ended[k].status == 'succeeded' && lines.count { it == k } >= 1 }

        and: 'the killed server is no longer alive and holds nothing'
        Http.eventually {
            def victimRow = servers[0].http.get('/cluster').json.servers.find { it.id == victimId }
            victimRow == null || (!victimRow.alive && victimRow.runsHeld == 0)
        }

        when: 'the next minute boundary passes'
        def tick = Http.eventually(75_000) {
            servers[0].http.get('/runs?project=clu&job=tick&pageSize=50').json.runs.find { it.trigger == 'cron' }
        }
        String at = servers[0].http.get("/runs/$tick.key").json.metadata.cron.scheduledAt

        then: 'its cron tick fired once across the servers (the run row of a firing is unique, so no later one can be added)'
        servers[0].http.get('/runs?project=clu&job=tick&pageSize=50').json.runs.count { r ->
            r.trigger == 'cron' && servers[0].http.get("/runs/$r.key").json.metadata.cron.scheduledAt == at
        } == 1
    }

    def "a server that could not renew its lease in time stops the run another server took over, and leaves its end alone"() {
        given: 'two servers; a run whose task records its PID and then prints a tick every 50 ms for minutes'
        servers.addAll(ServerJvm.startCluster(2) { start() })
        def (String key, long pid) = longRun(servers[0], 'lease',
                'i=0; while [ $i -lt 6000 ]; do i=$((i+1)); echo tick $i; sleep 0.05; done')
        def holder = Http.eventually {
            def held = servers[0].http.get('/cluster').json.servers.find { it.runsHeld > 0 }
            held ? servers.find { it.url() == held.address } : null
        }
        def other = servers.find { it != holder }

        when: 'the holder is paused (SIGSTOP) past its 3 s lease, the other server fails the run as lost, then the holder resumes'
        signal(holder, 'STOP')
        def failed = Http.eventually(30_000) {
            def run = other.http.get("/runs/$key").json
            run.status == 'failed' ? run : null
        }
        Instant resumed = Instant.now() // the holder, frozen until now, reads what the task printed meanwhile from now on
        signal(holder, 'CONT')

        then: 'the resumed server kills the task it was still running, and the run stays as the other server ended it'
        failed.reason.endsWith(' lost')
        Http.eventually(30_000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        Http.eventually { other.http.get("/runs/$key/tasks/hold/log").text.contains('another server took it over') }
        String log = other.http.get("/runs/$key/tasks/hold/log").text
        log.count('another server took it over') == 1

        and: 'what the task printed while its server was paused, read once it resumed, is not added to the run ended as lost'
        // (a line the holder read before the pause but wrote after it may follow the takeover's line: it is dated
        // before the pause, within the lease the holder still had)
        log.contains('tick 1\n')
        log.readLines().findAll { it.contains(' out tick ') }.every { Instant.parse(it.substring(0, it.indexOf(' '))) < resumed }
        with(other.http.get("/runs/$key").json) {
            status == 'failed'
            reason == failed.reason
        }

        cleanup: 'the task is a process of this spec: it must not outlive a failed feature'
        if (holder) signal(holder, 'CONT')
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    def "a server killed and started again on the same machine takes over its predecessor's runs at once, not after the lease"() {
        given: 'a server with a two-minute lease, running a task that works for minutes'
        servers << start('120s')
        def (String key, long pid) = longRun(servers[0], 'crash')
        String firstId = servers[0].http.get('/cluster').json.servers.find { it.address == servers[0].url() }.id

        when: 'it is killed (SIGKILL: no goodbye, its lease still runs for two minutes) and started again'
        Instant killed = Instant.now() // its last heartbeat is at or before this
        servers[0].process.destroyForcibly()
        assert servers[0].process.waitFor(30, TimeUnit.SECONDS)
        servers << start('120s')
        def restarted = servers[1]

        then: 'the new process finds the old one gone and fails its run as lost within seconds'
        def failed = Http.eventually(30_000) {
            def run = restarted.http.get("/runs/$key").json
            run.status == 'failed' ? run : null
        }
        failed.reason == "server $firstId lost"

        and: "it ends at the dead server's last heartbeat, before the kill, not when it was taken over (never before it started)"
        Instant started = Instant.parse(failed.startedAt as String)
        Instant ended = Instant.parse(failed.finishedAt as String)
        !ended.isAfter(killed) && !ended.isBefore(started)
        with(failed.tasks.hold) {
            !Instant.parse(finishedAt as String).isAfter(killed)
            !Instant.parse(finishedAt as String).isBefore(Instant.parse(startedAt as String))
        }

        and: 'the dead server is no longer listed, and the task it left running on this machine is stopped'
        restarted.http.get('/cluster').json.servers*.id.every { it != firstId }
        Http.eventually(30_000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }

        cleanup: 'the task is a process of this spec'
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    def "a running run names its server, the same through either server, and names none once it ended"() {
        given: 'two servers, and a job whose task waits for a gate file'
        servers.addAll(ServerJvm.startCluster(2) { start(ClusterLeases.STEADY) }) // no takeover here
        Path gate = scratch.resolve('gate')
        def made = servers[0].http.post('/projects', [name: 'where', jobfile: """job('wait') {
  task('t') { sh 'n=0; while [ ! -f "$gate" ] && [ \$n -lt 1200 ]; do sleep 0.05; n=\$((n+1)); done' }
}""".toString()])
        assert made.status == 201, made.text

        when: 'a run is going on one of them'
        String key = servers[0].http.post('/projects/where/jobs/wait/runs', [:]).json.key
        Http.eventually { servers[0].http.get("/runs/$key").json.status == 'running' }
        def held = Http.eventually { servers[0].http.get('/cluster').json.servers.find { it.runsHeld > 0 } }
        ServerJvm holder = servers.find { it.url() == held.address }

        then: 'each server names the holder by the id and address GET /cluster lists it with'
        holder != null
        servers.every { s -> s.http.get("/runs/$key").json.server == [id: held.id, address: held.address] }
        servers.every { s -> s.http.get('/projects/where/jobs/wait/runs/1').json.server == [id: held.id, address: held.address] }

        and: 'the server at that address is the one of that id'
        holder.http.get('/cluster').json.self == held.id

        when: 'the gate opens and the run ends'
        gate.text = 'go'
        Http.eventually { servers[1].http.get("/runs/$key").json.status == 'succeeded' }

        then: 'neither server names a server for it any more'
        servers.every { s -> !s.http.get("/runs/$key").json.containsKey('server') }

        cleanup:
        gate.text = 'go'
    }

    def "a run's end that a killed server had not told is told once by the server that finds it gone"() {
        given: 'a receiver, and a server whose run ended and told it so'
        def receiver = new Receiver().up()
        servers << start('120s')
        def made = servers[0].http.post('/projects', [name: 'told', jobfile: "job('build') { task('t') { sh 'true' } }"])
        assert made.status == 201, made.text
        def r = servers[0].http.post('/projects/told/jobs/build/runs', [webhooks: [status: receiver.url()]])
        assert r.status == 201, r.text
        String key = r.json.key
        toldOnce(receiver, servers[0], key, 'succeeded')
        Http.eventually { servers[0].http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }

        when: 'it is killed, the store left as a kill between the end being saved and being told leaves it'
        servers[0].process.destroyForcibly()
        assert servers[0].process.waitFor(30, TimeUnit.SECONDS)
        pg.connection().withCloseable { c ->
            c.createStatement().withCloseable { st ->
                assert st.executeUpdate("UPDATE runs SET end_told = 0 WHERE run_key = '$key'") == 1
                assert st.executeUpdate("DELETE FROM deliveries WHERE run_key = '$key' AND payload LIKE '%\"succeeded\"%'") == 1
            }
        }
        receiver.got.clear()

        and: 'another server starts on this machine (it finds the killed one gone at once)'
        servers << start('120s')

        then: 'it tells the end the killed server had not, once'
        toldOnce(receiver, servers[1], key, 'succeeded', 30_000)
        Http.eventually { servers[1].http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        servers[1].http.get("/runs/$key/deliveries").json.deliveries*.payload*.status == ['queued', 'running', 'succeeded']

        cleanup:
        receiver?.close()
    }

    /**
     * Waits until {@code receiver} got one {@code status} webhook of run {@code key}; if it does not, fails saying
     * what {@code server} has of the run and its deliveries (whether it started, ended, queued the webhook).
     */
    private static void toldOnce(Receiver receiver, ServerJvm server, String key, String status, long millis = 20_000) {
        try {
            Http.eventually(millis) { receiver.got.count { it.json.status == status } == 1 }
        } catch (AssertionError e) {
            throw new AssertionError("no single '$status' webhook of run $key came (got " + receiver.got*.json*.status +
                    "); the run: " + server.http.get("/runs/$key").text + "; its deliveries: " +
                    server.http.get("/runs/$key/deliveries").text, e)
        }
    }

    /** Triggers, in a new project, a run whose task records its PID and then works for minutes; its key and that PID. */
    private List longRun(ServerJvm server, String project, String work = 'exec sleep 300') {
        Path pidFile = scratch.resolve("${project}.pid")
        def made = server.http.post('/projects', [name: project, jobfile: """
            job('long') { task('hold') { sh 'echo \$\$ > $pidFile; $work' } }
        """.toString()])
        assert made.status == 201, made.text
        String key = server.http.post("/projects/$project/jobs/long/runs", [:]).json.key
        Http.eventually { Files.exists(pidFile) && pidFile.text.trim() }
        // the task's start is stored with the run's next save, a moment after its process began: a kill before it
        // would leave a task that ran without a stored start, which the features do not set out to test
        Http.eventually { server.http.get("/runs/$key").json.tasks.hold.startedAt }
        [key, pidFile.text.trim() as long]
    }

    private static void signal(ServerJvm server, String name) {
        def kill = new ProcessBuilder('kill', "-$name".toString(), server.process.pid() as String).inheritIO().start()
        assert kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0
    }

    def "a task stopped by its server's clean stop says in its log that another server takes the run over, which it does"() {
        given:
        servers.addAll(ServerJvm.startCluster(2) { start() })
        def http = servers[0].http
        assert http.post('/projects', [name: 'st', jobfile: "job('long') { task('t') { sh 'echo started; sleep 120' } }"]).status == 201
        String key = http.post('/projects/st/jobs/long/runs', [:]).json.key
        Http.eventually { http.get("/runs/$key/tasks/t/log").text.contains('started') }
        def (held, holder, other) = holderAndOther(http)

        when: 'the server running the task stops cleanly'
        holder.process.destroy()
        assert holder.process.waitFor(30, TimeUnit.SECONDS)

        then: 'the other server takes the run over'
        def run = Http.eventually { def r = other.http.get("/runs/$key").json; r.status == 'failed' ? r : null }
        run.reason == "server ${held.id} lost"

        and: "the stopped task's log said so, not that the run ends when that server starts again"
        def log = other.http.get("/runs/$key/tasks/t/log").text
        log.contains("the server ${held.id} is stopping: this task's processes were stopped; another server of the " +
                "cluster takes the run over at its next heartbeat (failed \"server ${held.id} lost\"")
        !log.contains('the run is ended when the server starts again')
    }

    def "a run taken over from a killed server tells its end on /events: the task it cut short, then the run, dated as stored"() {
        given: 'two servers, each watched on /events, and a run of two tasks working on one of them'
        servers.addAll(ServerJvm.startCluster(2) { start() })
        def streams = servers.collectEntries { [(it): OpenStream.open(it.http, '/events', [accept: 'text/event-stream'])] }
        def http = servers[0].http
        assert http.post('/projects', [name: 'told', jobfile: """
            job('long') {
              task('hold') { sh 'echo started; sleep 120' }
              task('after') { needs 'hold'; sh 'true' }
            }""".toString()]).status == 201
        String key = http.post('/projects/told/jobs/long/runs', [:]).json.key
        Http.eventually { http.get("/runs/$key").json.tasks.hold.startedAt }
        def (held, holder, other) = holderAndOther(http)

        when: 'the server running it is killed, and the other takes the run over'
        holder.process.destroyForcibly()
        assert holder.process.waitFor(30, TimeUnit.SECONDS)
        def run = Http.eventually(60_000) { def r = other.http.get("/runs/$key").json; r.status == 'failed' ? r : null }
        def told = Http.eventually(30_000) {
            def mine = streams[other].events().findAll { it.run == key }
            mine.any { it.type == 'run' && it.status == 'failed' } ? mine : null
        }
        def end = told.findIndexOf { it.type == 'run' && it.status == 'failed' }

        then: 'the watcher of the other server heard the cut task fail and the waiting one end, before the run'
        def hold = told.findIndexOf { it.type == 'task' && it.task == 'hold' && it.status == 'failed' }
        def after = told.findIndexOf { it.type == 'task' && it.task == 'after' && it.status == run.tasks.after.status }
        hold >= 0 && hold < end
        after >= 0 && after < end
        run.tasks.hold.status == 'failed'

        and: 'the run event is dated as the run stored its end'
        Instant.parse(told[end].time as String) == Instant.parse(run.finishedAt as String)

        cleanup:
        streams?.values()*.close()
    }

    /** Of two servers, the one holding the only running run (as GET /cluster lists it), that server, and the other. */
    private List holderAndOther(Http http) {
        Map held = Http.eventually { http.get('/cluster').json.servers.find { it.runsHeld > 0 } }
        ServerJvm holder = servers.find { it.url() == held.address }
        [held, holder, servers.find { it != holder }]
    }
}

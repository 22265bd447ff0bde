package io.stoker.server.metrics

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** {@code GET /metrics} speaks Prometheus: runs counted and timed by project, job and status, behind a token. */
class MetricsSpec extends ServerSpecification {
    static final String JOBFILE = '''
job('build') {
  task('compile') { sh 'echo compiling; echo done' }
}
job('broken') {
  task('boom') { sh 'echo breaking; exit 3' }
}
'''

    @TempDir Path publicData

    def "a run and a failed run show up in the run counter and the duration histograms with their labels"() {
        given:
        freestyle('metered', JOBFILE)

        when:
        assert awaitEnd(trigger('metered', 'build')).status == 'succeeded'
        assert awaitEnd(trigger('metered', 'broken')).status == 'failed'
        // the end event follows the stored status: wait until the counter has it
        Map<String, Double> m = Http.eventually {
            def s = samples(scrape(http).text)
            s[key('stoker_runs_total', project: 'metered', job: 'broken', status: 'failed')] == 1d ? s : null
        }

        then:
        m[key('stoker_runs_total', project: 'metered', job: 'build', status: 'succeeded')] == 1d
        m[key('stoker_run_duration_seconds_count', project: 'metered', job: 'build', status: 'succeeded')] == 1d
        m[key('stoker_run_duration_seconds_bucket', project: 'metered', job: 'build', status: 'succeeded', le: '+Inf')] == 1d
        m[key('stoker_run_duration_seconds_sum', project: 'metered', job: 'build', status: 'succeeded')] > 0d
        m[key('stoker_run_duration_seconds_count', project: 'metered', job: 'broken', status: 'failed')] == 1d
        m[key('stoker_task_duration_seconds_count', project: 'metered', job: 'build', task: 'compile', status: 'succeeded')] == 1d
        m[key('stoker_task_duration_seconds_count', project: 'metered', job: 'broken', task: 'boom', status: 'failed')] == 1d
        m[key('stoker_queue_wait_seconds_count', project: 'metered', job: 'build')] == 1d

        and: 'the gauges and counters read at scrape time'
        m[key('stoker_slots_capacity')] == 4d
        m[key('stoker_queue_length')] == 0d
        m[key('stoker_agents_online')] == 0d
        m[key('stoker_agent_executors_busy')] == 0d
        m[key('stoker_agent_executors_capacity')] == 0d
        m[key('stoker_log_written_bytes_total')] > 0d
        m[key('stoker_compile_cache_misses_total')] >= 1d
        m.containsKey(key('stoker_compile_cache_hits_total'))

        and: 'the JVM and the process'
        m.keySet().any { it.startsWith('jvm_memory_used_bytes{') }
        m.containsKey(key('process_cpu_usage'))
        m.containsKey(key('process_uptime_seconds'))
        m.containsKey(key('system_cpus'))

        and: 'the slot of the ended runs is free again'
        Http.eventually { samples(scrape(http).text)[key('stoker_slots_busy')] == 0d }
    }

    def "outbox attempts are counted by kind and outcome"() {
        given: 'a receiver that accepts status webhooks'
        def received = new java.util.concurrent.atomic.AtomicInteger()
        def receiver = io.vertx.core.Vertx.vertx()
        def hook = receiver.createHttpServer().requestHandler { req ->
            req.body().onComplete { received.incrementAndGet(); req.response().setStatusCode(204).end() }
        }.listen(0, '127.0.0.1').await()
        freestyle('told', JOBFILE)

        when:
        def run = trigger('told', 'build', [webhooks: [status: "http://127.0.0.1:${hook.actualPort()}/hook".toString()]])
        assert awaitEnd(run).status == 'succeeded'

        then: 'each accepted status POST is one delivered attempt of kind status'
        Http.eventually {
            received.get() >= 1 && samples(scrape(http).text)[key('stoker_delivery_attempts_total', kind: 'status',
                    outcome: 'delivered')] == received.get() as double
        }

        cleanup:
        receiver?.close()
    }

    def "the scrape is in the text format promtool accepts"() {
        given:
        freestyle('linted', JOBFILE)
        assert awaitEnd(trigger('linted', 'build')).status == 'succeeded'
        def reply = scrape(http)
        def promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find { new File(it).canExecute() }
        if (promtool == null) println 'MetricsSpec: promtool is not installed (apt-get install prometheus); skipping its check'

        expect:
        reply.status == 200
        reply.header('content-type').startsWith('text/plain; version=0.0.4')
        promtool == null || promtoolCheck(promtool, reply.text) == [exit: 0, output: '']
    }

    def "an anonymous scrape is refused with a 401 unless the server runs with metricsPublic"() {
        when:
        def anon = scrape(http.anonymous())
        def forged = scrape(http.withToken('not-a-token'))

        then:
        anon.status == 401
        anon.json.error instanceof String
        forged.status == 401

        when:
        StokerServer open = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(publicData).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withMetricsPublic(true)))
        def reply
        try {
            reply = scrape(new Http(open.url()))
        } finally {
            open.close()
        }

        then:
        reply.status == 200
        samples(reply.text)[key('stoker_slots_capacity')] == 1d
    }

    static Http.Reply scrape(Http client) {
        client.get('/metrics')
    }

    /** Each sample line as {@code name{a="x",b="y"}} (labels sorted) to its value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = [:]
        text.eachLine { String line ->
            if (line.startsWith('#') || line.isBlank()) return
            def m = line =~ /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/
            if (!m.matches()) throw new AssertionError("not a sample line: $line")
            Map<String, String> labels = [:]
            if (m.group(2)) (m.group(2) =~ /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/).each { all, k, v -> labels[k] = v }
            out[key(labels, m.group(1))] = m.group(3) == '+Inf' ? Double.POSITIVE_INFINITY : m.group(3) as double
        }
        out
    }

    static String key(Map<String, String> labels = [:], String name) {
        labels ? name + '{' + labels.sort().collect { k, v -> "$k=\"$v\"" }.join(',') + '}' : name
    }

    static Map promtoolCheck(String promtool, String text) {
        def p = new ProcessBuilder(promtool, 'check', 'metrics').redirectErrorStream(true).start()
        p.outputStream.withCloseable { it.write(text.getBytes('UTF-8')) }
        def output = p.inputStream.text
        assert p.waitFor(60, TimeUnit.SECONDS), 'promtool did not end'
        [exit: p.exitValue(), output: output.trim()]
    }
}

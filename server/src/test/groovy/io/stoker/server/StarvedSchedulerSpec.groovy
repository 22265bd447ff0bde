package io.stoker.server

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Runs once stayed "running" with no task started: blocking pipe reads of the idle pre-started Jobfile compiler
 * JVMs held every carrier of the virtual-thread scheduler, so the runs' own threads never ran. Here the server JVM
 * gets a scheduler of a single carrier (what a busy server's pinned carriers left), idle compiler JVMs waiting, and
 * eight followers of a long log; a run triggered then must still start and finish.
 */
class StarvedSchedulerSpec extends Specification {
    @TempDir Path dir

    def "with one virtual-thread carrier, idle compiler JVMs and eight log followers, a new run still starts at once"() {
        given: 'a server whose virtual-thread scheduler has one carrier, compiling Jobfiles in worker JVMs'
        def gate = dir.resolve('gate')
        def server = ServerJvm.start(dir.resolve('data'),
                ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Djdk.virtualThreadScheduler.parallelism=1',
                 '-Djdk.virtualThreadScheduler.maxPoolSize=1'],
                [STOKER_SLOTS: '2', STOKER_COMPILER: 'isolated', STOKER_STALLED_RUN_AFTER: '3s'])
        def http = server.http
        String jobfile = """
job('long') {
  task('talk') {
    sh 'n=0; while [ ! -f $gate ] && [ \$n -lt 1200 ]; do echo "line \$n of a long log"; sleep 0.05; n=\$((n+1)); done'
  }
}
job('quick') {
  task('t') { sh 'echo quick' }
}
"""
        // the first Jobfile a fresh server compiles goes to a cold worker JVM: the compile's time limit counts from
        // when that JVM is up (WorkerProcess), so a loaded machine's slow start no longer refuses it
        def created = http.post('/projects', [name: 'starve', jobfile: jobfile])
        assert created.status == 201, created.text
        String longKey = http.post('/projects/starve/jobs/long/runs', [:]).json.key
        Http.eventually { http.get("/runs/$longKey/tasks/talk/log").text.contains('line 3 ') }

        and: 'eight clients follow its log'
        def pool = Executors.newFixedThreadPool(8)
        def follows = (1..8).collect { pool.submit({ http.stream("/runs/$longKey/log?follow=true", [:]) { } } as java.util.concurrent.Callable) }

        when: 'another run is triggered'
        long t0 = System.nanoTime()
        String quickKey = http.post('/projects/starve/jobs/quick/runs', [:]).json.key

        then: 'it starts and finishes promptly'
        Http.eventually(30_000) { http.get("/runs/$quickKey").json.status == 'succeeded' }
        println "starved scheduler: the quick run finished ${(System.nanoTime() - t0).intdiv(1_000_000)} ms after its trigger"
        http.get("/runs/$quickKey/tasks/t/log").text.contains('quick')

        and: 'the followers end with the long run'
        when:
        gate.toFile().text = 'go'
        then:
        follows.every { it.get(60, TimeUnit.SECONDS) == 200 }
        Http.eventually { http.get("/runs/$longKey").json.status == 'succeeded' }
        !server.output.any { it.contains('none of its tasks has started') }

        cleanup:
        gate.toFile().text = 'go'
        pool?.shutdownNow()
        server?.close()
    }
}

package io.stoker.server

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * Every event of a run is published after the state it reports was saved: whenever an event arrives (read at once
 * or after a seeded random pause), {@code GET /runs/KEY} already shows that state or a later one, and a run's end
 * event is exactly what {@code GET} says from then on.
 */
class EventsAgreeWithRunsSpec extends ServerSpecification {
    static final List<String> RUN_ORDER = ['queued', 'running']
    static final List<String> TASK_ORDER = ['pending', 'queued', 'running']

    def "events and GET /runs/KEY never disagree, read at random moments"() {
        given: 'jobs with parallel, failing, retried and skipped tasks'
        freestyle('agree', '''
job('mixed') {
  task('a') { sh 'echo a' }
  task('b') { sh 'echo b; exit 0' }
  task('c') { needs 'a', 'b'; retry 2; sh 'test -f retried || { touch retried; exit 1; }' }
  task('d') { needs 'c'; sh 'exit 3' }
  task('e') { needs 'd'; sh 'echo never' }
}
job('quick') {
  task('one') { sh 'true' }
}''')
        def random = new Random(Long.getLong('stoker.agree.seed', 1123L))
        def events = new LinkedBlockingQueue<Map>()
        def request = HttpRequest.newBuilder(URI.create(http.base + '/api/v1/events'))
                .header('Authorization', 'Bearer ' + http.token).timeout(Duration.ofMinutes(5)).GET().build()
        def response = http.client.send(request, HttpResponse.BodyHandlers.ofLines())
        def lines = response.body()
        Thread.startDaemon {
            try {
                lines.forEach { line -> if (line.startsWith('data: ')) events << Http.parse(line.substring(6)) }
            } catch (ignored) {
                // closed at the end
            }
        }

        when: 'runs go while every event of them is checked against GET'
        Set<String> keys = ([1, 2, 3].collect { trigger('agree', 'mixed') } + (1..6).collect { trigger('agree', 'quick') }) as Set
        def disagreements = new ConcurrentLinkedQueue<String>()
        Set<String> ended = []
        long deadline = System.currentTimeMillis() + 60_000 * Http.TIMEOUT_FACTOR
        int checked = 0
        while (ended.size() < keys.size() && System.currentTimeMillis() < deadline) {
            Map e = events.poll(1, TimeUnit.SECONDS)
            if (e == null || !(e.run in keys)) continue
            if (random.nextInt(3) == 0) Thread.sleep(random.nextInt(30))
            Map run = http.get("/runs/$e.run").json
            checked++
            if (e.type == 'run') {
                if (e.status in RUN_ORDER) {
                    if (run.status in RUN_ORDER && RUN_ORDER.indexOf(run.status) < RUN_ORDER.indexOf(e.status)) {
                        disagreements << "run $e.run: event $e.status, GET $run.status"
                    }
                } else {
                    if (run.status != e.status) disagreements << "run $e.run: event $e.status, GET $run.status"
                    ended << (e.run as String)
                }
            } else {
                Map task = run.tasks[e.task]
                boolean behind = e.status in TASK_ORDER
                        ? task.status in TASK_ORDER && TASK_ORDER.indexOf(task.status) < TASK_ORDER.indexOf(e.status)
                        : task.status != e.status && task.attempts <= e.attempt
                if (behind || task.attempts < e.attempt) {
                    disagreements << "run $e.run task $e.task: event $e.status (attempt $e.attempt), GET $task.status (attempt $task.attempts)"
                }
            }
        }

        then: 'every run ended, and no GET was behind an event it followed'
        ended == keys
        disagreements.isEmpty()
        checked > 50

        cleanup:
        lines?.close()
    }
}

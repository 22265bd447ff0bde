package io.stoker.server

/** The persistent queue with one executor slot: busy jobs, queued runs, cancels. */
class QueueSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('single') {
  concurrency 1
  task('wait') {
    sh 'echo started; while [ ! -f "$STOKER_WORKSPACE_GATE" ]; do sleep 0.05; done; echo released'
  }
}
job('slow') {
  task('sleep') { sh 'echo sleeping; sleep 30' }
}
job('quick') {
  task('t') { sh 'echo quick' }
}
'''

    @Override
    int slots() {
        1
    }

    def setupSpec() {
        // the gate is a file outside the workspace, named by the job's own env so the spec can release the run
        freestyle('queue', JOBFILE.replace('$STOKER_WORKSPACE_GATE', dataDir.resolve('gate').toString()))
    }

    def cleanup() {
        dataDir.resolve('gate').toFile().delete()
    }

    def "a job with concurrency 1 answers 409 busy while it runs, and ?queue=true queues the run"() {
        given:
        String first = trigger('queue', 'single')
        Http.eventually { http.get("/runs/$first/tasks/wait/log").text.contains('started') }

        when:
        def busy = http.post('/projects/queue/jobs/single/runs', [:])

        then:
        busy.status == 409
        busy.json.error == 'busy'
        busy.json.details == ['concurrency: 1', 'active: 1'] // for clients: no need to read the message

        when:
        def queued = http.post('/projects/queue/jobs/single/runs?queue=true', [:])

        then:
        queued.status == 201
        queued.json.status == 'queued'
        http.get("/runs/${queued.json.key}").json.status == 'queued'
        http.get('/runs?project=queue&job=single&status=queued').json.runs*.key == [queued.json.key]

        when: 'the first run ends'
        dataDir.resolve('gate').toFile().text = 'go'

        then: 'the queued one starts in its turn and succeeds'
        awaitEnd(first).status == 'succeeded'
        awaitEnd(queued.json.key).status == 'succeeded'
        http.get("/runs/${queued.json.key}").json.number == http.get("/runs/$first").json.number + 1
    }

    def "a running run is cancelled, a queued one never starts, a finished one cannot be cancelled"() {
        given: 'the only slot is taken by a slow run, so the quick one waits'
        String slow = trigger('queue', 'slow')
        Http.eventually { http.get("/runs/$slow/tasks/sleep/log").text.contains('sleeping') }
        String waiting = trigger('queue', 'quick')

        def follower = Thread.start { http.stream("/runs/$waiting/tasks/t/log?follow=true", [:]) { } }

        expect:
        http.get("/runs/$waiting").json.status == 'queued'

        when:
        def cancelQueued = http.delete("/runs/$waiting")
        follower.join(15_000 * Http.TIMEOUT_FACTOR)

        then: 'it is cancelled, and a follower of its never-written log is let go'
        cancelQueued.status == 202
        cancelQueued.json.status == 'cancelled'
        !follower.alive
        with(http.get("/runs/$waiting").json) {
            status == 'cancelled'
            tasks.t.status == 'cancelled'
            startedAt == null
        }

        when:
        def cancelRunning = http.delete("/runs/$slow")
        def ended = awaitEnd(slow)

        then:
        cancelRunning.status == 202
        cancelRunning.json.status == 'cancelling'
        ended.status == 'cancelled'
        ended.tasks.sleep.status == 'cancelled'

        when:
        def again = http.delete("/runs/$slow")

        then:
        again.status == 422
        again.json.details == ['status: cancelled']

        and: 'the slot is free again'
        awaitEnd(trigger('queue', 'quick')).status == 'succeeded'
    }

    def "runs are listed newest first with filters and pages"() {
        given:
        def keys = (1..3).collect { trigger('queue', 'quick') }
        keys.each { awaitEnd(it) }

        when:
        def page1 = http.get('/runs?project=queue&job=quick&pageSize=2&page=1').json
        def page2 = http.get('/runs?project=queue&job=quick&pageSize=2&page=2').json

        then:
        page1.total >= 3
        page1.runs.size() == 2
        page1.runs*.key == keys.reverse().take(2)
        page2.runs[0].key == keys[0]
        page1.runs.every { it.job == 'quick' && it.tasks == null }
        http.get('/runs?project=nothing').json.total == 0
    }

    def "jobs list every job with its last status, and a job shows its graph"() {
        when:
        def jobs = http.get('/jobs').json.findAll { it.project == 'queue' }
        def job = http.get('/projects/queue/jobs/single').json

        then:
        jobs*.name == ['single', 'slow', 'quick']
        jobs.find { it.name == 'quick' }.lastStatus == 'succeeded'
        job.concurrency == 1
        job.graph.tasks*.name == ['wait']
        job.graph.edges == []
    }
}

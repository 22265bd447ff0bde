package io.stoker.server

/**
 * The dispatcher reads the queue a page at a time ({@code RunDispatcher}): a run that can start is found however many
 * runs wait ahead of it that cannot.
 */
class QueuePagesSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('single') {
  concurrency 1
  task('wait') {
    sh 'echo started; while [ ! -f "$STOKER_WORKSPACE_GATE" ]; do sleep 0.05; done'
  }
}
job('quick') {
  task('t') { sh 'echo quick' }
}
'''

    @Override
    int slots() {
        2
    }

    def setupSpec() {
        freestyle('pages', JOBFILE.replace('$STOKER_WORKSPACE_GATE', dataDir.resolve('gate').toString()))
    }

    def "a run queued behind more held-back runs than a page starts in the free slot"() {
        given: 'a run of a concurrency-1 job holds one of the two slots, and 40 more runs of it wait behind it'
        String first = trigger('pages', 'single')
        Http.eventually { http.get("/runs/$first/tasks/wait/log").text.contains('started') }
        List<String> held = (1..40).collect { trigger('pages', 'single', [:], '?queue=true') }

        when: 'a run of another job is queued behind them'
        String quick = trigger('pages', 'quick', [:], '?queue=true')

        then: 'it runs in the free slot while the held runs still wait'
        awaitEnd(quick).status == 'succeeded'
        held.every { http.get("/runs/$it").json.status == 'queued' }

        when: 'the held job is let go'
        dataDir.resolve('gate').toFile().text = 'go'

        then: 'its runs follow one at a time'
        ([first] + held).every { awaitEnd(it).status == 'succeeded' }
    }
}

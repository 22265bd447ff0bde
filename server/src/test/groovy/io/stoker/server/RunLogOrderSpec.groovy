package io.stoker.server

/**
 * The combined log of a run that has ended reads task by task, in the job's order, whether followed or not; a
 * follower that comes while a task waits at its approval gate gets that task's lines too.
 */
class RunLogOrderSpec extends ServerSpecification {

    def "following a finished run's log gives each task's lines together, in the job's order"() {
        given: 'two tasks that wrote their lines at the same time'
        freestyle('order', '''
job('both') {
  task('a') { sh 'for i in $(seq 1 300); do echo "a $i"; done' }
  task('b') { sh 'for i in $(seq 1 300); do echo "b $i"; done' }
}''')
        def key = trigger('order', 'both')
        assert awaitEnd(key).status == 'succeeded'

        when:
        def followed = []
        http.stream("/runs/$key/log?follow=true", [:]) { followed << it }
        def whole = http.get("/runs/$key/log").text.readLines()

        then: 'no interleaving: every [a] line comes before every [b] line'
        def tasks = followed.collect { it.substring(1, 2) }
        tasks.count('a') == 301
        tasks.count('b') == 301
        tasks.indexOf('b') == tasks.lastIndexOf('a') + 1
        followed == whole
    }

    def "a follower that comes while a task waits for approval gets the gate, the decision and the task's lines"() {
        given: 'a run stopped at the gate of its second task'
        freestyle('gate', """
job('ship') {
  task('build') { sh 'echo built' }
  task('prod') { needs 'build'; approval 'Ship it?'; sh 'echo shipping' }
  task('after') { needs 'prod'; sh 'echo after' }
}""")
        def key = trigger('gate', 'ship')
        Http.eventually { http.get("/runs/$key").json.tasks.prod.status == 'waiting' }

        when: "the whole log and the gated task's log are followed from then on, and the gate is approved"
        def whole = new java.util.concurrent.CopyOnWriteArrayList<String>()
        def gated = new java.util.concurrent.CopyOnWriteArrayList<String>()
        def readers = [Thread.start { http.stream("/runs/$key/log?follow=true", [:]) { whole << it } },
                       Thread.start { http.stream("/runs/$key/tasks/prod/log?follow=true", [:]) { gated << it } }]
        Http.eventually { whole.any { it.contains('built') } && gated.any { it.contains('Ship it?') } }
        assert http.post("/runs/$key/tasks/prod/approve", [:]).status == 200
        readers*.join(60_000)

        then: "both followers got the gated task's lines to its end, and the whole log the task after it"
        !readers.any { it.alive }
        awaitEnd(key).status == 'succeeded'
        gated.any { it.contains('shipping') }
        gated == http.get("/runs/$key/tasks/prod/log").text.readLines()
        whole.any { it.startsWith('[prod]') && it.contains('shipping') }
        whole.any { it.startsWith('[after]') && it.contains('after') }
    }
}

package io.stoker.server

/** The combined log of a run that has ended reads task by task, in the job's order, whether followed or not. */
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
}

package io.stoker.server

import spock.lang.Shared
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

/**
 * A {@code trigger} step that waits holds no executor slot while the run it started goes on: on a server with one
 * slot the triggered run gets that slot (it used to wait in the queue for ever behind the run waiting for it), and a
 * later step of the task takes a slot again.
 */
@Timeout(120)
class TriggerStepSlotSpec extends ServerSpecification {
    @Shared Path gates

    def setupSpec() {
        gates = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-gates'))
    }

    @Override
    int slots() {
        1
    }

    /** A child job whose task waits (at most 60 s) for a gate file the spec creates. */
    static String child(Path gate) {
        """
job('child') {
  task('c') { sh 'i=0; while [ ! -e "$gate" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i+1)); done; echo child ran' }
}"""
    }


    Map childRun(String project, String state) {
        try {
            Http.eventually {
                (http.get("/runs?project=$project&job=child").json.runs as List<Map>).find { it.status == state }
            }
        } catch (AssertionError e) { // what a failure needs to be understood
            println "no $state child run of $project; the server's runs and executors:"
            (http.get('/runs?pageSize=50').json.runs as List<Map>).each {
                println "  $it.key $it.project/$it.job $it.status ${it.reason ?: ''}"
            }
            println "  executors: ${http.get('/executors').text}"
            throw e
        }
    }

    def "with one slot, a run that waits for the run it triggered leaves it the slot, and both succeed"() {
        given:
        freestyle('one', """
job('parent') { task('call') { trigger 'child' } }
""" + child(Files.createFile(gates.resolve('one'))))

        when:
        String parent = trigger('one', 'parent')

        then:
        awaitEnd(parent).status == 'succeeded'
        def c = childRun('one', 'succeeded')
        log(c.key as String, 'c').contains('child ran')
        log(parent, 'call').contains("child run ${c.key} succeeded")
    }

    def "a task's sh steps around a waiting trigger run before and after the triggered run, in a slot each time"() {
        given:
        freestyle('mixed', """
job('parent') {
  task('call') {
    sh 'echo before'
    trigger 'child'
    sh 'echo after'
  }
  task('next') { needs 'call'; sh 'echo next' }
}
""" + child(Files.createFile(gates.resolve('mixed'))))

        when:
        def run = awaitEnd(trigger('mixed', 'parent'))

        then:
        run.status == 'succeeded'
        run.tasks.next.status == 'succeeded'
        def c = childRun('mixed', 'succeeded')
        def lines = log(run.key as String, 'call').readLines()
        def before = lines.findIndexOf { it.endsWith('before') }
        def ended = lines.findIndexOf { it.contains("child run ${c.key} succeeded") }
        def after = lines.findIndexOf { it.endsWith('after') }
        before >= 0 && before < ended && ended < after
    }

    def "while it waits, the executors list shows the triggered run's task on the slot and the waiting task as waiting"() {
        given:
        Path gate = gates.resolve('shown')
        freestyle('shown', """
job('parent') { task('call') { trigger 'child' } }
""" + child(gate))
        String parent = trigger('shown', 'parent')
        Map c = childRun('shown', 'running')

        when: 'a view shows both (the task rows are stored as their events come, so one view may show one before the other)'
        Map local = Http.eventually {
            Map l = http.get('/executors').json.local as Map
            (l.tasks as List).any { it.run == c.key } && (l.waiting as List).any { it.run == parent } ? l : null
        }

        then:
        local.executors == 1
        (local.tasks as List<Map>).collect { "${it.run}/${it.task}" } == ["${c.key}/c"]
        (local.waiting as List<Map>).collect { "${it.run}/${it.task}" } == ["${parent}/call"]

        when:
        Files.createFile(gate)

        then:
        awaitEnd(parent).status == 'succeeded'
        (http.get('/executors').json.local.tasks as List).isEmpty()

        cleanup: 'a failed check must not leave the child holding the only slot for the features after it'
        if (!Files.exists(gate)) Files.createFile(gate)
    }

    def "cancelling the waiting run with one slot cancels the run it triggered, and the slot is free again"() {
        given:
        freestyle('stop', """
job('parent') { task('call') { trigger 'child' } }
job('other') { task('o') { sh 'echo other ran' } }
""" + child(gates.resolve('stop')))
        String parent = trigger('stop', 'parent')
        Map c = childRun('stop', 'running')

        when:
        def reply = http.delete("/runs/$parent")

        then:
        reply.status == 202
        awaitEnd(parent).status == 'cancelled'
        awaitEnd(c.key as String).status == 'cancelled'
        awaitEnd(trigger('stop', 'other')).status == 'succeeded'
    }
}

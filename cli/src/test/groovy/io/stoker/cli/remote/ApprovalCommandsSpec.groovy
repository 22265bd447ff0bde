package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.cli.CliRun
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Path

/** {@code stoker approve} and {@code stoker reject} against a real server started in process. */
class ApprovalCommandsSpec extends RemoteCliSpecification {

    static final String JOBFILE = '''
job('deploy') {
  task('ship') {
    approval 'Deploy to prod?', approvers: ['rita']
    sh 'echo shipped'
  }
  task('announce') { needs 'ship'; sh 'echo announced' }
}
'''

    @Shared @TempDir Path work
    @Shared String dave

    def setupSpec() {
        server.auth().users().create('admin', 'dave', 'a-long-enough-password', io.stoker.server.auth.Role.DEVELOPER)
        dave = server.auth().createApiToken('dave', 'spec', null).token()
        Path f = work.resolve('Jobfile')
        f.text = JOBFILE
        assert stoker('project', 'add', 'shop', '--jobfile', f).exit == 0
        assert stoker('project', 'add', 'shop2', '--jobfile', f).exit == 0
        def member = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(server.url() + '/api/v1/projects/shop/members/dave')).header('Authorization', 'Bearer ' + token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        assert member.statusCode() < 300: member.body()
    }

    /** The CLI against the shared server with {@code apiToken}: the admin's or dave's. */
    CliRun stokerAs(String apiToken, Object... args) {
        CliRun.of(*args, '--server', server.url(), '--token', apiToken)
    }

    Map status(String key) {
        new ObjectMapper().readValue(stoker('status', key, '--json').out, Map)
    }

    String waitingRun(String project = 'shop') {
        def trigger = stoker('trigger', "$project/deploy")
        assert trigger.exit == 0: trigger.err
        String key = (trigger.out =~ /run ([a-z2-7]{26}) /)[0][1]
        RemoteCommandsSpec.eventually { status(key).tasks.ship.status == 'waiting' }
        key
    }

    def "approve lets the waiting task run, and says so in one line"() {
        given:
        def key = waitingRun()

        when:
        def approve = stoker('approve', key, 'ship', '--comment', 'go')

        then:
        approve.exit == 0
        approve.out.trim() == "task ship of run $key approved by admin (it runs now)"
        RemoteCommandsSpec.eventually { status(key).status == 'succeeded' }
        status(key).tasks.ship.approval.comment == 'go'
    }

    def "reject fails the task; the run is named as PROJECT/JOB#N"() {
        given:
        def key = waitingRun('shop2')

        when:
        def reject = stoker('reject', 'shop2/deploy#1', 'ship', '-m', 'not today')

        then:
        reject.exit == 0
        reject.out.trim() == "task ship of run $key rejected by admin (it fails; tasks that need it are skipped)"
        RemoteCommandsSpec.eventually { status(key).status == 'failed' }
        status(key).tasks.announce.status == 'skipped'
    }

    def "approve without a task decides the one task waiting at a gate; a run with none waiting is refused in one line"() {
        given:
        def key = waitingRun()

        when:
        def approve = stoker('approve', key)

        then:
        approve.exit == 0
        approve.out.trim() == "task ship of run $key approved by admin (it runs now)"
        RemoteCommandsSpec.eventually { status(key).status == 'succeeded' }

        when: 'nothing waits any more'
        def again = stoker('reject', key)

        then:
        again.exit == 2
        again.err.readLines()[0] == "stoker: run $key has no task waiting at an approval gate (stoker status $key shows its gates)"
    }

    def "status of a run waiting at a gate shows the question, who may decide until when, and how to decide"() {
        given:
        def key = waitingRun()
        String deadline = java.time.Instant.parse(status(key).tasks.ship.approval.deadline).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) // to the second, as every instant the CLI shows

        when:
        def shown = stoker('status', key)

        then:
        shown.exit == 0
        shown.out.contains("""approvals:
  ship: Deploy to prod?
    waiting for one of: rita (or an admin); rejected if undecided by $deadline
    stoker approve $key ship   |   stoker reject $key ship
""")

        when: 'once decided, it says who decided'
        assert stoker('reject', key, 'ship', '--comment', 'not today').exit == 0
        RemoteCommandsSpec.eventually { status(key).status == 'failed' }
        String decidedAt = java.time.Instant.parse(status(key).tasks.ship.approval.decidedAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)

        then:
        stoker('status', key).out.contains("""  ship: Deploy to prod?
    rejected by admin at $decidedAt: not today
""")
    }

    def "status of a cancelled run says who cancelled it and when, as its JSON does"() {
        given:
        def key = waitingRun()

        when:
        assert stokerAs(dave, 'cancel', key).exit == 0
        RemoteCommandsSpec.eventually { status(key).status == 'cancelled' }
        def json = status(key)

        then:
        json.cancelledBy == 'dave'
        json.cancelledAt != null
        stoker('status', key).out.contains("  cancelled:  by dave at ${java.time.Instant.parse(json.cancelledAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)}\n")
    }

    def "refusals are one line with exit 2: #why"() {
        given:
        def key = waitingRun()

        when:
        def r = stokerAs(who == 'dave' ? dave : token, verb, key, task)

        then:
        r.exit == 2
        r.err.readLines()[0] == line.replace('KEY', key)
        !r.err.contains('Exception')

        cleanup:
        stoker('cancel', key)

        where:
        why                  | who     | verb      | task    | line
        'not an approver'    | 'dave'  | 'approve' | 'ship'  | "stoker: you are not among the approvers of task 'ship' (approvers: rita)"
        'not waiting'        | 'admin' | 'approve' | 'announce' | "stoker: task 'announce' of run KEY is not waiting for approval (it is pending)"
        'no such task'       | 'admin' | 'reject'  | 'nope'  | "stoker: no task 'nope' in run KEY"
    }
}

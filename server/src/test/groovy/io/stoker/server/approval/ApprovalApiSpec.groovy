package io.stoker.server.approval

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.api.ReplySchemas
import spock.lang.Shared

/**
 * Approval gates over HTTP: a gated run waits without holding the only slot; only approvers (and admins) decide,
 * once; the decision is in the run's task record and the audit log.
 */
class ApprovalApiSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'
    static final String JOBFILE = '''\
job('deploy') {
  task('build') { sh 'true' }
  task('ship') {
    needs 'build'
    approval 'Deploy to prod?', approvers: ['rita'], timeout: '1h'
    sh 'echo shipped'
  }
  task('announce') { needs 'ship'; sh 'true' }
}
job('quick') {
  task('t') { sh 'true' }
}
'''

    @Shared Http rita
    @Shared Http dave
    @Shared Http vera

    @Override
    int slots() {
        1
    }

    def setupSpec() {
        ['rita': 'developer', 'dave': 'developer', 'vera': 'viewer'].each { name, role ->
            assert http.post('/users', [username: name, password: PW, role: role]).status == 201
        }
        freestyle('shop', JOBFILE)
        ['rita', 'dave'].each { assert http.put("/projects/shop/members/$it", null).status in [200, 201, 204] }
        rita = Http.loggedIn(server.url(), 'rita', PW)
        dave = Http.loggedIn(server.url(), 'dave', PW)
        vera = Http.loggedIn(server.url(), 'vera', PW)
    }

    Map awaitWaiting(String key) {
        Http.eventually {
            def run = http.get("/runs/$key").json
            run.tasks.ship.status == 'waiting' ? run : null
        }
    }

    def "a gated run waits at its task, shows the question, and holds no slot: another run goes meanwhile"() {
        when:
        def key = trigger('shop', 'deploy')
        def run = awaitWaiting(key)

        then:
        run.status == 'running'
        run.tasks.build.status == 'succeeded'
        with(run.tasks.ship.approval) {
            question == 'Deploy to prod?'
            approvers == ['rita']
            status == 'waiting'
            deadline != null
            decidedBy == null
        }

        when: 'the server has one slot and the gated run is parked'
        def other = awaitEnd(trigger('shop', 'quick'))

        then:
        other.status == 'succeeded'
        http.get("/runs/$key").json.tasks.ship.status == 'waiting'

        cleanup:
        http.delete("/runs/$key")
        awaitEnd(key)
    }

    def "only an approver or an admin decides: #who gets #status"() {
        given:
        def key = trigger('shop', 'deploy')
        awaitWaiting(key)

        when:
        def r = [dave: dave, vera: vera].get(who).post("/runs/$key/tasks/ship/approve", [:])

        then:
        r.status == 403
        r.json.error == 'forbidden'
        r.json.message.contains(message)
        http.get("/runs/$key").json.tasks.ship.status == 'waiting'

        cleanup:
        http.delete("/runs/$key")
        awaitEnd(key)

        where:
        who    | status | message
        'dave' | 403    | "you are not among the approvers of task 'ship'"
        'vera' | 403    | 'this needs the developer role'
    }

    def "an approver approves with a comment: the task runs, the decision is in the task record and the audit log"() {
        given:
        def key = trigger('shop', 'deploy')
        awaitWaiting(key)

        when:
        def r = rita.post("/runs/$key/tasks/ship/approve", [comment: 'ship it'])

        then:
        r.status == 200
        r.json == [run: key, task: 'ship', decision: 'approved', decidedBy: 'rita', comment: 'ship it']
        ReplySchemas.problems('POST', '/runs/{key}/tasks/{task}/approve', 200, r.text) == []

        when:
        def run = awaitEnd(key)

        then:
        run.status == 'succeeded'
        run.tasks.announce.status == 'succeeded'
        with(run.tasks.ship.approval) {
            status == 'approved'
            decidedBy == 'rita'
            decidedAt != null
            comment == 'ship it'
        }
        def entry = http.get('/audit?action=approval.approved').json.find { it.action == 'approval.approved' && it.target == "$key/ship" }
        entry.actor == 'rita'
        entry.detail.comment == 'ship it'
        entry.detail.question == 'Deploy to prod?'

        and: 'a decided gate is not waiting any more'
        with(rita.post("/runs/$key/tasks/ship/approve", [:])) {
            status == 409
            json.error == 'not waiting'
            json.message.contains("is not waiting for approval (it succeeded)")
        }
        rita.post("/runs/$key/tasks/build/reject", [:]).status == 409
        rita.post("/runs/$key/tasks/nope/approve", [:]).status == 404
    }

    def "an admin rejects: the task fails, what needs it is skipped, the run fails, the audit log says who"() {
        given:
        def key = trigger('shop', 'deploy')
        awaitWaiting(key)

        when:
        def r = http.post("/runs/$key/tasks/ship/reject", [comment: 'not today'])
        def run = awaitEnd(key)

        then:
        r.status == 200
        r.json.decision == 'rejected'
        ReplySchemas.problems('POST', '/runs/{key}/tasks/{task}/reject', 200, r.text) == []
        run.status == 'failed'
        run.tasks.ship.status == 'failed'
        run.tasks.ship.reason == 'rejected by admin: not today'
        run.tasks.ship.approval.status == 'rejected'
        run.tasks.announce.status == 'skipped'
        http.get('/audit?action=approval.rejected').json.any { it.action == 'approval.rejected' && it.actor == 'admin' && it.target == "$key/ship" }
    }

    def "a rejection with the longest comment allowed still ends the run, its reason cut to fit"() {
        given:
        def key = trigger('shop', 'deploy')
        awaitWaiting(key)
        String comment = 'x' * 2000

        when:
        def r = http.post("/runs/$key/tasks/ship/reject", [comment: comment])
        def run = awaitEnd(key)

        then: 'the run failed instead of staying running with a save that never went through'
        r.status == 200
        run.status == 'failed'
        run.tasks.ship.status == 'failed'
        run.tasks.ship.reason.startsWith('rejected by admin: xxx')
        run.tasks.ship.reason.endsWith('…')
        run.tasks.ship.reason.length() == 2000
        run.tasks.ship.approval.comment == comment
    }

    def "a body other than an optional comment is refused"() {
        given:
        def key = trigger('shop', 'deploy')
        awaitWaiting(key)

        expect:
        rita.post("/runs/$key/tasks/ship/approve", [comment: 3]).status == 400
        rita.post("/runs/$key/tasks/ship/approve", [why: 'x']).status == 400
        rita.post("/runs/$key/tasks/ship/approve", [comment: 'x' * 2001]).status == 422

        and: 'a comment becomes a log line: one that would forge more lines, or colour the terminal, is refused'
        ["ok\napproved by rita: ok", 'red \u001b[31malert', "tab\there"].every { String forged ->
            def r = rita.post("/runs/$key/tasks/ship/approve", [comment: forged])
            r.status == 422 && r.json.message == 'the comment is one line of text' &&
                    r.json.details == ['comment: no line breaks, tabs or other control characters']
        }
        http.get("/runs/$key").json.tasks.ship.status == 'waiting'

        cleanup:
        http.delete("/runs/$key")
        awaitEnd(key)
    }
}

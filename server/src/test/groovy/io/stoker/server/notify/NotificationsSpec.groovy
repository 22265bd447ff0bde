package io.stoker.server.notify

import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import com.icegreen.greenmail.util.GreenMail
import com.icegreen.greenmail.util.GreenMailUtil
import com.icegreen.greenmail.util.ServerSetup
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.api.ReplySchemas
import io.stoker.server.outbox.Receiver
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.time.Instant

/**
 * A Jobfile's notify blocks end to end: a real SMTP server (GreenMail) receives the mail, a receiver on 127.0.0.1
 * checks the ntfy publish and the Slack-compatible JSON, the Jobfile's status webhook joins the run's, and secret
 * values appear in no payload. Everything goes through the outbox: an SMTP server that is down costs the run
 * nothing and gets the mail once it is up.
 */
class NotificationsSpec extends Specification {
    static final String SECRET = 'hunter2-very-secret-value'
    static final Map<String, String> FAST = SuiteEnv.with([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '300ms',
                                             STOKER_OUTBOX_TICK: '50ms', STOKER_OUTBOX_TIMEOUT: SuiteEnv.OUTBOX_TIMEOUT,
                                             // a mail timed out after GreenMail took it is sent again: a second message
                                             STOKER_SMTP_TIMEOUT: "${30 * Http.TIMEOUT_FACTOR}".toString(),
                                             STOKER_SMTP_FROM: 'ci@stoker.example'])

    @TempDir Path dir
    StokerServer server
    Receiver receiver = new Receiver().up()
    Receiver logReceiver = new Receiver().up() // its own: a log stream holds its single thread while the run goes
    GreenMail mail

    def cleanup() {
        server?.close()
        receiver.close()
        logReceiver.close()
        mail?.stop()
    }

    Http start(int smtpPort) {
        server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)), Clock.systemDefaultZone(),
                FAST + [STOKER_SMTP_HOST: '127.0.0.1', STOKER_SMTP_PORT: smtpPort as String])
        Http.loggedIn(server.url())
    }

    GreenMail smtp(int port = 0) {
        mail = new GreenMail(new ServerSetup(port, '127.0.0.1', ServerSetup.PROTOCOL_SMTP).dynamicPort().verbose(false))
        if (port != 0) mail = new GreenMail(new ServerSetup(port, '127.0.0.1', ServerSetup.PROTOCOL_SMTP))
        mail.start()
        mail
    }

    String project(Http http, String jobfile) {
        assert http.post('/projects', [name: 'notes', jobfile: jobfile]).status == 201
        'notes'
    }

    String trigger(Http http, Map body = [:]) {
        def r = http.post('/projects/notes/jobs/build/runs', body)
        assert r.status == 201, r.text
        r.json.key
    }

    Map awaitEnd(Http http, String key) {
        Http.eventually { def r = http.get("/runs/$key").json; r.status in ['succeeded', 'failed', 'cancelled'] ? r : null }
    }

    def "a failed run is told by mail, ntfy and Slack with the job, number, status, failed task, its last 20 lines and the link"() {
        given:
        def greenMail = smtp()
        def http = start(greenMail.smtp.port)
        project(http, """\
job('build') {
  notify {
    email 'team@example.com'
    ntfy '${receiver.url('/stoker-topic')}'
    slack '${receiver.url('/slack')}'
    webhook status: '${receiver.url('/status')}', logs: '${logReceiver.url('/logs')}'
  }
  task('compile') { sh 'echo compiled' }
  task('test') {
    needs 'compile'
    secrets 'TOKEN'
    sh 'for i in \$(seq 1 30); do echo "line \$i"; done; echo "token=\$TOKEN"; exit 3'
  }
}""")
        assert http.post('/secrets', [name: 'TOKEN', value: SECRET, project: 'notes']).status == 201

        when:
        String key = trigger(http)
        def run = awaitEnd(http, key)
        String page = server.url() + '/#/runs/' + key

        then: 'GreenMail receives the mail'
        run.status == 'failed'
        Http.eventually { greenMail.receivedMessages.length == 1 }
        def message = greenMail.receivedMessages[0]
        message.subject == '[stoker] notes/build #1 failed'
        message.from*.toString() == ['ci@stoker.example']
        message.allRecipients*.toString() == ['team@example.com']
        String body = GreenMailUtil.getBody(message).replace('\r\n', '\n')
        body.startsWith('notes/build #1 failed after ')
        body.contains('Status: failed\n')
        body.contains('Failed task: test\n')
        body.contains('  line 30\n') && body.contains('  token=****\n')
        !body.contains('  line 5\n')
        body.readLines().count { it.startsWith('  ') } == 20
        body.contains("Run: $page")

        and: 'ntfy gets a publish with its headers and the text as body'
        Http.eventually { receiver.got.find { it.path == '/stoker-topic' } }
        with(receiver.got.find { it.path == '/stoker-topic' }) {
            method == 'POST'
            headers['title'] == 'notes/build #1 failed'
            headers['priority'] == '4'
            headers['tags'] == 'x,failed'
            headers['click'] == page
            headers['content-type'].startsWith('text/plain')
            body.contains('Failed task: test') && body.contains('line 30')
        }

        and: 'the Slack-compatible webhook gets text and an attachment'
        Http.eventually { receiver.got.find { it.path == '/slack' } }
        with(receiver.got.find { it.path == '/slack' }.json) {
            text == "notes/build #1 failed — <$page|open the run>"
            attachments.size() == 1
            attachments[0].title == 'notes/build #1 failed'
            attachments[0].title_link == page
            attachments[0].color == '#d40e0d'
            attachments[0].text.contains('line 30')
            attachments[0].fields.find { it.title == 'Failed task' }.value == 'test'
            attachments[0].fields.every { it.short == true }
        }

        and: "the Jobfile's status webhook gets every state in the Build-Shuttle shape"
        Http.eventually { receiver.got.count { it.path == '/status' } == 3 }
        receiver.got.findAll { it.path == '/status' }*.json*.status == ['queued', 'running', 'failed']
        receiver.got.find { it.path == '/status' }.json.url == page

        and: "the Jobfile's log webhook gets the run's log streamed, masked"
        Http.eventually { logReceiver.got.find { it.path == '/logs' && it.body.contains('line 30') } }
        logReceiver.got.every { it.method == 'POST' && !it.body.contains(SECRET) }

        and: 'every delivery is listed with its kind, and no payload holds the secret'
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        http.get("/runs/$key/deliveries").json.deliveries*.kind.toSet() == ['status', 'email', 'ntfy', 'slack'].toSet()
        !http.get("/runs/$key/deliveries").text.contains(SECRET)
        http.get("/runs/$key/deliveries").json.logStreams.size() == 1
        ReplySchemas.problems('GET', '/runs/{key}/deliveries', 200, http.get("/runs/$key/deliveries").text) == []
        (receiver.got + logReceiver.got).every { !it.body.contains(SECRET) }
        !GreenMailUtil.getWholeMessage(message).contains(SECRET)
    }

    def "fixed is told only for the first success after a failure of the same job and branch"() {
        given:
        def http = start(new ClosedPort().port)
        project(http, """\
job('build') {
  parameters { bool 'FAIL', defaultValue: false }
  notify { on 'fixed'; slack '${receiver.url('/fixed')}' }
  notify { on 'succeeded', 'failed', 'fixed'; slack '${receiver.url('/all')}' }
  task('t') { sh 'test "\$FAIL" != true' }
}""")

        when: 'success, failure, success, success'
        def keys = [false, true, false, false].collect { fail ->
            String key = trigger(http, [parameters: [FAIL: fail as String]])
            awaitEnd(http, key)
            key
        }

        then: 'each run tells the second block once; a fix is told as fixed, not also as succeeded'
        Http.eventually { receiver.got.count { it.path == '/all' } == 4 }
        // in run order: the outbox keeps a run's messages in order, not the messages of different runs
        receiver.got.findAll { it.path == '/all' }*.json*.attachments*.getAt(0)*.title
                .sort { (it =~ /#(\d+)/)[0][1] as int } ==
                ['notes/build #1 succeeded', 'notes/build #2 failed', 'notes/build #3 is fixed', 'notes/build #4 succeeded']

        and: 'the fixed-only block heard run 3 alone (its message is queued before the other block of the same run)'
        Http.eventually { receiver.got.count { it.path == '/fixed' } == 1 }
        receiver.got.find { it.path == '/fixed' }.json.text.startsWith('notes/build #3 is fixed')
        keys.collect { k -> http.get("/runs/$k/deliveries").json.deliveries.count { it.target.endsWith('/fixed') } } == [0, 0, 1, 0]
    }

    def "an SMTP server that is down does not slow the run, and the mail goes out once it is up"() {
        given: 'the SMTP port refuses connections'
        def closed = new ClosedPort()
        def http = start(closed.port)
        project(http, "job('build') { notify { on 'succeeded'; email 'team@example.com' }; task('t') { sh 'true' } }")

        when:
        String key = trigger(http)
        def run = awaitEnd(http, key)

        then: 'the run ended on its own time while its mail is retried'
        run.status == 'succeeded'
        Http.eventually {
            def d = http.get("/runs/$key/deliveries").json.deliveries.find { it.kind == 'email' }
            d && d.state == 'pending' && d.attempts >= 2 && d.lastError.startsWith('SMTP') ? d : null
        }
        http.get("/runs/$key/deliveries").json.deliveries.find { it.kind == 'email' }.target == 'mailto:team@example.com'

        when: 'the SMTP server comes up on that port'
        closed.close()
        def greenMail = smtp(closed.port)

        then:
        Http.eventually { greenMail.receivedMessages.length == 1 }
        greenMail.receivedMessages[0].subject == '[stoker] notes/build #1 succeeded'
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.find { it.kind == 'email' }.state == 'delivered' }
    }

    def "a run that stops at an approval gate is told as waiting, and its cancel as cancelled"() {
        given:
        def http = start(new ClosedPort().port)
        project(http, """\
job('build') {
  notify { on 'waiting', 'cancelled'; ntfy '${receiver.url('/gate')}' }
  task('deploy') { approval 'Deploy to prod?'; sh 'echo deployed' }
}""")

        when:
        String key = trigger(http)

        then:
        Http.eventually { receiver.got.find { it.path == '/gate' } }
        receiver.got.find { it.path == '/gate' }.headers['title'] == 'notes/build #1 waits for approval of deploy'
        receiver.got.find { it.path == '/gate' }.headers['tags'] == 'raised_hand,running'

        when:
        http.delete("/runs/$key")
        awaitEnd(http, key)

        then:
        Http.eventually { receiver.got.count { it.path == '/gate' } == 2 }
        receiver.got.findAll { it.path == '/gate' }*.headers*.title ==
                ['notes/build #1 waits for approval of deploy', 'notes/build #1 was cancelled']
    }

    def "each gate a run waits at is told in a message of its own naming its task, question, approvers and deadline"() {
        given: 'two tasks that reach their gates at the same time'
        def http = start(new ClosedPort().port)
        project(http, """\
job('build') {
  notify { on 'waiting'; ntfy '${receiver.url('/gates')}'; slack '${receiver.url('/chat')}' }
  task('staging') { approval 'Deploy to staging?', approvers: ['rita'], timeout: '2h'; sh 'true' }
  task('prod') { approval 'Deploy to prod?', approvers: ['admin', 'sam'], timeout: '3h'; sh 'true' }
}""")

        when:
        String key = trigger(http)
        Http.eventually { receiver.got.count { it.path == '/gates' } == 2 && receiver.got.count { it.path == '/chat' } == 2 }
        def gates = http.get("/runs/$key").json.tasks.collectEntries { name, task -> [name, task.approval] }

        then: 'the two messages differ, each saying which gate and what it asks'
        def told = receiver.got.findAll { it.path == '/gates' }.collectEntries { [it.headers['title'], it.body] }
        told.keySet() == ['notes/build #1 waits for approval of staging', 'notes/build #1 waits for approval of prod'] as Set
        def staging = told['notes/build #1 waits for approval of staging'] =~ /Question: Deploy to staging\?\nApprovers: rita\nDecide by: (\S+) \(then it is rejected\)\n/
        def prod = told['notes/build #1 waits for approval of prod'] =~ /Question: Deploy to prod\?\nApprovers: admin, sam\nDecide by: (\S+) \(then it is rejected\)\n/
        staging.find() && sameMillis(staging.group(1), gates.staging.deadline)
        prod.find() && sameMillis(prod.group(1), gates.prod.deadline)

        and: 'the chat message shows them as fields'
        def fields = receiver.got.findAll { it.path == '/chat' }*.json.collectEntries {
            [it.attachments[0].title, it.attachments[0].fields.collectEntries { f -> [f.title, f.value] }]
        }
        fields['notes/build #1 waits for approval of prod'].Question == 'Deploy to prod?'
        fields['notes/build #1 waits for approval of prod'].Approvers == 'admin, sam'
        sameMillis(fields['notes/build #1 waits for approval of staging']['Decide by'], gates.staging.deadline)

        cleanup:
        http?.delete("/runs/$key")
    }

    /** The run's row keeps an instant to the database's precision; the message has the engine's. */
    static boolean sameMillis(String a, String b) {
        java.time.Instant.parse(a).toEpochMilli() == java.time.Instant.parse(b).toEpochMilli()
    }

    def "an ntfy server's rate limit is waited out until its Retry-After, not retried at once nor given up"() {
        given:
        receiver.answer = 429
        receiver.answerHeaders = ['Retry-After': '1200'] // inside the outbox's window of an hour
        def http = start(new ClosedPort().port)
        project(http, """\
job('build') {
  notify { on 'waiting'; ntfy '${receiver.url('/limited')}' }
  task('deploy') { approval 'Deploy?'; sh 'true' }
}""")

        when:
        String key = trigger(http)
        def ntfy = Http.eventually {
            http.get("/runs/$key/deliveries").json.deliveries.find { it.kind == 'ntfy' && it.attempts >= 1 }
        }

        then: 'one attempt, the next one 20 minutes later'
        ntfy.state == 'pending'
        ntfy.attempts == 1
        ntfy.lastError.startsWith('HTTP 429 (rate limited until ')
        Instant.parse(ntfy.nextAttemptAt).isAfter(Instant.now().plusSeconds(1000))
        receiver.got.count { it.path == '/limited' } == 1
    }
}

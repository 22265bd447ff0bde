package io.stoker.server.outbox

import io.stoker.server.Http
import io.stoker.server.api.ReplySchemas

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * Signed status webhooks over real HTTP: a target given with a secret (in the trigger request, or by a Jobfile's
 * {@code notify { webhook status: …, secret: 'NAME' }}) gets {@code x-stoker-signature-256: sha256=<hex HMAC>} of the
 * exact body, which a receiver checks as it checks GitHub's; the secret is shown, logged and stored in clear nowhere.
 */
class SignedStatusWebhooksSpec extends OutboxSpecification {
    static final String SECRET = 'whsec-5b2f-7d1c-signing'

    /** A project whose Jobfile signs its status webhook to the receiver's {@code /jobfile} with secret {@code name}. */
    void signingProject(Http http, String project, String name) {
        assert http.post('/projects', [name: project, jobfile: """\
job('build') {
  notify { webhook status: '${receiver.url('/jobfile')}', secret: '$name' }
  task('t') { sh 'echo built' }
}""".toString()]).status == 201
    }

    /** What a receiver computes, as the README shows it: the HMAC of the body's bytes as they came. */
    static String expected(String secret, String body) {
        def mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(secret.getBytes('UTF-8'), 'HmacSHA256'))
        'sha256=' + mac.doFinal(body.getBytes('UTF-8')).encodeHex().toString()
    }

    /** Every value of {@code column} in {@code table}'s rows of the run, as the database holds them. */
    List<byte[]> stored(String table, String column, String key) {
        server.@db.connection().withCloseable { c ->
            def s = c.prepareStatement("SELECT $column FROM $table WHERE run_key = ?")
            s.setString(1, key)
            def r = s.executeQuery()
            def out = []
            while (r.next()) out << r.getBytes(1)
            out
        }
    }

    def "a signed target's every POST carries a signature of its body that verifies with the secret; an unsigned one has none"() {
        given:
        receiver.up()
        def http = start()

        when: 'a run names one signed and one plain receiver'
        String key = run(http, [metadata: [build: 'ünïcode ✓'], webhooks: [status: [[url: receiver.url('/signed'), secret: SECRET],
                                                                                   receiver.url('/plain')]]])
        awaitEnd(http, key)
        Http.eventually { receiver.got.size() == 6 }
        def signed = receiver.got.findAll { it.path == '/signed' }
        def plain = receiver.got.findAll { it.path == '/plain' }

        then: 'each signed message verifies, over the exact bytes (non-ASCII metadata included), beside its delivery id'
        signed*.json*.status == ['queued', 'running', 'succeeded']
        signed.every { it.headers['x-stoker-signature-256'] == expected(SECRET, it.body) }
        signed.every { it.headers['x-stoker-signature-256'] ==~ /sha256=[0-9a-f]{64}/ && it.headers['x-stoker-delivery'] }
        signed[0].json.id == [build: 'ünïcode ✓']

        and: 'a signature made with another key does not verify'
        signed.every { it.headers['x-stoker-signature-256'] != expected(SECRET + 'x', it.body) }

        and: 'the plain receiver gets the same messages unsigned'
        plain*.json*.status == ['queued', 'running', 'succeeded']
        plain.every { !it.headers.containsKey('x-stoker-signature-256') }

        and: 'the API says which are signed, and shows no secret'
        def deliveries = Http.eventually {
            def d = http.get("/runs/$key/deliveries").json.deliveries
            d.size() == 6 && d.every { it.state == 'delivered' } ? d : null
        }
        deliveries.findAll { it.target == receiver.url('/signed') }*.signed == [true, true, true]
        deliveries.findAll { it.target == receiver.url('/plain') }*.signed == [false, false, false]
        !http.get("/runs/$key/deliveries").text.contains(SECRET)
        !http.get("/runs/$key").text.contains(SECRET)
        ReplySchemas.problems('GET', '/runs/{key}/deliveries', 200, http.get("/runs/$key/deliveries").text) == []

        and: 'the log does not hold it'
        logged.list.every { !it.formattedMessage.contains(SECRET) }

        and: "the rows hold it sealed, not in clear"
        def sealed = stored('deliveries', 'signing_sealed', key).findAll { it != null }
        sealed.size() == 3
        stored('run_webhooks', 'signing_sealed', key).findAll { it != null }.size() == 1
        (sealed + stored('run_webhooks', 'signing_sealed', key).findAll { it != null }).every {
            !new String(it, 'ISO-8859-1').contains(SECRET) && !new String(it, 'ISO-8859-1').contains('signing')
        }

        when: 'the server is closed so the database file is complete'
        server.close()
        server = null

        then: 'the file does not hold it in clear either'
        !new String(dir.resolve('data/db/stoker.mv.db').toFile().bytes, 'ISO-8859-1').contains(SECRET)
    }

    def "a retry sends the same body with the same signature and delivery id"() {
        given: 'a receiver that fails its first answer'
        receiver.answer = 503
        receiver.up()
        def http = start()

        when:
        String key = run(http, [webhooks: [status: [url: receiver.url(), secret: SECRET]]])
        Http.eventually { receiver.got.size() >= 1 }
        receiver.answer = 200
        awaitEnd(http, key)
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.with { d -> d.size() == 3 && d.every { it.state == 'delivered' } } }

        then: 'the first message came twice, alike'
        def first = receiver.got.findAll { it.headers['x-stoker-delivery'] == receiver.got[0].headers['x-stoker-delivery'] }
        first.size() >= 2
        first*.body.toSet().size() == 1
        first*.headers*.getAt('x-stoker-signature-256').toSet() == [expected(SECRET, first[0].body)].toSet()
    }

    def "a malformed status webhook object is refused naming its field: #why"() {
        given:
        def http = start()
        http.post('/projects', [name: 'hooks', jobfile: JOBFILE])

        when:
        def r = http.post('/projects/hooks/jobs/build/runs', [webhooks: [status: status]])

        then:
        r.status == 400
        r.json.message.contains(field)
        !r.text.contains('s3cr3t-value')

        where:
        why                    | status                                                                                 | field
        'an empty secret'      | ['https://a.example/x', [url: 'https://b.example/x', secret: '']]                      | "'webhooks.status[1].secret'"
        'no secret'            | [[url: 'https://b.example/x']]                                                         | "'webhooks.status[0].secret'"
        'a secret not text'    | [[url: 'https://b.example/x', secret: 42]]                                             | "'webhooks.status[0].secret'"
        'no url'               | [[secret: 's3cr3t-value']]                                                             | "'webhooks.status[0].url'"
        'a url not http(s)'    | [[url: 'ftp://b.example/x', secret: 's3cr3t-value']]                                   | "'webhooks.status[0].url'"
        'an unknown field'     | [[url: 'https://b.example/x', secret: 's3cr3t-value', token: 'x']]                     | "'webhooks.status[0].token'"
        'one object, no list'  | [url: 'https://b.example/x', secret: '']                                               | "'webhooks.status.secret'"
        'neither URL nor object' | ['https://a.example/x', 7]                                                           | "'webhooks.status[1]'"
    }

    def "a Jobfile's notify webhook signs with the project's secret of the name it gives"() {
        given:
        receiver.up()
        def http = start()
        signingProject(http, 'signs', 'STATUS_SIGNING')
        assert http.post('/secrets', [name: 'STATUS_SIGNING', value: SECRET, project: 'signs']).status == 201

        when: 'a run is triggered without webhooks of its own'
        String key = run(http, [:], 'signs')
        awaitEnd(http, key)
        Http.eventually { receiver.got.size() == 3 }

        then:
        receiver.got*.json*.status == ['queued', 'running', 'succeeded']
        receiver.got.every { it.headers['x-stoker-signature-256'] == expected(SECRET, it.body) }
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.signed } }
        !http.get("/runs/$key/deliveries").text.contains(SECRET)
        logged.list.every { !it.formattedMessage.contains(SECRET) }
    }

    def "a Jobfile naming a signing secret the project cannot read sends nothing unsigned, and its run says why"() {
        given:
        receiver.up()
        def http = start()
        signingProject(http, 'lacks', 'NOT_THERE')

        when:
        String key = run(http, [webhooks: [status: receiver.url('/request')]], 'lacks')
        def run = awaitEnd(http, key)

        then: 'the run fails to start, naming the secret and what it is for'
        run.status == 'failed'
        run.reason.contains("job 'build' needs the secret NOT_THERE to sign its status webhooks, which project 'lacks' cannot read")
        run.reason.contains('stoker secret set NOT_THERE --project lacks')

        and: 'the request webhook hears the run; the signed one is sent nothing'
        Http.eventually { receiver.got.any { it.json.status == 'failed' } }
        receiver.got*.path.every { it == '/request' }
        logged.list.any { it.formattedMessage.contains("signed with secret 'NOT_THERE', which project 'lacks' cannot read") }
    }
}

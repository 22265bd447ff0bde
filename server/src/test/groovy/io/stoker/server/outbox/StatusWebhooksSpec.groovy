package io.stoker.server.outbox

import io.stoker.server.Http

/**
 * Status webhooks through the durable outbox over real HTTP: a receiver that is down gets every state once it
 * comes up, in order; pending deliveries survive a server restart; credentials in a URL become the Authorization
 * header and never appear in the API, the log or the database file. Backoff is shortened through the environment.
 */
class StatusWebhooksSpec extends OutboxSpecification {

    def "a receiver that is down for a while gets every status of the run in order once it comes up"() {
        given:
        def http = start()

        when: 'a run asks for status webhooks while the receiver refuses connections'
        String key = run(http, [metadata: [build: 42], webhooks: [status: receiver.url()]])
        awaitEnd(http, key)

        then: 'the first delivery is retried, the later ones wait behind it'
        Http.eventually {
            def d = http.get("/runs/$key/deliveries").json.deliveries
            d.size() == 3 && d[0].attempts >= 2 && d[0].state == 'pending' && d[0].lastError ? d : null
        }

        and: 'its error says what happened and where, in words'
        http.get("/runs/$key/deliveries").json.deliveries[0].lastError ==
                "connection refused by 127.0.0.1:${URI.create(receiver.url()).port} (is the receiver running?)".toString()

        when:
        receiver.up()

        then: 'every state arrives once, in order, in the Build-Shuttle shape'
        String page = server.url() + '/#/runs/' + key
        Http.eventually { receiver.got.size() == 3 }
        receiver.got*.json*.status == ['queued', 'running', 'succeeded']
        receiver.got*.json*.building == [true, true, false]
        receiver.got.every { it.method == 'POST' && it.path == '/hook' && it.headers['content-type'] == 'application/json' }
        with(receiver.got[2].json) {
            id == [build: 42]
            type == 'stoker'
            run == key
            job == 'build'
            url == page
        }

        and: 'the deliveries list each attempt'
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.every { it.state == 'delivered' } }
        with(http.get("/runs/$key/deliveries").json.deliveries[0]) {
            history.size() == attempts
            history[0].status == null && history[0].error
            history[-1].status == 200
        }
    }

    def "metadata with objects inside objects and lists comes back as sent, in the run and as the status webhook's id"() {
        given:
        def http = start()
        receiver.up()
        Map sent = [ticket: [id: 7, labels: ['ci', [team: 'web']]], nested: [[a: [b: null]]]]

        when:
        String key = run(http, [metadata: sent, webhooks: [status: receiver.url()]])
        awaitEnd(http, key)

        then:
        http.get("/runs/$key").json.metadata == sent
        Http.eventually { receiver.got.size() == 3 }
        receiver.got*.json*.id.every { it == sent }
    }

    def "a run's queued status is in the outbox when its trigger answers, ahead of anything a server may start"() {
        given: 'a receiver that refuses connections, so nothing leaves the outbox'
        def http = start()

        when:
        String key = run(http, [webhooks: [status: [receiver.url('/a'), receiver.url('/b')]]])
        def atAnswer = http.get("/runs/$key/deliveries").json.deliveries

        then: 'both receivers\' queued were enqueued before the 201, so no running can be ahead of them in any server'
        atAnswer.findAll { it.payload.status == 'queued' }*.target.sort() == [receiver.url('/a'), receiver.url('/b')]

        when:
        awaitEnd(http, key)

        then: 'the queued event told them nothing more: each receiver has its three states, queued once'
        def all = Http.eventually { def d = http.get("/runs/$key/deliveries").json.deliveries; d.size() >= 6 ? d : null }
        all.size() == 6
        [receiver.url('/a'), receiver.url('/b')].every { t ->
            all.findAll { it.target == t }*.payload*.status == ['queued', 'running', 'succeeded']
        }
    }

    def "deliveries pending when the server stops are sent after it starts again"() {
        given:
        def http = start()
        String key = run(http, [webhooks: [status: [receiver.url('/a'), receiver.url('/b')]]])
        awaitEnd(http, key)
        Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.size() == 6 }

        when: 'the server stops with all six pending, the receiver comes up, the server starts again'
        server.close()
        receiver.up()
        http = start()

        then:
        Http.eventually { receiver.got.size() == 6 }
        ['/a', '/b'].every { p -> receiver.got.findAll { it.path == p }*.json*.status == ['queued', 'running', 'succeeded'] }
    }

    def "a run the server's stop interrupted sends its final 'failed' status after the restart"() {
        given: 'a run waiting on a file that never comes, its first two states delivered'
        receiver.up()
        def http = start()
        String gate = dir.resolve('never').toString()
        def created = http.post('/projects', [name: 'stopped', jobfile: """
job('hold') { task('t') { sh 'n=0; while [ ! -f $gate ] && [ \$n -lt 1200 ]; do sleep 0.05; n=\$((n+1)); done' } }
""".toString()])
        assert created.status == 201, created.text
        def r = http.post('/projects/stopped/jobs/hold/runs', [webhooks: [status: receiver.url()]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { receiver.got*.json*.status == ['queued', 'running'] }

        when: 'the server stops (a restart, not a cancel) and starts again on the same data'
        server.close()
        http = start()

        then: 'the run failed as interrupted, and the receiver hears it'
        http.get("/runs/$key").json.status == 'failed'
        Http.eventually { receiver.got.size() == 3 }
        receiver.got*.json*.status == ['queued', 'running', 'failed']
        receiver.got[2].json.building == false
    }

    def "a credential ending in a line break is sent without it; one holding a line break is shown nowhere"() {
        given:
        receiver.up()
        def http = start()

        when:
        String key = run(http, [webhooks: [status: [receiver.url('/trailing', 'tok-trailing-4711%0A'),
                                                    receiver.url('/inside', 'tok-in%0D%0Aside-4711')]]])
        awaitEnd(http, key)
        Http.eventually { receiver.got.count { it.path == '/trailing' } == 3 }
        def inside = Http.eventually { http.get("/runs/$key/deliveries").json.deliveries.find { it.target.endsWith('/inside') && it.state == 'failed' } }

        then: 'the trailing line break is dropped'
        receiver.got.findAll { it.path == '/trailing' }.every { it.headers['authorization'] == 'Bearer tok-trailing-4711' }

        and: 'the one inside is refused for good (it can never be sent), without its value in the API or the log'
        receiver.got.every { it.path != '/inside' }
        inside.attempts == 1
        inside.lastError == 'cannot be sent: a header value holds a character HTTP does not allow (a line break?)'
        def text = http.get("/runs/$key/deliveries").text
        !text.contains('tok-in') && !text.contains('side-4711')
        logged.list.every { !it.formattedMessage.contains('tok-in') && !it.formattedMessage.contains('side-4711') }
    }

    def "a receiver that sends its headers and then stalls is given up on and tried again, not waited for"() {
        given: 'a receiver that answers 200 with a 100-byte body it never sends'
        def stall = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        def held = new java.util.concurrent.CopyOnWriteArrayList<Socket>()
        Thread.startDaemon {
            while (!stall.closed) {
                try {
                    Socket s = stall.accept()
                    held << s
                    Thread.startDaemon {
                        def lines = new BufferedReader(new InputStreamReader(s.inputStream))
                        while (lines.readLine()) { } // the request's headers, up to the blank line
                        s.outputStream.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'.bytes)
                        s.outputStream.flush()
                    }
                } catch (IOException ignored) {
                }
            }
        }
        def http = start(FAST + [STOKER_OUTBOX_TIMEOUT: '2s']) // the limit under test: short, so two attempts end soon

        when:
        String key = run(http, [webhooks: [status: "http://127.0.0.1:${stall.localPort}/hook".toString()]])

        then: 'the first delivery failed within its limit and is retried'
        def first = Http.eventually {
            http.get("/runs/$key/deliveries").json.deliveries.find { it.attempts >= 2 && it.lastError }
        }
        first.state == 'pending'
        first.lastError == 'no whole answer within 4 s'

        cleanup:
        stall?.close()
        held.each { it.close() }
    }

    def "credentials in a webhook URL are sent as Basic or Bearer auth and shown nowhere"() {
        given:
        receiver.up()
        def http = start()

        when:
        String key = run(http, [webhooks: [status: [receiver.url('/basic', 'ci-user:s3cr%40t-pass'),
                                                    receiver.url('/bearer', 'tok-98765-secret')]]])
        awaitEnd(http, key)
        Http.eventually { receiver.got.size() == 6 }

        then: 'the receiver gets the Authorization header'
        receiver.got.findAll { it.path == '/basic' }.every {
            it.headers['authorization'] == 'Basic ' + 'ci-user:s3cr@t-pass'.bytes.encodeBase64().toString()
        }
        receiver.got.findAll { it.path == '/bearer' }.every { it.headers['authorization'] == 'Bearer tok-98765-secret' }

        and: 'the API shows the URL without them'
        def text = http.get("/runs/$key/deliveries").text
        !text.contains('s3cr') && !text.contains('tok-98765') && !text.contains('ci-user')
        http.get("/runs/$key/deliveries").json.deliveries*.target.toSet() ==
                [receiver.url('/basic'), receiver.url('/bearer')].toSet()

        and: 'neither the log nor the database file holds them in clear'
        logged.list.every { !it.formattedMessage.contains('s3cr') && !it.formattedMessage.contains('tok-98765') }
        when: 'the server is closed so the database file is complete'
        server.close()
        server = null
        def db = new String(dir.resolve('data/db/stoker.mv.db').toFile().bytes, 'ISO-8859-1')

        then:
        !db.contains('tok-98765') && !db.contains('s3cr') && !db.contains('ci-user:')
    }

    def "a receiver that answers with a redirect is failed at once, its error naming where it moved"() {
        given: 'the receiver redirects every POST to its https address, as a proxy in front of it would'
        receiver.answer = 308
        receiver.answerHeaders = [Location: 'https://hooks.example/in']
        receiver.up()
        def http = start()

        when:
        String key = run(http, [webhooks: [status: receiver.url()]])
        awaitEnd(http, key)

        then: 'each state is tried once and failed (not retried until the window ends), saying what to change'
        def deliveries = Http.eventually {
            def d = http.get("/runs/$key/deliveries").json.deliveries
            d.size() == 3 && d.every { it.state == 'failed' } ? d : null
        }
        deliveries.every { it.attempts == 1 && it.lastStatus == 308 }
        deliveries[0].lastError ==
                'HTTP 308: the receiver redirects to https://hooks.example/in, which is not followed: give that URL instead'
        receiver.got.size() == 3
    }

    def "a run's queued state announced after a later state was queued is not sent after it"() {
        given: 'a run whose statuses all went out'
        receiver.up()
        def http = start()
        String key = run(http, [webhooks: [status: receiver.url()]])
        def ended = awaitEnd(http, key)
        Http.eventually { receiver.got.size() == 3 }

        when: 'its queued event comes late, as from a server of a cluster whose peer claimed and ran the run first'
        def hub = server.@statusWebhooks
        hub.onEvent(new io.stoker.server.event.RunQueued(key, 'hooks', 'build', java.time.Instant.parse(ended.createdAt)))
        // a run's start and end are told once (a repeated one says nothing): another run's end shows the thread got past
        and: 'then another run, whose start and end are handled after it on the same thread'
        String next = run(http, [webhooks: [status: receiver.url('/next')]])
        awaitEnd(http, next)
        Http.eventually { receiver.got.count { it.path == '/next' && it.json.status == 'succeeded' } == 1 }

        then: 'the stale one was never queued: the run does not look queued after it ended'
        http.get("/runs/$key/deliveries").json.deliveries*.payload*.status == ['queued', 'running', 'succeeded']
        receiver.got.findAll { it.path != '/next' }*.json*.status == ['queued', 'running', 'succeeded']
    }

    def "a webhook that is not an http URL is refused naming the field"() {
        given:
        def http = start()
        http.post('/projects', [name: 'hooks', jobfile: JOBFILE])

        expect:
        def r = http.post('/projects/hooks/jobs/build/runs', [webhooks: [status: ['https://ok.example/x', 'ftp://x.example/']]])
        r.status == 400
        r.json.toString().contains('webhooks.status[1]')
        def logs = http.post('/projects/hooks/jobs/build/runs', [webhooks: [logs: ['https://x.example/', 'ftp://x.example/']]])
        logs.status == 400
        logs.json.toString().contains('webhooks.logs[1]')
        http.post('/projects/hooks/jobs/build/runs', [webhooks: [audit: 'https://x.example/']]).status == 400

        and: 'a null is refused like any null the OpenAPI document does not allow, not read as no webhooks'
        ['status', 'logs'].every { kind ->
            def nulled = http.post('/projects/hooks/jobs/build/runs', [webhooks: [(kind): null]])
            nulled.status == 400 && nulled.json.details == ["field: webhooks.$kind".toString()]
        }
    }
}

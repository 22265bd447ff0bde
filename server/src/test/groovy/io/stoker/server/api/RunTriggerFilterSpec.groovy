package io.stoker.server.api

import io.stoker.server.ServerSpecification

/** {@code GET /runs?trigger=} filters on the server, so pages and totals count only the matching runs. */
class RunTriggerFilterSpec extends ServerSpecification {

    def "runs are filtered by what started them, and an unknown trigger is a 400 naming the known ones"() {
        given:
        freestyle('tf', "job('j') {\n  task('t') { sh 'true' }\n}\n")
        def first = trigger('tf', 'j')
        awaitEnd(first)
        def again = http.post("/runs/$first/rerun", null)
        assert again.status == 201
        awaitEnd(again.json.key as String)
        awaitEnd(trigger('tf', 'j'))

        expect:
        with(http.get('/runs?project=tf&trigger=api').json) {
            total == 2
            runs*.trigger == ['api', 'api']
        }
        with(http.get('/runs?project=tf&trigger=rerun&pageSize=1').json) {
            total == 1
            runs*.key == [again.json.key]
        }
        http.get('/runs?project=tf&trigger=cron').json.total == 0
        ['pull-request', 'startup', 'deploy', 'shuttle'].every { http.get("/runs?project=tf&trigger=$it").json.total == 0 }
        with(http.get('/runs?trigger=manual')) {
            status == 400
            json.message == "unknown trigger 'manual'"
            json.details == ['field: trigger', 'one of: api, rerun, push, pull-request, webhook, cron, poll, upstream, startup, deploy, shuttle']
        }
    }
}

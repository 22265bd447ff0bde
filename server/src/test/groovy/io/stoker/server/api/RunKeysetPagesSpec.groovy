package io.stoker.server.api

import io.stoker.server.ServerSpecification

/**
 * {@code GET /runs?before=KEY} pages by a run's key: the next page starts after the last run seen, so runs started
 * between two requests do not shift it (as {@code page=} does, showing a run twice).
 */
class RunKeysetPagesSpec extends ServerSpecification {

    def "the runs older than a key come newest first, and a run added meanwhile does not shift them"() {
        given: 'five runs, newest first r5 … r1'
        freestyle('ks', "job('j') {\n  task('t') { sh 'true' }\n}\n")
        List<String> keys = (1..5).collect { trigger('ks', 'j') }.reverse()
        def first = http.get('/runs?project=ks&pageSize=2').json
        assert first.runs*.key == keys[0..1]

        when: 'a sixth run starts before the second page is asked for'
        trigger('ks', 'j')
        def byKey = http.get("/runs?project=ks&pageSize=2&before=${first.runs[-1].key}").json
        def byNumber = http.get('/runs?project=ks&pageSize=2&page=2').json
        def last = http.get("/runs?project=ks&pageSize=2&before=${keys[3]}").json

        then:
        byKey.runs*.key == keys[2..3]
        byKey.total == 3
        byNumber.runs*.key == keys[1..2] // what the drift looks like: r4 again
        last.runs*.key == [keys[4]]
    }

    def "#why is a 400 naming 'before'"() {
        when:
        def r = http.get('/runs' + query)

        then:
        r.status == 400
        r.json.details == ['field: before']
        r.json.message.contains(words)

        where: "(an empty key is RunFiltersSpec's: 'before' is empty, as every empty filter is)"
        why                      | query                                      || words
        'a key of no run'        | '?before=aaaaaaaaaaaaaaaaaaaaaaaaaa'       || "there is no run 'aaaaaaaaaaaaaaaaaaaaaaaaaa'"
        'both before and page'   | '?before=aaaaaaaaaaaaaaaaaaaaaaaaaa&page=2' || "not both"
    }
}

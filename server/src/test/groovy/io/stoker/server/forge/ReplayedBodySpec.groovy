package io.stoker.server.forge

/**
 * A host signs a delivery's body, not its id: a push captured on the way could be sent again under a new id and
 * build (and perhaps deploy) its old commit. The same signed body is refused for as long as the ids are kept,
 * whatever id it comes under, on every git host the server takes pushes from.
 */
class ReplayedBodySpec extends PushedRepoSpecification {

    def "the same signed #host push under a new delivery id is a 409 and builds nothing"() {
        given: 'a push the host delivered, its run started'
        def delivery = push(host)
        def first = http.postRaw("/hooks/$delivery.path", delivery.body, delivery.headers)
        assert first.status == 202, first.text
        long runs = runCount()

        when: 'the captured body is sent again under a new id'
        def again = http.postRaw("/hooks/$delivery.path", delivery.body, headers(host, delivery.body))

        then:
        again.status == 409
        again.json.error == 'replayed'
        again.json.message.contains('has the same signed body as a delivery received before under another id')
        runCount() == runs

        where:
        host << HOSTS
    }

    def "the same id is still told as a replay of the id, and a new push under a new id still builds"() {
        given:
        def delivery = push('github')

        expect:
        http.postRaw('/hooks/github', delivery.body, delivery.headers).status == 202
        with(http.postRaw('/hooks/github', delivery.body, delivery.headers)) {
            status == 409
            json.message.contains("delivery '${delivery.headers['X-GitHub-Delivery']}' was received before")
        }
    }
}

package io.stoker.server.forge

import static io.stoker.server.forge.HostPayloads.hmac

/**
 * A git host sends its delivery to the URL exactly as its owner pasted it: with query parameters added to it
 * ({@code ?team=web}, as Jenkins and Woodpecker hook URLs carry them) or with a trailing slash (Jenkins'
 * {@code /github-webhook/}). The router serves both, so the hook must take them as it takes the bare URL: the
 * signature is what proves the delivery, not the URL's spelling. Each is sent with no token, as a host sends it.
 */
class HookUrlsSpec extends PushedRepoSpecification {

    def "a #host push to the hook URL #spelling starts the run"() {
        given:
        def delivery = push(host)

        when:
        def reply = http.anonymous().postRaw("/hooks/$delivery.path$suffix", delivery.body, delivery.headers)

        then:
        reply.status == 202
        reply.json.runs*.job == ['build']
        reply.json.projects*.commit == [head]

        where:
        [host, suffix] << [HOSTS, ['?team=web&team=api&token=unused', '/']].combinations()
        spelling = suffix == '/' ? 'with a trailing slash' : 'with query parameters of its own'
    }

    def "the hook still checks the signature whatever the URL: a wrong one is a 401 naming its header"() {
        given:
        def delivery = push('github')
        delivery.headers['X-Hub-Signature-256'] = 'sha256=' + hmac(delivery.body, 'another secret')

        when:
        def reply = http.anonymous().postRaw(path, delivery.body, delivery.headers)

        then:
        reply.status == 401
        reply.json.message.contains('X-Hub-Signature-256')

        where:
        path << ['/hooks/github?team=web', '/hooks/github/']
    }

    def "a hook URL no git host has (#path) is a 404 naming the right ones, not a call for a login the host cannot give"() {
        given: 'a Gitea delivery sent where a Forgejo, a mistyped or a capitalised URL points'
        def delivery = push('gitea')

        when:
        def reply = http.anonymous().postRaw(path, delivery.body, delivery.headers)

        then:
        reply.status == 404
        reply.json.message == "no webhook at $named: a git host's is /hooks/github, /hooks/gitlab, /hooks/gitea " +
                '(Gitea, Forgejo and Gogs) or /hooks/bitbucket, under /api/v1'

        where:
        path             | named
        '/hooks/forgejo' | '/hooks/forgejo'
        '/hooks/gitub'   | '/hooks/gitub'
        '/hooks/GitHub/' | '/hooks/GitHub'
    }

    def "a trailing slash opens no other route: GET of a hook URL is still a 405, and the secret needs a login"() {
        expect:
        http.anonymous().get('/hooks/github/').status == 405
        http.anonymous().get('/hooks/secret/').status == 401
    }
}

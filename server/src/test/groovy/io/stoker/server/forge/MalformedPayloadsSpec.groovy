package io.stoker.server.forge

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer

import static io.stoker.server.forge.HostPayloads.*

/**
 * Signed deliveries whose payload is not the host's (a required field missing or of the wrong type, an empty event
 * header), over real HTTP: each is a 400 naming what is wrong, and is not remembered, so that the host's corrected
 * redelivery under the same id is taken.
 */
class MalformedPayloadsSpec extends ServerSpecification {
    static final String SECRET = 'server-wide-secret'
    static final String URL = 'https://git.example.com/octo-org/mono.git'
    static final String BEFORE = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'
    static final String AFTER = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c'

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)))
    }

    /** Signed with the server's secret, under delivery id {@code id}. */
    static Map<String, String> signed(String host, byte[] body, String id, String event = null) {
        switch (host) {
            case 'github': return githubHeaders(body, SECRET, event ?: 'push') + ['X-GitHub-Delivery': id]
            case 'gitlab': return gitlabHeaders(SECRET) + ['X-Gitlab-Event-UUID': id] + (event == null ? [:] : ['X-Gitlab-Event': event])
            case 'gitea': return giteaHeaders(body, SECRET, event ?: 'push') + ['X-Gitea-Delivery': id, 'X-Forgejo-Delivery': id, 'X-Gogs-Delivery': id]
            case 'bitbucket': return bitbucketDcHeaders(body, SECRET, event ?: 'repo:refs_changed') + ['X-Request-Id': id]
        }
        throw new IllegalArgumentException(host)
    }

    static Map push(String host, Map changes) {
        Map p = new LinkedHashMap(host == 'github' ? githubPush(URL, 'refs/heads/main', BEFORE, AFTER, [])
                : host == 'gitlab' ? gitlabPush(URL, 'refs/heads/main', BEFORE, AFTER, [])
                : giteaPush(URL, 'refs/heads/main', BEFORE, AFTER, []))
        changes.each { k, v -> if (v == null) p.remove(k) else p[k] = v }
        p
    }

    def "a #host push without 'after' is a 400 naming it, not a branch deletion, and its corrected redelivery is taken"() {
        given:
        String id = "no-after-$host"
        byte[] broken = json(push(host, [after: null]))
        byte[] corrected = json(push(host, [:]))

        when:
        def refused = http.postRaw("/hooks/$host", broken, signed(host, broken, id))

        then:
        refused.status == 400
        refused.json.message.contains("'after'")

        when: 'the host redelivers the corrected payload under the same id'
        def taken = http.postRaw("/hooks/$host", corrected, signed(host, corrected, id))

        then: 'it is not refused as replayed'
        taken.status == 200
        taken.json.event == 'push'

        where:
        host << ['github', 'gitea']
    }

    def "a GitLab push is read at its checkout_sha, else its after; with neither it is a 400"() {
        given:
        byte[] body = json(push('gitlab', changes))

        when:
        def reply = http.postRaw('/hooks/gitlab', body, signed('gitlab', body, UUID.randomUUID().toString()))

        then:
        reply.status == status
        status == 200 || reply.json.message.contains("'checkout_sha'") && reply.json.message.contains("'after'")

        where:
        changes                            | status
        [after: null]                      | 200
        [checkout_sha: null]               | 200
        [after: null, checkout_sha: null]  | 400
    }

    def "a #host push whose ref is a number is a 400 naming 'ref'"() {
        given:
        byte[] body = host == 'bitbucket'
                ? json(bitbucketDcPush('PROJ', 'mono', 'refs/heads/main', BEFORE, AFTER).with { it.changes[0].refId = 5; it })
                : json(push(host, [ref: 5]))

        when:
        def reply = http.postRaw("/hooks/$host", body, signed(host, body, UUID.randomUUID().toString()))

        then:
        reply.status == 400
        reply.json.message ==~ /'(ref|changes\[0\]\.refId)' in the payload is a number where the host sends a string.*/

        where:
        host << ['github', 'gitlab', 'gitea', 'bitbucket']
    }

    def "a Bitbucket #kind push whose change is a string, not an object, is a 400 naming that change"() {
        given: 'the second change of the push given as its ref name alone'
        Map payload = kind == 'Data Center'
                ? bitbucketDcPush('PROJ', 'mono', 'refs/heads/main', BEFORE, AFTER).with { it.changes << 'refs/heads/dev'; it }
                : bitbucketCloudPush('https://bitbucket.org/acme/mono', 'acme/mono', 'main', BEFORE, AFTER, 'm').with { it.push.changes << 'dev'; it }
        byte[] body = json(payload)
        def headers = kind == 'Data Center' ? signed('bitbucket', body, UUID.randomUUID().toString())
                : bitbucketCloudHeaders(body, SECRET) + ['X-Request-UUID': UUID.randomUUID().toString()]

        when:
        def reply = http.postRaw('/hooks/bitbucket', body, headers)

        then:
        reply.status == 400
        reply.json.message.startsWith("'$field' in the payload is a string where the host sends an object")

        where:
        kind          | field
        'Data Center' | 'changes[1]'
        'Cloud'       | 'push.changes[1]'
    }

    def "a #host pull request whose head branch is a number is a 400 naming it"() {
        given:
        byte[] body = json([action: 'opened', number: 7, repository: [clone_url: URL],
                            pull_request: [number: 7, head: [ref: 5, sha: AFTER, repo: [full_name: 'o/r']],
                                           base: [ref: 'main', repo: [full_name: 'o/r']]]])

        when:
        def reply = http.postRaw("/hooks/$host", body, signed(host, body, UUID.randomUUID().toString(), 'pull_request'))

        then:
        reply.status == 400
        reply.json.message.contains('pull_request.head.ref')

        where:
        host << ['github', 'gitea']
    }

    def "a GitLab Merge Request Hook without object_attributes is a 400, as a GitHub pull_request without its object"() {
        given:
        byte[] body = json([object_kind: 'merge_request', event_type: 'merge_request',
                            project: [git_http_url: URL, web_url: URL]])

        when:
        def reply = http.postRaw('/hooks/gitlab', body, signed('gitlab', body, UUID.randomUUID().toString(), 'Merge Request Hook'))

        then:
        reply.status == 400
        reply.json.message.contains('object_attributes')
    }

    def "an empty #header header is a 400, as a missing one"() {
        given:
        byte[] body = host == 'bitbucket' ? json(bitbucketDcPush('PROJ', 'mono', 'refs/heads/main', BEFORE, AFTER))
                : json(push(host, [:]))
        def headers = signed(host, body, UUID.randomUUID().toString())
        headers.keySet().removeAll { it.endsWith('-Event') || it == 'X-Event-Key' }
        String id = headers.find { it.key =~ /Delivery|UUID|Request-Id/ }.value

        when:
        def empty = http.postRaw("/hooks/$host", body, headers + [(header): ''])
        def missing = http.postRaw("/hooks/$host", body, signed(host, body, id).findAll { !(it.key.endsWith('-Event') || it.key == 'X-Event-Key') })

        then:
        [empty.status, missing.status] == [400, 400]
        empty.json.message == "missing $header header"
        missing.json.message == empty.json.message

        where:
        host        | header
        'github'    | 'X-GitHub-Event'
        'gitlab'    | 'X-Gitlab-Event'
        'gitea'     | 'X-Gitea-Event'
        'bitbucket' | 'X-Event-Key'
    }
}

package io.stoker.server.forge

import io.stoker.server.forge.WebhookOutcome.Accepted
import io.stoker.server.forge.WebhookOutcome.Ignored
import io.stoker.server.forge.WebhookOutcome.Ping
import io.stoker.server.forge.WebhookOutcome.Rejected
import spock.lang.Specification

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

class WebhookReceiveSpec extends Specification {

    static final String SECRET = 'It\'s a Secret to Everybody'

    static byte[] sample(String name) {
        WebhookReceiveSpec.getResourceAsStream("/webhook/$name").bytes
    }

    /** The signature computed independently of the code under test (javax.crypto directly). */
    static String hmac(String secret, byte[] body) {
        def mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(secret.getBytes('UTF-8'), 'HmacSHA256'))
        mac.doFinal(body).encodeHex().toString()
    }

    /** Header lookup as Vert.x does it: case-insensitive; each delivery carries its host's delivery id. */
    static Closure<String> headers(Map<String, String> h) {
        def map = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER)
        map.putAll(['X-GitHub-Delivery'  : UUID.randomUUID().toString(),
                    'X-Gitlab-Event-UUID': UUID.randomUUID().toString(),
                    'X-Gitea-Delivery'   : UUID.randomUUID().toString()])
        h.each { k, v -> if (v == null) map.remove(k) else map[k] = v.toString() }
        return { String name -> map[name] }
    }

    static WebhookOutcome receive(GitHost host, Map<String, String> h, byte[] body, String secret = SECRET) {
        PushWebhooks.receive(host, headers(h) as java.util.function.UnaryOperator<String>, body, secret)
    }

    def "the HMAC matches GitHub's documented example"() {
        expect: 'the example of docs.github.com "Validating webhook deliveries"'
        Secrets.hmacSha256Hex(SECRET, 'Hello, World!'.getBytes('UTF-8')) ==
                '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
    }

    def "a signed GitHub push is accepted with its branch, commit, pusher and every repository URL"() {
        given:
        def body = sample('github-push.json')

        when:
        def outcome = receive(GitHost.GITHUB, ['x-github-event': 'push', 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body)}",
                                               'Content-Type': 'application/json'], body)

        then:
        with((outcome as Accepted).event()) {
            host() == GitHost.GITHUB
            repositoryUrls() == ['https://github.com/Codertocat/Hello-World.git', 'https://github.com/Codertocat/Hello-World',
                                 'git@github.com:Codertocat/Hello-World.git', 'git://github.com/Codertocat/Hello-World.git']
            ref() == 'refs/heads/main'
            branch() == 'main'
            before() == '6113728f27ae82c7b1a177c8d03f9e96e0adf246'
            commit() == '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c'
            headMessage() == 'Update README.md'
            changedFiles() == ['README.md']
            by() == 'Codertocat'
            buildable()
        }
    }

    def "a GitHub push sent as application/x-www-form-urlencoded is understood too"() {
        given:
        def body = ('payload=' + URLEncoder.encode(new String(sample('github-push.json'), 'UTF-8'), 'UTF-8')).getBytes('UTF-8')

        when:
        def outcome = receive(GitHost.GITHUB, ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body)}",
                                               'Content-Type': 'application/x-www-form-urlencoded'], body)

        then:
        outcome instanceof Accepted
        outcome.event().commit() == '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c'
    }

    def "a bad, missing or malformed GitHub signature is rejected with 401"() {
        given:
        def body = sample('github-push.json')
        def h = ['X-GitHub-Event': 'push']
        if (signature != null) {
            h['X-Hub-Signature-256'] = signature.replace('GOOD', hmac(SECRET, body)).replace('OTHER', hmac('other', body))
        }

        when:
        def outcome = receive(GitHost.GITHUB, h, tamper ? (new String(body, 'UTF-8').replace('main', 'mainx')).getBytes('UTF-8') : body)

        then:
        outcome instanceof Rejected
        outcome.status() == 401
        outcome.reason().contains('X-Hub-Signature-256')

        where:
        signature       | tamper
        null            | false
        'sha256=OTHER'  | false
        'sha256=GOOD'   | true
        'GOOD'          | false
        'sha1=GOOD'     | false
        'sha256=zz'     | false
        'sha256='       | false
    }

    def "without a configured secret nothing is trusted"() {
        given:
        def body = sample('github-push.json')

        expect:
        with(receive(GitHost.GITHUB, ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': "sha256=${hmac('x', body)}"], body, secret)) {
            it instanceof Rejected
            status() == 401
        }

        where:
        secret << [null, '', '  ']
    }

    def "a GitHub ping is a ping, a tag push and a branch deletion are recognised, other events ignored"() {
        given:
        def body = sample(file)

        when:
        def outcome = receive(GitHost.GITHUB, ['X-GitHub-Event': event, 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body)}"], body)

        then:
        outcome.class == type
        outcome.toString().contains(detail)

        where:
        file                              | event    | type     | detail
        'github-ping.json'                | 'ping'   | Ping     | 'ping'
        'github-push-tag.json'            | 'push'   | Accepted | 'ref=refs/tags/v1.0.0, branch=null'
        'github-push.json'                | 'issues' | Ignored  | "'issues' events"
        'github-push-branch-deleted.json' | 'push'   | Accepted | 'commit=null, deleted=true'
    }

    def "a form-encoded GitHub body without its payload field is a 400 that says so"() {
        when:
        def outcome = receive(GitHost.GITHUB, ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body.getBytes('UTF-8'))}",
                                               'Content-Type': 'application/x-www-form-urlencoded'], body.getBytes('UTF-8'))

        then:
        outcome instanceof Rejected
        outcome.status() == 400
        outcome.reason().contains(reason)

        where:
        body                         | reason
        '{"ref": "refs/heads/main"}' | "the form-encoded body has no 'payload' field"
        'payload=%zz'                | "the form's 'payload' field has a malformed %-escape"
    }

    def "a signed but malformed GitHub body is a 400, not an exception"() {
        when:
        def outcome = receive(GitHost.GITHUB, ['X-GitHub-Event': event, 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body.getBytes('UTF-8'))}"],
                body.getBytes('UTF-8'))

        then:
        outcome instanceof Rejected
        outcome.status() == 400
        outcome.reason().contains(reason)

        where:
        event  | body                                                                 | reason
        'push' | '{"ref": '                                                           | 'not valid JSON'
        'push' | '[1, 2]'                                                              | 'not a JSON object'
        'push' | '{"ref": "refs/heads/main", "ref": "refs/heads/x"}'                   | "Duplicate field 'ref'"
        'push' | '{"after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"}'               | "no 'ref'"
        'push' | '{"ref": "refs/heads/x", "after": "abc", "repository": {"clone_url": "https://h/o/r.git"}}' | "'abc' is not a SHA"
        'push' | '{"ref": "refs/heads/x", "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"}'          | 'no repository URL'
        null   | '{}'                                                                 | 'X-GitHub-Event'
    }

    def "a GitLab push with the right token is accepted"() {
        given:
        def body = sample('gitlab-push.json')

        when:
        def outcome = receive(GitHost.GITLAB, ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET], body)

        then:
        with((outcome as Accepted).event()) {
            repositoryUrls() == ['http://example.com/mike/diaspora.git', 'git@example.com:mike/diaspora.git',
                                 'http://example.com/mike/diaspora']
            branch() == 'master'
            commit() == 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7'
            before() == '95790bf891e76fee5e1747ab589903a6a1f80f22'
            headMessage() != null
            by() == 'jsmith'
            buildable()
        }
    }

    def "a GitLab request with a wrong or missing token is rejected with 401"() {
        when:
        def outcome = receive(GitHost.GITLAB, token == null ? ['X-Gitlab-Event': 'Push Hook'] :
                ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': token], sample('gitlab-push.json'))

        then:
        outcome instanceof Rejected
        outcome.status() == 401

        where:
        token << [null, '', 'wrong', SECRET + 'x', SECRET.toUpperCase()]
    }

    def "GitLab tag pushes and branch deletions are recognised, other events ignored"() {
        expect:
        receive(GitHost.GITLAB, ['X-Gitlab-Event': 'Tag Push Hook', 'X-Gitlab-Token': SECRET], sample('gitlab-tag-push.json')).event().tag()
        receive(GitHost.GITLAB, ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET], sample('gitlab-tag-push.json')).event().tag()
        receive(GitHost.GITLAB, ['X-Gitlab-Event': 'Issue Hook', 'X-Gitlab-Token': SECRET], '{}'.bytes) instanceof Ignored
        with(receive(GitHost.GITLAB, ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET], sample('gitlab-push-branch-deleted.json'))) {
            it instanceof Accepted
            event().branch() == 'feature/old'
            event().deleted()
            event().commit() == null
            !event().buildable()
        }
    }

    def "a Gitea, Forgejo or Gogs push with a good signature is accepted, a bad one rejected"() {
        given:
        def body = sample('gitea-push.json')

        expect:
        with(receive(GitHost.GITEA, ['X-Gitea-Event': 'push', 'X-Gitea-Signature': hmac(SECRET, body)], body).event()) {
            repositoryUrls() == ['http://localhost:3000/gitea/webhooks.git', 'http://localhost:3000/gitea/webhooks',
                                 'ssh://gitea@localhost:2222/gitea/webhooks.git']
            branch() == 'develop'
            commit() == 'bffeb74224043ba2feb48d137756c8a9331c449a'
            headMessage() == 'Webhooks Yay!'
            by() == 'gitea'
        }
        receive(GitHost.GITEA, ['X-Forgejo-Event': 'push', 'X-Forgejo-Signature': hmac(SECRET, body).toUpperCase()], body) instanceof Accepted
        receive(GitHost.GITEA, ['X-Gogs-Event': 'push', 'X-Gogs-Signature': hmac(SECRET, body)], body) instanceof Accepted // Gogs sends only its own
        receive(GitHost.GITEA, ['X-Gitea-Event': 'push', 'X-Gitea-Signature': hmac('other', body)], body) == Rejected.wrong('X-Gitea-Signature',
                'X-Gitea-Signature does not match the body signed with this server\'s secret')
        receive(GitHost.GITEA, ['X-Gitea-Event': 'push'], body).status() == 401
        // a GitHub-style signature alone is not what Gitea's hook is checked with
        receive(GitHost.GITEA, ['X-Gitea-Event': 'push', 'X-Hub-Signature-256': "sha256=${hmac(SECRET, body)}"], body) instanceof Rejected
    }

    def "Gitea's test delivery is answered as one, for an empty repository too (the zero SHA on both sides), not as a deletion: #sha"() {
        given:
        byte[] body = HostPayloads.json(HostPayloads.giteaPush('https://gitea.example.com/o/r.git', 'refs/heads/main', sha, sha,
                [HostPayloads.commit(sha, 'This is a fake commit')]))

        expect:
        receive(GitHost.GITEA, ['X-Gitea-Event': 'push', 'X-Gitea-Signature': hmac(SECRET, body)], body) instanceof Ping

        where:
        sha << ['a' * 40, '0' * 40]
    }

    def "a Gitea delete event of a branch or a tag is that ref's deletion; of another kind it is ignored"() {
        given:
        def body = sample('gitea-delete-branch.json')
        def tagBody = new String(body, 'UTF-8').replace('"branch"', '"tag"').getBytes('UTF-8')
        def otherBody = new String(body, 'UTF-8').replace('"branch"', '"note"').getBytes('UTF-8')

        expect:
        with(receive(GitHost.GITEA, ['X-Gitea-Event': 'delete', 'X-Gitea-Signature': hmac(SECRET, body)], body)) {
            it instanceof Accepted
            event() == new PushEvent(GitHost.GITEA, ['http://localhost:3000/gitea/webhooks.git', 'http://localhost:3000/gitea/webhooks',
                                                     'ssh://gitea@localhost:2222/gitea/webhooks.git'], 'feature/old', null, true).by('gitea')
        }
        with(receive(GitHost.GITEA, ['X-Gitea-Event': 'delete', 'X-Gitea-Signature': hmac(SECRET, tagBody)], tagBody)) {
            it instanceof Accepted
            event().ref() == 'refs/tags/feature/old'
            event().branch() == null
            event().deleted()
        }
        receive(GitHost.GITEA, ['X-Gitea-Event': 'delete', 'X-Gitea-Signature': hmac(SECRET, otherBody)], otherBody) instanceof Ignored
        receive(GitHost.GITEA, ['X-Gitea-Event': 'create', 'X-Gitea-Signature': hmac(SECRET, body)], body) instanceof Ignored
    }

    def "#message holds a skip marker: #marker"() {
        expect:
        SkipMarkers.find(message) == Optional.ofNullable(marker)

        where:
        message                               | marker
        'fix typo [skip ci]'                  | '[skip ci]'
        'Docs only\n\n[CI SKIP]'              | '[ci skip]'
        '[No Ci] tidy'                        | '[no ci]'
        'skip ci, but not in brackets'        | null
        null                                  | null
    }

    def "a Bitbucket Cloud push of two refs is one event per ref; a Data Center change names its key and slug"() {
        given:
        def cloud = HostPayloads.bitbucketCloudPush('https://bitbucket.org/team/repo', 'team/repo', 'main', 'a' * 40, 'b' * 40, 'm')
        cloud.push.changes << [new: [type: 'tag', name: 'v1', target: [hash: 'c' * 40]], old: null]
        cloud.push.changes << [new: null, old: [type: 'branch', name: 'gone', target: [hash: 'd' * 40]], closed: true]
        byte[] body = HostPayloads.json(cloud)
        byte[] dc = HostPayloads.json(HostPayloads.bitbucketDcPush('PROJ', 'repo', 'refs/heads/main', 'a' * 40, 'b' * 40))

        when:
        def outcome = receive(GitHost.BITBUCKET, ['X-Event-Key': 'repo:push', 'X-Request-UUID': 'u-1',
                                                  'X-Hub-Signature': "sha256=${hmac(SECRET, body)}"], body)
        def server = receive(GitHost.BITBUCKET, ['X-Event-Key': 'repo:refs_changed', 'X-Request-Id': 'r-1',
                                                 'X-Hub-Signature': "sha256=${hmac(SECRET, dc)}"], dc)

        then:
        outcome.events()*.ref() == ['refs/heads/main', 'refs/tags/v1', 'refs/heads/gone']
        outcome.events()*.deleted() == [false, false, true]
        outcome.events()[0].headMessage() == 'm'
        outcome.events()[0].changedFiles() == null
        outcome.events()[0].repositoryUrls() == ['https://bitbucket.org/team/repo']
        outcome.events()*.by() == ['Octo Cat'] * 3 // Cloud's actor without a nickname: its display name
        server.event().repositoryUrls() == [RepositoryUrls.anyHost('proj/repo')]
        server.event().by() == 'admin'
        server.event().before() == 'a' * 40
        receive(GitHost.BITBUCKET, ['X-Event-Key': 'repo:push', 'X-Request-UUID': 'u-2',
                                    'X-Hub-Signature': "sha256=${hmac('other', body)}"], body).status() == 401
    }

    def "webhook hosts are named by the last segment of the hook URL"() {
        expect:
        GitHost.fromPath('github') == Optional.of(GitHost.GITHUB)
        GitHost.fromPath('GitLab') == Optional.of(GitHost.GITLAB)
        GitHost.fromPath('bitbucket') == Optional.of(GitHost.BITBUCKET)
        GitHost.fromPath('gogs') == Optional.empty()
        GitHost.GITEA.path() == 'gitea'
    }

    def "a verified delivery without its id, or with a malformed one, is a 400; an unverified one stays a 401"() {
        given:
        def body = sample(file)
        def h = [(event): eventName, (sign): host == GitHost.GITLAB ? SECRET : (host == GitHost.GITHUB ? 'sha256=' : '') + hmac(SECRET, body),
                 (id): idValue]

        when:
        def outcome = receive(host, h, body)

        then:
        outcome instanceof Rejected
        outcome.status() == 400
        outcome.reason().contains(id)

        when: 'the same request unsigned'
        h.remove(sign)

        then:
        receive(host, h, body).status() == 401

        where:
        host           | file               | event            | eventName   | sign                  | id                    | idValue
        GitHost.GITHUB | 'github-push.json' | 'X-GitHub-Event' | 'push'      | 'X-Hub-Signature-256' | 'X-GitHub-Delivery'   | null
        GitHost.GITHUB | 'github-push.json' | 'X-GitHub-Event' | 'push'      | 'X-Hub-Signature-256' | 'X-GitHub-Delivery'   | ' '
        GitHost.GITHUB | 'github-push.json' | 'X-GitHub-Event' | 'push'      | 'X-Hub-Signature-256' | 'X-GitHub-Delivery'   | 'a b'
        GitHost.GITHUB | 'github-push.json' | 'X-GitHub-Event' | 'push'      | 'X-Hub-Signature-256' | 'X-GitHub-Delivery'   | 'x' * 201
        GitHost.GITLAB | 'gitlab-push.json' | 'X-Gitlab-Event' | 'Push Hook' | 'X-Gitlab-Token'      | 'X-Gitlab-Event-UUID' | null
        GitHost.GITEA  | 'gitea-push.json'  | 'X-Gitea-Event'  | 'push'      | 'X-Gitea-Signature'   | 'X-Gitea-Delivery'    | null
    }

    def "the delivery id is read from each host's header"() {
        expect:
        PushWebhooks.deliveryId(host, { String n -> n.equalsIgnoreCase(name) ? 'abc-123' : null } as java.util.function.UnaryOperator<String>) == 'abc-123'

        where:
        host           | name
        GitHost.GITHUB | 'X-GitHub-Delivery'
        GitHost.GITLAB | 'X-Gitlab-Event-UUID'
        GitHost.GITEA  | 'X-Gitea-Delivery'
        GitHost.GITEA  | 'x-forgejo-delivery'
    }
}

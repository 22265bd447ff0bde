package io.stoker.server.forge

import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import io.stoker.server.secret.VaultFixture
import org.slf4j.LoggerFactory
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

/**
 * Commit statuses of real runs of a git project, sent through the outbox to a Vert.x receiver on 127.0.0.1 that
 * stands in for each host's API and records the requests: the shapes checked are the ones GitHub, GitLab and
 * Gitea/Forgejo document (not the hosted services). Backoff is shortened through the environment. Some tokens are
 * kept in a Vault stand-in, to be sealed and unsealed.
 */
class CommitStatusesSpec extends ServerSpecification {
    static final String PUBLIC_URL = 'https://ci.example.org'
    static final String TOKEN = 'tok-5e5e-commit-status'
    /**
     * The product's default: an API that answers is never timed out (which would send its status twice), and the
     * one that never answers is still given up on within the feature's wait.
     */
    static final long OUTBOX_TIMEOUT_S = 10 * Http.TIMEOUT_FACTOR
    static final String HOOK_SECRET = 'commit-statuses-hook-secret'
    static final String JOBFILE = """\
job('build') {
  triggers { push branches: ['main'] }
  task('t') { sh 'echo built' }
}
job('broken') {
  task('t') { sh 'exit 3' }
}
"""

    @Shared ApiReceiver api = new ApiReceiver()
    @Shared TestRepo repo
    @Shared String head
    @Shared ListAppender<ILoggingEvent> logged = new ListAppender<>()
    @Shared VaultFixture vault

    @Override
    StokerServer startServer(ServerConfig config) {
        vault = new VaultFixture()
        vault.role('stoker-role', 'stoker-secret-id', ['secret/data/ci/'], 3600)
        vault.put('secret/ci/forge', [token: TOKEN])
        vault.put('secret/other/forge', [token: TOKEN])
        StokerServer.start(MigratedDatabase.into(config), Clock.systemUTC(), SuiteEnv.with([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '200ms',
                                                      STOKER_OUTBOX_TICK: '50ms', STOKER_OUTBOX_TIMEOUT: "${OUTBOX_TIMEOUT_S}s".toString(),
                                                      STOKER_COMMIT_STATUS_BACKOFF: '50ms',
                                                      STOKER_COMMIT_STATUS_MAX_BACKOFF: '200ms',
                                                      STOKER_COMMIT_STATUS_WINDOW: '10s',
                                                      STOKER_VAULT_ADDR: vault.address, STOKER_VAULT_ROLE_ID: 'stoker-role',
                                                      STOKER_VAULT_SECRET_ID: 'stoker-secret-id',
                                                      STOKER_PUBLIC_URL: PUBLIC_URL + '/']))
    }

    def setupSpec() {
        logged.start()
        ((Logger) LoggerFactory.getLogger('io.stoker')).addAppender(logged)
        Path root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/widget.git'))
        head = repo.commit('main', 'first', [Jobfile: JOBFILE])
        assert http.post('/secrets', [name: 'FORGE_TOKEN', value: TOKEN]).status == 201
        // in Vault: one the server's role may read, one it may not
        assert http.post('/secrets', [name: 'VAULT_FORGE_TOKEN', vault: [path: 'ci/forge', key: 'token']]).status == 201
        assert http.post('/secrets', [name: 'DENIED_FORGE_TOKEN', vault: [path: 'other/forge', key: 'token']]).status == 201
    }

    def cleanupSpec() {
        ((Logger) LoggerFactory.getLogger('io.stoker')).detachAppender(logged)
        api?.close()
        repo?.close()
        vault?.close()
    }

    String project(String name, Map status, String tokenSecret = 'FORGE_TOKEN') {
        def r = http.post('/projects', [name: name, gitUrl: repo.url(), branch: 'main', statusTokenSecret: tokenSecret] + status)
        assert r.status == 201, r.text
        name
    }

    def "each host gets queued, running and the end of a run in its documented request shape"() {
        given:
        project(name, status)

        when:
        String key = trigger(name, job)
        def run = awaitEnd(key)
        List<ApiReceiver.Got> got = Http.eventually { def g = api.at(prefix); g.size() == 3 ? g : null }

        then: 'one POST per state, in order, to the commit of the run'
        run.status == end
        got*.method == ['POST'] * 3
        got*.path == [prefix + path.replace('SHA', head)] * 3
        got*.json*.get(stateField) == states
        got.every { it.headers['content-type'] == 'application/json' && headers.every { k, v -> it.headers[k] == v } }

        and: 'GitLab is told the ref the run built (it needs one for a commit on no branch: a merge request from a fork)'
        got.every { it.json.ref == (stateField == 'state' && contextField == 'name' ? 'main' : null) }

        and: 'context stoker/<job>, a description naming the state, the run page on the public URL'
        got.every { it.json[contextField] == "stoker/$job" && it.json.target_url == "$PUBLIC_URL/#/runs/$key" }
        got*.json*.description == ["#1 queued", "#1 running", "#1 ${run.status}"]

        and: 'the deliveries are listed with their kind, their target without the token, and end delivered'
        // the receiver has the third request before the outbox has recorded its answer: wait for that, bounded
        def deliveries = Http.eventually {
            def d = http.get("/runs/$key/deliveries")
            d.json.deliveries.size() == 3 && d.json.deliveries.every { it.state == 'delivered' } ? d : null
        }
        deliveries.json.deliveries*.kind == ['commit-status'] * 3
        deliveries.json.deliveries.every { it.target == api.url(prefix + path.replace('SHA', head)) && it.state == 'delivered' }
        !deliveries.text.contains(TOKEN)

        where:
        name      | job      | status                                                                                  | prefix        | path                                     | stateField | contextField | end         | states                                | headers
        'on-gh'   | 'build'  | [statusHost: 'github', statusApiUrl: api.url('/gh')]                                      | '/gh/'        | 'repos/acme/widget/statuses/SHA'         | 'state'    | 'context'    | 'succeeded' | ['pending', 'pending', 'success']     | [authorization: "Bearer $TOKEN", accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28']
        'on-gl'   | 'broken' | [statusHost: 'gitlab', statusApiUrl: api.url('/gl/api/v4'), statusRepository: 'acme/widget'] | '/gl/api/v4/' | 'projects/acme%2Fwidget/statuses/SHA'    | 'state'    | 'name'       | 'failed'    | ['pending', 'running', 'failed']      | ['private-token': TOKEN]
        'on-gitea'| 'build'  | [statusHost: 'gitea', statusApiUrl: api.url('/gitea/api/v1')]                             | '/gitea/api/v1/' | 'repos/acme/widget/statuses/SHA'      | 'state'    | 'context'    | 'succeeded' | ['pending', 'pending', 'success']     | [authorization: "token $TOKEN"]
        'on-gitea-f' | 'broken' | [statusHost: 'gitea', statusApiUrl: api.url('/gtf/api/v1')]                           | '/gtf/api/v1/' | 'repos/acme/widget/statuses/SHA'       | 'state'    | 'context'    | 'failed'    | ['pending', 'pending', 'failure']     | [authorization: "token $TOKEN"]
    }

    def "GitLab is told a tag's run's ref as the tag: a release tag on no branch would be a 404 without it"() {
        given: 'a release tag on a commit no branch holds (a version bump committed on a detached head)'
        String release = repo.commit('release-tmp', 'release 1.0', [Jobfile: JOBFILE, VERSION: '1.0'])
        repo.tag('v1.0', release, true)
        repo.deleteBranch('release-tmp')
        project('gl-tag', [statusHost: 'gitlab', statusApiUrl: api.url('/gltag/api/v4'), statusRepository: 'acme/widget'])

        when:
        String key = trigger('gl-tag', 'build', [ref: 'v1.0'])
        awaitEnd(key)
        List<ApiReceiver.Got> got = Http.eventually { def g = api.at('/gltag/'); g.size() == 3 ? g : null }

        then: 'every status of the run names the tag, at the commit it points to'
        got*.path == ["/gltag/api/v4/projects/acme%2Fwidget/statuses/$release".toString()] * 3
        got*.json*.ref == ['v1.0'] * 3
    }

    /** The deliveries of run {@code key}, once it ended and its three statuses (queued, running, its end) are all {@code state}. */
    def threeStatuses(String key, String state) {
        awaitEnd(key)
        Http.eventually(30_000) {
            def d = http.get("/runs/$key/deliveries")
            d.json.deliveries.size() == 3 && d.json.deliveries.every { it.state == state } ? d : null
        }
    }

    def "a host over its rate limit (GitHub's 403 with x-ratelimit-remaining 0) is waited out, and nothing is lost"() {
        given: 'the API answers the first status with its rate limit, reset a second later'
        project('gh-limited', [statusHost: 'github', statusApiUrl: api.url('/ghl')])
        api.limitedTimes.set(1)
        api.limitedPrefix = '/ghl/'

        when:
        String key = trigger('gh-limited', 'build')
        def deliveries = threeStatuses(key, 'delivered')

        then: 'the refused status was sent again after the reset, then the others, in order'
        api.at('/ghl/')*.json*.description == ['#1 queued', '#1 queued', '#1 running', '#1 succeeded']
        deliveries.json.deliveries[0].attempts == 2

        cleanup:
        api.limitedPrefix = null
    }

    def "a host that refuses the token says why in the delivery's error, as its API answered (GitHub: Bad credentials)"() {
        given:
        project('gh-refused', [statusHost: 'github', statusApiUrl: api.url('/ghr')])
        api.refusedPrefix = '/ghr/'

        when:
        String key = trigger('gh-refused', 'build')
        def deliveries = threeStatuses(key, 'failed')

        then: 'each is refused for good, not retried, and its error is what the host said'
        deliveries.json.deliveries.every { it.lastStatus == 401 && it.attempts == 1 }
        deliveries.json.deliveries*.lastError.unique() == ['HTTP 401: Bad credentials']

        cleanup:
        api.refusedPrefix = null
    }

    def "a token that cannot be read (Vault sealed) is read again until it can: the host gets the run's end, and nothing older after it"() {
        given: 'a project whose token is in Vault, and Vault sealed'
        project('gh-vault', [statusHost: 'github', statusApiUrl: api.url('/ghv')], 'VAULT_FORGE_TOKEN')
        vault.sealed = true

        when: 'a run goes from queued to its end while its token cannot be read'
        String key = trigger('gh-vault', 'build')
        def run = awaitEnd(key)
        int asked = vault.requests.size() // a login or a read: each answered "sealed"
        Http.eventually { vault.requests.size() >= asked + 2 } // the end's status is being tried again

        then: 'nothing went out while Vault was sealed'
        run.status == 'succeeded'
        api.at('/ghv/').empty

        when: 'Vault is unsealed'
        vault.sealed = false
        def deliveries = Http.eventually {
            def d = http.get("/runs/$key/deliveries").json.deliveries
            d && d.every { it.state == 'delivered' } ? d : null
        }
        List<ApiReceiver.Got> got = api.at('/ghv/') // all of the run's queued statuses have been received

        then: 'the host is told the run\'s latest state, with the token read from Vault; the older ones were superseded'
        got*.json*.description == ['#1 succeeded']
        got*.json*.state == ['success']
        got[0].headers['authorization'] == "Bearer $TOKEN"
        deliveries*.kind == ['commit-status']

        cleanup:
        vault.sealed = false
    }

    def "a Jobfile problem's failed status waits for its token too (Vault sealed), and is sent once it can be read"() {
        given: 'a project whose token is in Vault and whose own webhook secret signs the push, and Vault sealed'
        project('gh-vault-jobfile', [statusHost: 'github', statusApiUrl: api.url('/ghj'), webhookSecret: HOOK_SECRET],
                'VAULT_FORGE_TOKEN')
        String broken = repo.commit('broken-jobfile', 'broken', [Jobfile: "job('x') {\n  task('t') { nonsense 'x' }\n}\n"])
        vault.sealed = true

        when: 'a push brings a Jobfile that does not compile while the token cannot be read'
        byte[] body = HostPayloads.json(HostPayloads.githubPush(repo.url(), 'refs/heads/broken-jobfile', '0' * 40, broken,
                [], [created: true]))
        def reply = http.postRaw('/hooks/github', body, HostPayloads.githubHeaders(body, HOOK_SECRET))
        int asked = vault.requests.size()
        Http.eventually { vault.requests.size() >= asked + 2 } // the status is being tried again

        then: 'nothing went out while Vault was sealed'
        reply.status in [200, 202] // 202: answered before the fetch and the compile were done
        api.at('/ghj/').empty

        when: 'Vault is unsealed'
        vault.sealed = false
        List<ApiReceiver.Got> got = Http.eventually { def g = api.at('/ghj/'); g ? g : null }

        then: 'the commit gets its failed status, with the token read from Vault'
        got.size() == 1
        got[0].path == "/ghj/repos/acme/widget/statuses/$broken"
        got[0].json.state == 'failure'
        got[0].json.context == 'stoker/jobfile'
        got[0].headers['authorization'] == "Bearer $TOKEN"

        cleanup:
        vault.sealed = false
    }

    def "a token that stays unreadable is given up after the window, with one warning naming the run, the state and why"() {
        given: 'a project whose token is at a Vault path the server may not read'
        project('gh-denied', [statusHost: 'github', statusApiUrl: api.url('/ghd')], 'DENIED_FORGE_TOKEN')

        when:
        String key = trigger('gh-denied', 'build')
        awaitEnd(key)
        def warning = Http.eventually(30_000) {
            logged.list.find { it.level.toString() == 'WARN' && it.formattedMessage.startsWith("run $key: commit status") }
        }

        then:
        warning.formattedMessage.startsWith("run $key: commit status 'succeeded' given up after ")
        warning.formattedMessage.contains('Vault denied reading secret/other/forge')
        logged.list.count { it.level.toString() == 'WARN' && it.formattedMessage.startsWith("run $key:") } == 1
        api.at('/ghd/').empty
        http.get("/runs/$key/deliveries").json.deliveries.empty
    }

    def "a token secret that is not set is told once a run, not once a state, and the run goes on"() {
        given:
        project('gh-unset', [statusHost: 'github', statusApiUrl: api.url('/ghu')], 'NO_SUCH_TOKEN')

        when: 'two runs, one after the other (the statuses are worked out in order, on one thread)'
        String first = trigger('gh-unset', 'build')
        def run = awaitEnd(first)
        String second = trigger('gh-unset', 'build')
        Http.eventually(30_000) { warnings(second) >= 1 }

        then: 'the first run, whose queued and running states were worked out before the second was queued, warned once'
        run.status == 'succeeded'
        warnings(first) == 1
        lines().find { it.formattedMessage.startsWith("run $first:") }.formattedMessage ==
                "run $first: no commit status sent: secret 'NO_SUCH_TOKEN' of project gh-unset is not set"
        api.at('/ghu/').empty
    }

    private int warnings(String key) {
        lines().count { it.level.toString() == 'WARN' && it.formattedMessage.startsWith("run $key:") }
    }

    /** What was logged so far: a copy taken under the appender's lock (it appends while holding it). */
    private List<ILoggingEvent> lines() {
        synchronized (logged) {
            new ArrayList<>(logged.list)
        }
    }

    def "an API that never answers, or is not there, neither slows nor fails the run"() {
        given: 'one project whose API accepts the connection and never answers, one whose port refuses connections'
        def hung = new ApiReceiver()
        hung.hang = true
        def closed = new ClosedPort()
        project('hung', [statusHost: 'github', statusApiUrl: hung.url()])
        project("dead", [statusHost: "gitea", statusApiUrl: "http://127.0.0.1:${closed.port}/api/v1".toString()])

        when:
        String slow = trigger('hung', 'build')
        String gone = trigger('dead', 'build')
        def slowRun = awaitEnd(slow)
        def goneRun = awaitEnd(gone)

        then: 'both runs succeeded while their first status was still unanswered'
        slowRun.status == 'succeeded'
        goneRun.status == 'succeeded'
        http.get("/runs/$slow/deliveries").json.deliveries.every { it.state == 'pending' }

        and: 'the outbox keeps retrying with the reason of each failed attempt'
        Http.eventually {
            def d = http.get("/runs/$gone/deliveries").json.deliveries
            d.size() == 3 && d[0].attempts >= 2 && d[0].state == 'pending' && d[0].history.every { it.error } ? d : null
        }
        Http.eventually(40_000) { // four times the outbox's timeout: the hung attempt ends at it
            def d = http.get("/runs/$slow/deliveries").json.deliveries
            d[0].attempts >= 1 && d[0].lastError ? d : null
        }

        cleanup:
        hung?.close()
        closed?.close()
    }

    def "the token is in no log line, no API answer and not in clear in the database"() {
        expect:
        logged.list.every { !it.formattedMessage.contains(TOKEN) }
        !http.get('/projects/on-gh').text.contains(TOKEN)
        http.get('/projects/on-gh').json.statusTokenSecret == 'FORGE_TOKEN'
        http.get('/projects/on-gh').json.commitStatuses == [host: 'github', apiUrl: api.url('/gh'), repository: 'acme/widget']
    }

    def "a malformed status field is refused naming it"() {
        expect:
        def r = http.post('/projects', [name: 'bad', gitUrl: repo.url(), branch: 'main'] + fields)
        r.status == 400
        r.text.contains(field)

        where:
        fields                                            | field
        [statusHost: 'bitbucket']                         | 'statusHost'
        [statusHost: 'svn']                               | 'statusHost'
        [statusApiUrl: 'ftp://api.example']               | 'statusApiUrl'
        [statusApiUrl: 'https://user:pw@api.example']     | 'statusApiUrl'
        [statusTokenSecret: '1-not-a-name']               | 'statusTokenSecret'
        [statusRepository: 'no slash here']               | 'statusRepository'
        [allowForkSecrets: 'yes']                         | 'allowForkSecrets'
    }

    def "a freestyle project has no commit to report on"() {
        expect:
        def r = http.post('/projects', [name: 'loose', jobfile: JOBFILE, statusTokenSecret: 'FORGE_TOKEN'])
        r.status == 400
        r.text.contains('statusTokenSecret')
    }
}

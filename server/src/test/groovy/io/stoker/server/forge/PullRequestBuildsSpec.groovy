package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import org.eclipse.jgit.lib.ObjectId
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files

import static io.stoker.server.forge.HostPayloads.*

/**
 * Pull/merge request webhooks shaped as GitHub, GitLab and Gitea/Forgejo document them, over real HTTP, build the
 * request's head commit (a fork's commit reachable only through the host's pull request ref) with {@code run.pr}
 * and its branches, and withhold secrets from forks unless the project allows them.
 */
@Stepwise
class PullRequestBuildsSpec extends ServerSpecification {
    static final String SECRET = 'pr-hook-secret'
    static final String JOBFILE = '''\
job('check') {
  secrets 'DEPLOY_KEY'
  triggers { push branches: ['main'] }
  task('t') {
    sh 'echo "pr=${{ run.pr }} branch=${{ run.branch }} target=${{ run.targetBranch }} env=$STOKER_PR/$STOKER_TARGET_BRANCH"'
    sh 'if [ -n "$DEPLOY_KEY" ]; then echo has-secret; else echo no-secret; fi'
  }
}
job('release') {
  triggers { push branches: ['release'] }
  task('t') { sh 'true' }
}
'''

    @Shared TestRepo repo
    @Shared String url
    @Shared String base
    @Shared ApiReceiver api = new ApiReceiver()
    /** The fork's pull request first refused, then delivered again once the project allows fork builds. */
    @Shared String forkSha
    @Shared byte[] forkBody
    @Shared Map<String, String> forkHeaders

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)))
    }

    def setupSpec() {
        def root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/widget.git'))
        url = repo.url()
        base = repo.commit('main', 'first', [Jobfile: JOBFILE])
        assert http.post('/projects', [name: 'widget', gitUrl: url, branch: 'main']).status == 201
        assert http.post('/secrets', [name: 'DEPLOY_KEY', value: 'deploy-key-value', project: 'widget']).status == 201
    }

    def cleanupSpec() {
        repo?.close()
        api?.close()
    }

    /** A commit reachable only through {@code ref} (a fork's commit, seen through the host's pull request ref). */
    String forkCommit(String ref, String message) {
        String sha = repo.commit('fork-tmp', message, [Jobfile: JOBFILE, 'fork.txt': message])
        repo.updateRef(ref, ObjectId.fromString(sha))
        repo.deleteBranch('fork-tmp')
        sha
    }

    static Map githubPullRequest(String url, String action, long number, String source, String sha, boolean fork) {
        def baseRepo = [id: 1, name: 'widget', full_name: 'acme/widget', fork: false, clone_url: url,
                        html_url: 'https://github.com/acme/widget', ssh_url: 'git@github.com:acme/widget.git']
        def headRepo = fork ? [id: 2, name: 'widget', full_name: 'outsider/widget', fork: true,
                               clone_url: 'https://github.com/outsider/widget.git'] : baseRepo
        [action: action, number: number,
         pull_request: [url: "https://api.github.com/repos/acme/widget/pulls/$number", id: 1000 + number, number: number,
                        state: 'open', title: 'A change', user: [login: 'outsider'],
                        head: [label: "${headRepo.full_name.tokenize('/')[0]}:$source", ref: source, sha: sha, repo: headRepo],
                        base: [label: 'acme:main', ref: 'main', sha: '0' * 40, repo: baseRepo]],
         repository: baseRepo, sender: [login: 'outsider', id: 2]]
    }

    Map runOf(Map reply) {
        assert reply.runs.size() == 1, reply
        def key = reply.runs[0].key
        def run = awaitEnd(key)
        run + [log: http.get("/runs/$key/log").text]
    }

    def "a GitHub pull request from a branch of the repository builds its head with run.pr, its branches and secrets"() {
        given:
        String sha = repo.commit('feature', 'a feature', [Jobfile: JOBFILE, 'feature.txt': 'x'])
        byte[] body = json(githubPullRequest(url, 'opened', 7, 'feature', sha, false))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then: 'only the job whose push trigger matches the target branch runs'
        reply.status == 202
        reply.json.runs*.job == ['check']
        def run = runOf(reply.json)
        run.status == 'succeeded'
        run.trigger == 'pull-request'
        run.commit == sha
        run.branch == 'feature'
        run.pr == [number: 7, targetBranch: 'main', secretsWithheld: false]
        run.metadata.pullRequest.by == 'outsider' // who opened or updated it: the payload's sender
        run.startedBy == 'outsider'
        run.log.contains('pr=7 branch=feature target=main env=7/main')
        run.log.contains('has-secret')
    }

    def "a pull request from a fork builds nothing until the project allows fork builds: its code is anyone's"() {
        given:
        forkSha = forkCommit('refs/pull/8/head', 'from a fork')
        forkBody = json(githubPullRequest(url, 'synchronize', 8, 'patch-1', forkSha, true))
        forkHeaders = githubHeaders(forkBody, SECRET, 'pull_request')
        long runsBefore = http.get('/runs?project=widget').json.total

        when:
        def reply = http.postRaw('/hooks/github', forkBody, forkHeaders)

        then:
        reply.status == 200
        reply.json.runs == []
        reply.json.projects*.outcome == ['fork-not-built']
        reply.json.message.contains('pull request #8 comes from a fork')
        reply.json.message.contains('"allowForkBuilds": true')
        http.get('/runs?project=widget').json.total == runsBefore
        http.get('/projects/widget').json.allowForkBuilds == false
    }

    def "a GitHub pull request from a fork, once allowed, builds the commit only its pull ref holds, without secrets"() {
        given: 'the project allows fork builds (not their secrets)'
        def put = http.put('/projects/widget', [gitUrl: url, branch: 'main', allowForkBuilds: true])
        assert put.status == 200, put.text
        assert put.json.allowForkBuilds == true && put.json.allowForkSecrets == false
        String sha = forkSha

        when: 'the host delivers the same delivery again: the one not built did not count as seen'
        def reply = http.postRaw('/hooks/github', forkBody, forkHeaders)

        then:
        reply.status == 202
        def run = runOf(reply.json)
        run.status == 'succeeded'
        run.commit == sha
        run.pr == [number: 8, targetBranch: 'main', secretsWithheld: true]
        run.log.contains('pr=8 branch=patch-1 target=main')
        run.log.contains('no-secret')
        !run.log.contains('has-secret')
    }

    def "closing a pull request, merged or not, builds nothing and says so"() {
        given:
        byte[] body = json(githubPullRequest(url, 'closed', 7, 'feature', base, false))

        expect:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))
        reply.status == 200
        reply.json.runs == []
        reply.json.projects*.outcome == ['pull-request-closed']
        reply.json.projects*.ref == ['refs/pull/7/head']
        reply.json.message == 'pull request #7 was closed'
    }

    def "labelling or editing a pull request builds nothing"() {
        given:
        byte[] body = json(githubPullRequest(url, action, 7, 'feature', base, false))

        expect:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))
        reply.status == 200
        reply.json.runs == []
        reply.json.message.contains("pull_request '$action' does not trigger builds")
        reply.json.event == 'pull_request' // the host's name of the event, as its delivery log shows it

        where:
        action << ['labeled', 'edited']
    }

    def "a GitLab merge request edited without new commits builds nothing, and its reply names the event as a built one's"() {
        given: 'an update without oldrev: its title or labels changed, not its commits'
        def payload = [object_kind: 'merge_request', event_type: 'merge_request',
                       project: [id: 15, name: 'widget', git_http_url: url, path_with_namespace: 'acme/widget'],
                       object_attributes: [iid: 9, action: 'update', source_branch: 'patch-2', target_branch: 'main',
                                           source_project_id: 15, target_project_id: 15]]
        byte[] body = json(payload)

        when:
        def reply = http.postRaw('/hooks/gitlab', body, gitlabHeaders(SECRET) + ['X-Gitlab-Event': 'Merge Request Hook'])

        then: 'pull_request, as the reply of a merge request that starts runs says, not the header\'s Merge Request Hook'
        reply.status == 200
        reply.json.runs == []
        reply.json.message.contains("merge request 'update' does not trigger builds")
        reply.json.event == 'pull_request'
    }

    def "a pull request whose head commit says [skip ci] builds nothing, though GitHub's and Gitea's payloads carry no message"() {
        given: 'a head commit whose message holds the marker; the payloads name only its SHA'
        String sha = repo.commit("skip-$host", "tidy the readme\n\n[skip ci]", [Jobfile: JOBFILE, 'README': host])
        long runsBefore = http.get('/runs?project=widget').json.total
        byte[] body = json(payload(sha))

        when:
        def reply = http.postRaw("/hooks/$host", body, headers(body))

        then: 'the mirror tells the message: nothing runs, and the reply names the marker'
        reply.status == 200
        reply.json.runs == []
        reply.json.projects*.outcome == ['skip-marker']
        reply.json.projects*.commit == [sha]
        reply.json.message == 'the head commit\'s message holds [skip ci]'
        http.get('/runs?project=widget').json.total == runsBefore

        where:
        host     | payload                                                                     | headers
        'github' | { String head -> githubPullRequest(url, 'opened', 30, 'skip-github', head, false) } | { byte[] b -> githubHeaders(b, SECRET, 'pull_request') }
        'gitea'  | { String head -> giteaPullRequest(url, 31, 'skip-gitea', head) }                 | { byte[] b -> giteaHeaders(b, SECRET, 'pull_request') }
    }

    static Map giteaPullRequest(String url, long number, String source, String sha) {
        def repository = [id: 140, name: 'widget', full_name: 'acme/widget', clone_url: url,
                          html_url: 'https://gitea.example.com/acme/widget']
        [action: 'opened', number: number,
         pull_request: [id: 100 + number, number: number, title: 'A change', state: 'open',
                        head: [label: source, ref: source, sha: sha, repo_id: 140, repo: repository],
                        base: [label: 'main', ref: 'main', sha: '0' * 40, repo_id: 140, repo: repository]],
         repository: repository, sender: [id: 1, login: 'acme']]
    }

    def "a GitLab merge request from a fork gets secrets once the project allows it"() {
        given:
        assert http.post('/secrets', [name: 'GITLAB_TOKEN', value: 'glpat-spec', project: 'widget']).status == 201
        def put = http.put('/projects/widget', [gitUrl: url, branch: 'main', allowForkSecrets: true, statusHost: 'gitlab',
                                                statusApiUrl: api.url('/gl/api/v4'), statusRepository: 'acme/widget',
                                                statusTokenSecret: 'GITLAB_TOKEN'])
        assert put.status == 200, put.text
        assert put.json.allowForkSecrets == true
        String sha = forkCommit('refs/merge-requests/9/head', 'from a GitLab fork')
        def payload = [object_kind: 'merge_request', event_type: 'merge_request',
                       user: [id: 4, name: 'Out Sider', username: 'outsider'],
                       project: [id: 15, name: 'widget', web_url: 'https://gitlab.example.com/acme/widget',
                                 git_ssh_url: 'git@gitlab.example.com:acme/widget.git', git_http_url: url,
                                 path_with_namespace: 'acme/widget', default_branch: 'main'],
                       object_attributes: [id: 99, iid: 9, title: 'A change', state: 'opened', action: 'open',
                                           source_branch: 'patch-2', target_branch: 'main', source_project_id: 16,
                                           target_project_id: 15, merge_status: 'unchecked',
                                           last_commit: [id: sha, message: 'from a GitLab fork', title: 'from a GitLab fork']],
                       repository: [name: 'widget', url: 'git@gitlab.example.com:acme/widget.git', homepage: 'https://gitlab.example.com/acme/widget']]
        byte[] body = json(payload)

        when:
        def reply = http.postRaw('/hooks/gitlab', body, gitlabHeaders(SECRET) + ['X-Gitlab-Event': 'Merge Request Hook'])

        then:
        reply.status == 202
        def run = runOf(reply.json)
        run.commit == sha
        run.pr == [number: 9, targetBranch: 'main', secretsWithheld: false]
        run.log.contains('pr=9 branch=patch-2 target=main')
        run.log.contains('has-secret')

        and: "its statuses name the merge request's ref: the fork's commit is on no branch of the project"
        Http.eventually { api.at('/gl/api/v4/projects/acme%2Fwidget/statuses/' + sha).size() == 3 }
        api.at('/gl/').every { it.json.ref == 'refs/merge-requests/9/head' }

        and: 'their context is the pull request one, so a push of the same commit keeps its own'
        api.at('/gl/').every { it.json.name == "stoker/pr/${run.job}" }

        when: 'an update that changes no commit (no oldrev) builds nothing'
        payload.object_attributes.action = 'update'
        byte[] edit = json(payload)
        def again = http.postRaw('/hooks/gitlab', edit, gitlabHeaders(SECRET) + ['X-Gitlab-Event': 'Merge Request Hook'])

        then:
        again.status == 200
        again.json.runs == []

        when: 'the merge request is merged, or closed'
        def ends = ['merge', 'close'].collect { action ->
            payload.object_attributes.action = action
            http.postRaw('/hooks/gitlab', json(payload), gitlabHeaders(SECRET) + ['X-Gitlab-Event': 'Merge Request Hook'])
        }

        then: 'nothing is built, and the reply names the request'
        ends*.status == [200, 200]
        ends.every { it.json.runs == [] && it.json.projects*.outcome == ['pull-request-closed'] }
        ends.every { it.json.projects*.ref == ['refs/merge-requests/9/head'] }
    }

    def "a Gitea pull request synchronized builds its head, the fork decided by the repositories' ids"() {
        given:
        String sha = forkCommit('refs/pull/10/head', 'from a Gitea fork')
        def repository = [id: 140, name: 'widget', full_name: 'acme/widget', clone_url: url,
                          html_url: 'https://gitea.example.com/acme/widget', ssh_url: 'ssh://git@gitea.example.com:2222/acme/widget.git']
        def payload = [action: 'synchronized', number: 10,
                       pull_request: [id: 3, number: 10, title: 'A change', state: 'open',
                                      head: [label: 'patch-3', ref: 'patch-3', sha: sha, repo_id: 141,
                                             repo: [id: 141, full_name: 'outsider/widget']],
                                      base: [label: 'main', ref: 'main', sha: base, repo_id: 140, repo: repository]],
                       repository: repository, sender: [id: 2, login: 'outsider']]
        byte[] body = json(payload)

        when: 'the project allows fork secrets again no more'
        assert http.put('/projects/widget', [gitUrl: url, branch: 'main', allowForkSecrets: false]).status == 200
        def reply = http.postRaw('/hooks/gitea', body, giteaHeaders(body, SECRET, 'pull_request'))

        then:
        reply.status == 202
        def run = runOf(reply.json)
        run.commit == sha
        run.pr == [number: 10, targetBranch: 'main', secretsWithheld: true]
        run.log.contains('pr=10 branch=patch-3 target=main')
        run.log.contains('no-secret')

        when: 'the pull request is closed'
        body = json(payload + [action: 'closed'])
        def closed = http.postRaw('/hooks/gitea', body, giteaHeaders(body, SECRET, 'pull_request'))

        then:
        closed.status == 200
        closed.json.runs == []
        closed.json.projects*.outcome == ['pull-request-closed']
        closed.json.projects*.ref == ['refs/pull/10/head']
    }

    def "a fork's pull request from a branch it calls 'main' is a history of its own: main's badge does not show it"() {
        given: 'main built and passing'
        String mainRun = http.post('/projects/widget/jobs/check/runs', [:]).json.key
        Http.eventually(60_000) { http.get("/runs/$mainRun").json.status == 'succeeded' }
        assert http.get('/projects/widget/jobs/check/badge.svg?branch=main').text.contains('passing')

        and: "a fork's commit whose build fails"
        String sha = repo.commit('fork-tmp', 'a failing fork', [Jobfile: "job('check') {\n  triggers { push branches: ['main'] }\n  task('t') { sh 'exit 1' }\n}\n"])
        repo.updateRef('refs/pull/12/head', ObjectId.fromString(sha))
        repo.deleteBranch('fork-tmp')
        byte[] body = json(githubPullRequest(url, 'opened', 12, 'main', sha, true))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then: 'the request built and failed, under the branch name it gave'
        reply.status == 202
        def run = runOf(reply.json)
        run.status == 'failed'
        run.branch == 'main'

        and: "main's badge still shows main's own last run"
        def badge = http.get('/projects/widget/jobs/check/badge.svg?branch=main').text
        badge.contains('passing')
        !badge.contains('failing')
    }

    def "a pull request's path filters see its own changes: from where it forks off the target branch to its head"() {
        given: "a project whose jobs filter paths, a branch off main that changes docs, and main changing the api since"
        def paths = TestRepo.create(dataDir.resolveSibling(dataDir.fileName.toString() + '-git').resolve('acme/paths.git'))
        String first = paths.commit('main', 'first', [Jobfile: """\
job('api') {
  triggers { push branches: ['main'], paths: ['api/**'] }
  task('t') { sh 'true' }
}
job('docs') {
  triggers { push branches: ['main'], paths: ['docs/**'] }
  task('t') { sh 'true' }
}
""", 'api/a.txt': '1', 'docs/a.md': '1'])
        assert http.post('/projects', [name: 'paths', gitUrl: paths.url(), branch: 'main']).status == 201
        paths.updateRef('refs/heads/doc-fix', ObjectId.fromString(first))
        String head = paths.commit('doc-fix', 'fix the docs', ['docs/a.md': '2'])
        paths.commit('main', 'change the api', ['api/a.txt': '2'])
        byte[] body = json(githubPullRequest(paths.url(), 'opened', 21, 'doc-fix', head, false))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then: 'only the job whose paths its own change passes'
        reply.status == 202
        reply.json.runs*.job == ['docs']
        reply.json.projects.find { it.project == 'paths' }.reason == '1 job held back by its path filter'
        reply.json.projects.find { it.project == 'paths' }.changedFiles == ['docs/a.md']

        cleanup:
        paths?.close()
    }
}

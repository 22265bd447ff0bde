package io.stoker.server.forge

import spock.lang.Stepwise

import static io.stoker.server.forge.HostPayloads.*

/**
 * A release job runs when a tag is pushed, as GitLab CI and GitHub Actions run one: signed GitHub deliveries over
 * real HTTP on 127.0.0.1 to a real server whose project's repository is served over git HTTP. The run builds the
 * commit the tag points to, knows the tag ({@code run.tag}, {@code STOKER_TAG}, the API's {@code tag}) and has no
 * branch. Features share the server and repository in order.
 */
@Stepwise
class TagPushSpec extends PushedRepoSpecification {
    static final String TAG_JOBFILE = '''\
job('release') {
  triggers { push tags: ['v*', 'release-*'] }
  task('t') { sh 'echo "tag=${{ run.tag }} env=$STOKER_TAG branch=${{ run.branch }}"' }
}
job('ci') {
  triggers { push branches: ['main'] }
  task('t') { sh 'echo "ci tag=[${STOKER_TAG:-unset}]"' }
}
'''

    @Override
    String jobfile() {
        TAG_JOBFILE
    }

    Map deliver(String ref, String before, String after, List<Map> commits = [], Map extra = [:]) {
        byte[] body = json(githubPush(url, ref, before, after, commits, extra))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))
        assert reply.status in [200, 202], reply.text
        reply.json as Map
    }

    String log(String key) {
        http.get("/runs/$key/tasks/t/log").text
    }

    def "a branch push starts the branch job, not the job that asks only for tags"() {
        given:
        String before = head
        head = repo.commit('main', 'second', ['README.md': 'app\n'])

        when:
        def reply = deliver('refs/heads/main', before, head, [commit(head, 'second', ['README.md'])])

        then:
        reply.runs*.job == ['ci']
        def run = awaitEnd(reply.runs[0].key as String)
        run.status == 'succeeded'
        run.branch == 'main'
        run.tag == null
        run.metadata.push == [host: 'github', branch: 'main', commit: head, by: 'octocat'] // by: the payload's sender
        run.startedBy == 'octocat' // the run names who started it as the host named them
        log(run.key as String).contains('ci tag=[unset]')
    }

    def "a lightweight tag push starts the tag job at the tag's commit, with run.tag and STOKER_TAG and no branch"() {
        given:
        repo.tag('v1.0', head)

        when:
        def reply = deliver('refs/tags/v1.0', '0' * 40, head)

        then:
        reply.runs*.job == ['release']
        reply.projects[0].outcome == 'started'
        def run = awaitEnd(reply.runs[0].key as String)
        run.status == 'succeeded'
        run.commit == head
        run.tag == 'v1.0'
        run.branch == null
        run.trigger == 'push'
        run.metadata.push.by == 'octocat'
        log(run.key as String).contains('tag=v1.0 env=v1.0 branch=')
    }

    def "a rerun of a tag's run keeps its tag"() {
        given:
        String earlier = http.get('/runs?project=mono&job=release').json.runs.last().key

        when:
        def rerun = http.post("/runs/$earlier/rerun", [:])

        then:
        rerun.status == 201
        with(awaitEnd(rerun.json.key as String)) {
            tag == 'v1.0'
            branch == null
            trigger == 'rerun'
        }
        log(rerun.json.key as String).contains('tag=v1.0 env=v1.0')
    }

    def "an annotated tag's push, whose payload names the tag object, builds the commit it points to"() {
        given:
        repo.tag('release-2', head, true)
        String tagObject = repo.repo.exactRef('refs/tags/release-2').objectId.name()
        assert tagObject != head

        when:
        def reply = deliver('refs/tags/release-2', '0' * 40, tagObject)

        then:
        reply.runs*.job == ['release']
        def run = awaitEnd(reply.runs[0].key as String)
        run.commit == head
        run.tag == 'release-2'
        log(run.key as String).contains('tag=release-2 env=release-2')
    }

    def "a tag no job asks for and a tag's deletion start nothing, and say why"() {
        given:
        repo.tag('nightly-3', head)

        when:
        def other = deliver('refs/tags/nightly-3', '0' * 40, head)
        def deleted = deliver('refs/tags/v1.0', head, '0' * 40, [], [deleted: true])

        then:
        other.runs == []
        other.projects[0].outcome == 'tag-push'
        other.projects[0].reason == "tag 'nightly-3' matches no job's push trigger 'tags'"
        other.projects[0].jobs.find { it.job == 'release' }.push == [[branches: [], tags: ['v*', 'release-*'], paths: [], pathsIgnore: []]]
        deleted.runs == []
        deleted.projects[0].outcome == 'tag-deleted'
    }

    def "GitLab's, Gitea's and Bitbucket Cloud's tag pushes start the tag job as GitHub's does"() {
        given: 'GitLab names an annotated tag\'s object in after and its commit in checkout_sha'
        repo.tag('v2.0', head, true)
        String tagObject = repo.repo.exactRef('refs/tags/v2.0').objectId.name()
        byte[] gitlab = json(gitlabPush(url, 'refs/tags/v2.0', '0' * 40, tagObject, [])
                + [object_kind: 'tag_push', event_name: 'tag_push', checkout_sha: head])
        repo.tag('v3.0', head)
        byte[] gitea = json(giteaPush(url, 'refs/tags/v3.0', '0' * 40, head, []))
        repo.tag('v4.0', head)
        Map cloud = bitbucketCloudPush(url.replaceAll(/\.git$/, ''), 'PROJ/mono', 'v4.0', null, head, 'second')
        cloud.push.changes[0].new.type = 'tag'
        byte[] bitbucket = json(cloud)

        when:
        def replies = [
                http.postRaw('/hooks/gitlab', gitlab, gitlabHeaders(SECRET) + ['X-Gitlab-Event': 'Tag Push Hook']),
                http.postRaw('/hooks/gitea', gitea, giteaHeaders(gitea, SECRET)),
                http.postRaw('/hooks/bitbucket', bitbucket, bitbucketCloudHeaders(bitbucket, SECRET))]

        then:
        replies*.status == [202, 202, 202]
        replies.collect { it.json.runs*.job } == [['release'], ['release'], ['release']]
        def runs = replies.collect { awaitEnd(it.json.runs[0].key as String) }
        runs*.tag == ['v2.0', 'v3.0', 'v4.0']
        runs*.commit == [head, head, head]
        runs*.status == ['succeeded', 'succeeded', 'succeeded']
    }
}

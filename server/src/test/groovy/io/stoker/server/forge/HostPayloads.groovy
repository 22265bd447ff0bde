package io.stoker.server.forge

import io.stoker.server.Http

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * Webhook deliveries built in code, shaped as each host documents them (GitHub "Webhook events and payloads: push",
 * GitLab "Webhook events: Push events", Gitea's api.PushPayload, Bitbucket Cloud "Event payloads: repo:push",
 * Bitbucket Data Center "Event payload: repo:refs_changed"), with the headers each sends.
 */
class HostPayloads {
    /** A commit as the push payloads list it. */
    static Map commit(String id, String message, List<String> added = [], List<String> modified = [], List<String> removed = []) {
        [id: id, message: message, added: added, modified: modified, removed: removed]
    }

    /** The owner/user object GitHub repeats in repository.owner, sender and commits. */
    private static Map githubUser(String login) {
        def m = [login: login, id: 21031067, node_id: 'MDQ6VXNlcjIxMDMxMDY3', avatar_url: "https://avatars.githubusercontent.com/u/21031067?v=4",
                 gravatar_id: '', url: "https://api.github.com/users/$login", html_url: "https://github.com/$login"]
        ['followers', 'following{/other_user}', 'gists{/gist_id}', 'starred{/owner}{/repo}', 'subscriptions', 'organizations',
         'repos', 'events{/privacy}', 'received_events'].each { m[(it.replaceAll(/\{.*/, '') + '_url')] = "https://api.github.com/users/$login/$it" }
        m + [type: 'User', site_admin: false]
    }

    /** GitHub's push payload for {@code cloneUrl}, with every field of its documented repository object. */
    static Map githubPush(String cloneUrl, String ref, String before, String after, List<Map> commits, Map extra = [:]) {
        String html = cloneUrl.replaceAll(/\.git$/, '')
        String api = 'https://api.github.com/repos/octo-org/mono'
        def repository = [id: 186853002, node_id: 'MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=', name: 'mono', full_name: 'octo-org/mono',
                          private: false, owner: githubUser('octo-org'), html_url: html, description: 'a monorepo', fork: false, url: html]
        ['forks', 'keys{/key_id}', 'collaborators{/collaborator}', 'teams', 'hooks', 'issue_events{/number}', 'events',
         'assignees{/user}', 'branches{/branch}', 'tags', 'blobs{/sha}', 'git_tags{/sha}', 'git_refs{/sha}', 'trees{/sha}',
         'statuses/{sha}', 'languages', 'stargazers', 'contributors', 'subscribers', 'subscription', 'commits{/sha}',
         'git_commits{/sha}', 'comments{/number}', 'issue_comment{/number}', 'contents/{+path}', 'compare/{base}...{head}',
         'merges', '{archive_format}{/ref}', 'downloads', 'issues{/number}', 'pulls{/number}', 'milestones{/number}',
         'notifications{?since,all,participating}', 'labels{/name}', 'releases{/id}', 'deployments'].each {
            repository[(it.replaceAll(/[{\/].*/, '') ?: 'archive') + '_url'] = "$api/$it"
        }
        repository += [created_at: 1557933565, updated_at: '2026-11-20T12:00:00Z', pushed_at: 1763640000,
                       git_url: 'git://github.com/octo-org/mono.git', ssh_url: 'git@github.com:octo-org/mono.git',
                       clone_url: cloneUrl, svn_url: html, homepage: null, size: 5120, stargazers_count: 3,
                       watchers_count: 3, language: 'Go', has_issues: true, has_projects: true, has_downloads: true,
                       has_wiki: true, has_pages: false, has_discussions: false, forks_count: 0, mirror_url: null,
                       archived: false, disabled: false, open_issues_count: 2, license: null, allow_forking: true,
                       is_template: false, web_commit_signoff_required: false, topics: [], visibility: 'public',
                       forks: 0, open_issues: 2, watchers: 3, default_branch: 'main', stargazers: 3, master_branch: 'main']
        def author = [name: 'Octo Cat', email: 'octocat@github.com', username: 'octocat']
        def full = commits.collect { c ->
            [id: c.id, tree_id: c.id.reverse(), distinct: true, message: c.message, timestamp: '2026-11-20T12:00:00Z',
             url: "$html/commit/${c.id}", author: author, committer: author, added: c.added, removed: c.removed, modified: c.modified]
        }
        [ref: ref, before: before, after: after, repository: repository,
         pusher: [name: 'octocat', email: 'octocat@github.com'], sender: githubUser('octocat'),
         created: false, deleted: false, forced: false, base_ref: null, compare: "$html/compare/${before.take(12)}...${after.take(12)}",
         commits: full, head_commit: full ? full.last() : null] + extra
    }

    static Map<String, String> githubHeaders(byte[] body, String secret, String event = 'push', String type = 'application/json') {
        ['X-GitHub-Event': event, 'X-GitHub-Delivery': UUID.randomUUID().toString(), 'X-GitHub-Hook-ID': '292430182',
         'X-Hub-Signature-256': 'sha256=' + hmac(body, secret), 'User-Agent': 'GitHub-Hookshot/044aadd', 'content-type': type]
    }

    /** GitHub's default encoding: {@code payload=<url-encoded JSON>}. */
    static byte[] form(Map payload) {
        ('payload=' + URLEncoder.encode(Http.JSON.writeValueAsString(plain(payload)), 'UTF-8')).getBytes('US-ASCII')
    }

    static byte[] json(Map payload) {
        Http.JSON.writeValueAsBytes(plain(payload))
    }

    /** The payload with Groovy's interpolated strings made plain strings (Jackson would write them as objects). */
    static Object plain(Object value) {
        switch (value) {
            case GString: return value.toString()
            case Map: return ((Map) value).collectEntries { k, v -> [(k.toString()): plain(v)] }
            case List: return ((List) value).collect { plain(it) }
            default: return value
        }
    }

    /** GitLab's push event (object_kind push); {@code total} may exceed the 20 commits GitLab lists. */
    static Map gitlabPush(String url, String ref, String before, String after, List<Map> commits) {
        def project = [id: 15, name: 'mono', description: '', web_url: url.replaceAll(/\.git$/, ''), avatar_url: null,
                       git_ssh_url: 'git@gitlab.example.com:octo-org/mono.git', git_http_url: url, namespace: 'octo-org',
                       visibility_level: 0, path_with_namespace: 'octo-org/mono', default_branch: 'main', ci_config_path: null,
                       homepage: url.replaceAll(/\.git$/, ''), url: 'git@gitlab.example.com:octo-org/mono.git',
                       ssh_url: 'git@gitlab.example.com:octo-org/mono.git', http_url: url]
        [object_kind: 'push', event_name: 'push', before: before, after: after, ref: ref, ref_protected: true,
         checkout_sha: after, message: null, user_id: 4, user_name: 'John Smith', user_username: 'jsmith',
         user_email: 'john@example.com', user_avatar: null, project_id: 15, project: project,
         commits: commits.collect { it + [timestamp: '2026-11-20T12:00:00+00:00', url: "${project.web_url}/-/commit/${it.id}",
                                          author: [name: 'John Smith', email: 'john@example.com']] },
         total_commits_count: commits.size(), push_options: [:],
         repository: [name: 'mono', url: project.url, description: '', homepage: project.homepage,
                      git_http_url: url, git_ssh_url: project.git_ssh_url, visibility_level: 0]]
    }

    static Map<String, String> gitlabHeaders(String token) {
        ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': token, 'X-Gitlab-Event-UUID': UUID.randomUUID().toString(),
         'X-Gitlab-Instance': 'https://gitlab.example.com', 'User-Agent': 'GitLab/18.5.0', 'content-type': 'application/json']
    }

    /** Gitea's (and Forgejo's) push payload; its "Test Delivery" sends one whose before equals after. */
    static Map giteaPush(String url, String ref, String before, String after, List<Map> commits) {
        def full = commits.collect { it + [url: url.replaceAll(/\.git$/, '') + "/commit/${it.id}",
                                           author: [name: 'Gitea', email: 'someone@gitea.io', username: 'gitea'],
                                           committer: [name: 'Gitea', email: 'someone@gitea.io', username: 'gitea'],
                                           timestamp: '2026-11-20T12:00:00Z'] }
        [ref: ref, before: before, after: after, compare_url: '', commits: full, total_commits: full.size(),
         head_commit: full ? full.last() : null,
         repository: [id: 140, owner: [id: 1, login: 'gitea', username: 'gitea'], name: 'mono', full_name: 'gitea/mono',
                      private: false, fork: false, html_url: url.replaceAll(/\.git$/, ''),
                      ssh_url: 'ssh://gitea@gitea.example.com:2222/gitea/mono.git', clone_url: url, default_branch: 'main'],
         pusher: [id: 1, login: 'gitea', username: 'gitea'], sender: [id: 1, login: 'gitea', username: 'gitea']]
    }

    static Map<String, String> giteaHeaders(byte[] body, String secret, String event = 'push') {
        String id = UUID.randomUUID().toString()
        ['X-Gitea-Event': event, 'X-Gitea-Event-Type': event, 'X-Gitea-Delivery': id, 'X-Gitea-Signature': hmac(body, secret),
         'X-Forgejo-Event': event, 'X-Forgejo-Delivery': id, 'X-Forgejo-Signature': hmac(body, secret),
         'X-Gogs-Event': event, 'X-Gogs-Delivery': id, 'content-type': 'application/json']
    }

    /** Bitbucket Cloud's repo:push: one change per ref, {@code old}/{@code new} states, no file lists. */
    static Map bitbucketCloudPush(String htmlUrl, String fullName, String branch, String oldHash, String newHash, String message) {
        def repo = [type: 'repository', full_name: fullName, name: fullName.tokenize('/').last(), scm: 'git', is_private: true,
                    uuid: '{7f3c2c54-2b4e-4e51-9d2b-3c3c1e6c1234}',
                    links: [self: [href: "https://api.bitbucket.org/2.0/repositories/$fullName"], html: [href: htmlUrl],
                            avatar: [href: 'https://bytebucket.org/ravatar/%7B7f3c%7D?ts=default']],
                    owner: [type: 'team', display_name: 'Team', uuid: '{1234}']]
        def target = { String hash, String msg -> [type: 'commit', hash: hash, message: msg, date: '2026-11-20T12:00:00+00:00',
                                                  author: [raw: 'Octo Cat <octocat@example.com>'], parents: [],
                                                  links: [html: [href: "$htmlUrl/commits/$hash"]]] }
        [actor: [type: 'user', display_name: 'Octo Cat', uuid: '{5678}'], repository: repo,
         push: [changes: [[new: [type: 'branch', name: branch, target: target(newHash, message)],
                           old: oldHash == null ? null : [type: 'branch', name: branch, target: target(oldHash, 'before')],
                           created: oldHash == null, forced: false, closed: false, truncated: false,
                           links: [html: [href: "$htmlUrl/branches/compare/${newHash}..${oldHash}"]],
                           commits: [[type: 'commit', hash: newHash, message: message]]]]]]
    }

    static Map<String, String> bitbucketCloudHeaders(byte[] body, String secret, String event = 'repo:push') {
        ['X-Event-Key': event, 'X-Request-UUID': UUID.randomUUID().toString(), 'X-Hook-UUID': UUID.randomUUID().toString(),
         'X-Attempt-Number': '1', 'X-Hub-Signature': 'sha256=' + hmac(body, secret), 'User-Agent': 'Bitbucket-Webhooks/2.0',
         'content-type': 'application/json']
    }

    /** Bitbucket Data Center's repo:refs_changed: the repository by project key and slug, changes by hash. */
    static Map bitbucketDcPush(String projectKey, String slug, String ref, String fromHash, String toHash, String type = 'UPDATE') {
        [eventKey: 'repo:refs_changed', date: '2026-11-20T12:00:00+0000',
         actor: [name: 'admin', emailAddress: 'admin@example.com', id: 1, displayName: 'Administrator', active: true, slug: 'admin', type: 'NORMAL'],
         repository: [slug: slug, id: 84, name: slug, hierarchyId: 'af05451fc6eb4bbc3b8e', scmId: 'git', state: 'AVAILABLE',
                      statusMessage: 'Available', forkable: true,
                      project: [key: projectKey, id: 84, name: 'project', public: false, type: 'NORMAL'], public: false],
         changes: [[ref: [id: ref, displayId: ref.replaceFirst('refs/heads/', ''), type: 'BRANCH'], refId: ref,
                    fromHash: fromHash, toHash: toHash, type: type]]]
    }

    static Map<String, String> bitbucketDcHeaders(byte[] body, String secret, String event = 'repo:refs_changed') {
        ['X-Event-Key': event, 'X-Request-Id': UUID.randomUUID().toString(),
         'X-Hub-Signature': 'sha256=' + hmac(body, secret), 'content-type': 'application/json; charset=utf-8']
    }

    static String hmac(byte[] body, String secret) {
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(secret.getBytes('UTF-8'), 'HmacSHA256'))
        mac.doFinal(body).encodeHex().toString()
    }
}

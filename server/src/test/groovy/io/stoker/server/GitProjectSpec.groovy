package io.stoker.server

import org.eclipse.jgit.api.Git
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/** Git projects through a file:// URL: the Jobfile and the workspace come from the commit being built. */
class GitProjectSpec extends ServerSpecification {
    @Shared Path repoDir
    @Shared Git git

    def setupSpec() {
        repoDir = dataDir.resolveSibling(dataDir.fileName.toString() + '-repo')
        git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch('main').call()
        commit('v1', 'first')
    }

    def cleanupSpec() {
        git?.close()
        repoDir?.toFile()?.deleteDir()
    }

    private String commit(String version, String message) {
        Files.writeString(repoDir.resolve('VERSION'), version + '\n')
        Files.writeString(repoDir.resolve('Jobfile'), """
job('show') {
  task('cat') { sh 'echo "version \$(cat VERSION) at \${{ run.commit }} on \${{ run.branch }}"' }
  task('${version}-only') { sh 'true' }
}
""")
        git.add().addFilepattern('.').call()
        git.commit().setMessage(message).setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call().name()
    }

    /** A repository at {@code dir} whose one commit, on {@code branch} (its HEAD), holds a Jobfile of {@code text}. */
    private static Git repository(Path dir, String branch, String text) {
        def repo = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call()
        Files.writeString(dir.resolve('Jobfile'), text)
        repo.add().addFilepattern('.').call()
        repo.commit().setMessage('first').setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call()
        repo
    }

    def "a git URL whose scheme is written in capitals names the same repository: #scheme"() {
        given:
        String name = scheme.replace('://', '')
        def served = name.equalsIgnoreCase('http') ? io.stoker.server.git.GitHttpServer.serve(repoDir.parent) : null
        String url = served ? served.url(repoDir.fileName.toString()).replaceFirst('^http', name) : scheme + repoDir

        when:
        def r = http.post('/projects', [name: 'caps', gitUrl: url, branch: 'main'])

        then: 'JGit picked its transport by the scheme as written and found "no git repository there"'
        r.status == 201
        r.json.gitUrl == name.toLowerCase() + url.substring(name.length())
        awaitEnd(trigger('caps', 'show')).status == 'succeeded'

        cleanup:
        http.delete('/projects/caps')
        served?.close()

        where:
        scheme << ['FILE://', 'HTTP://', 'Http://']
    }

    def "a git project compiles the Jobfile at the branch head and runs in that commit's tree"() {
        given:
        String first = git.repository.resolve('HEAD').name()

        when:
        def created = http.post('/projects', [name: 'repo', gitUrl: repoDir.toUri().toString(), branch: 'main'])

        then:
        created.status == 201
        created.json.kind == 'git'
        created.json.commit == first
        created.json.jobs == ['show']
        http.get('/projects/repo/jobs/show').json.graph.tasks*.name == ['cat', 'v1-only']

        when:
        def run = awaitEnd(trigger('repo', 'show'))

        then:
        run.status == 'succeeded'
        run.commit == first
        run.branch == 'main'
        http.get("/runs/${run.key}/tasks/cat/log").text.contains("version v1 at $first on main")
    }

    def "a git project created without a branch builds the repository's default branch, whatever its name"() {
        given: 'a repository whose HEAD is trunk'
        Path other = repoDir.resolveSibling(repoDir.fileName.toString() + '-trunk')
        def trunk = repository(other, 'trunk', "job('show') { task('cat') { sh 'echo on \${{ run.branch }}' } }")

        when:
        def created = http.post('/projects', [name: 'trunk-repo', gitUrl: other.toUri().toString()])

        then:
        created.status == 201
        created.json.branch == 'trunk'
        awaitEnd(trigger('trunk-repo', 'show')).branch == 'trunk'

        cleanup:
        trunk?.close()
        other?.toFile()?.deleteDir()
    }

    def "a git project's 'file' may name the Jobfile its repository has, not pick another one"() {
        when: 'the name the repository has, as a GET of the project shows it'
        def same = http.post('/projects', [name: 'named', gitUrl: repoDir.toUri().toString(), file: 'Jobfile'])

        then:
        same.status == 201
        http.get('/projects/named').json.file == 'Jobfile'

        when: 'another name, which would be shown while Jobfile is built'
        def other = http.post('/projects', [name: 'other-name', gitUrl: repoDir.toUri().toString(), file: 'Jobfile.yaml'])

        then:
        other.status == 400
        other.json.message == "'file' is Jobfile.yaml but the repository's Jobfile is Jobfile: a git project reads the " +
                "first of Jobfile, Jobfile.yaml, Jobfile.yml, Jobfile.json at its root; leave 'file' out"
        http.get('/projects/other-name').status == 404
    }

    def "a new commit is seen by refresh and by the next run; a ref builds an older commit"() {
        given:
        String first = git.repository.resolve('HEAD').name()
        String second = commit('v2', 'second')

        when:
        def refreshed = http.post('/projects/repo/refresh')

        then:
        refreshed.status == 200
        refreshed.json.commit == second
        http.get('/projects/repo/jobs/show').json.graph.tasks*.name == ['cat', 'v2-only']

        when:
        def newest = awaitEnd(trigger('repo', 'show'))
        def older = awaitEnd(trigger('repo', 'show', [ref: first]))

        then:
        newest.commit == second
        http.get("/runs/${newest.key}/tasks/cat/log").text.contains('version v2')
        older.commit == first
        older.tasks.keySet() == ['cat', 'v1-only'] as Set
        http.get("/runs/${older.key}/tasks/cat/log").text.contains('version v1')
    }

    def "a run's branch is the short name however its ref names it; a tag's run has none but its tag, as GitLab CI's"() {
        given: 'a branch feature/x and a tag v1.0 at the head'
        String head = git.repository.resolve('HEAD').name()
        git.branchCreate().setName('feature/x').call()
        git.tag().setName('v1.0').setAnnotated(false).setSigned(false).call()

        when:
        def named = awaitEnd(trigger('repo', 'show', [ref: 'feature/x']))
        def full = awaitEnd(trigger('repo', 'show', [ref: 'refs/heads/feature/x']))
        def tag = awaitEnd(trigger('repo', 'show', [ref: 'v1.0']))
        def fullTag = awaitEnd(trigger('repo', 'show', [ref: 'refs/tags/v1.0']))

        then: 'the API and run.branch agree with a push of the branch'
        named.branch == 'feature/x'
        full.branch == 'feature/x'
        http.get("/runs/${full.key}/tasks/cat/log").text.contains("at ${head} on feature/x")
        http.get("/runs?project=repo&branch=feature/x").json.runs*.key.containsAll([named.key, full.key])

        and: 'a tag run builds the tag\'s commit on no branch'
        [tag, fullTag]*.commit == [head, head]
        [tag, fullTag]*.branch == [null, null]

        and: 'it names the tag, as run.tag and STOKER_TAG do; a branch\'s run names none'
        [tag, fullTag]*.tag == ['v1.0', 'v1.0']
        [named, full]*.tag == [null, null]
    }

    def "a PUT of settings alone keeps a git project's repository and branch and changes just those settings"() {
        given: 'a project on a branch other than the repository default'
        String url = repoDir.toUri().toString()
        git.branchCreate().setName('keep-settings').call()
        assert http.post('/projects', [name: 'settings', gitUrl: url, branch: 'keep-settings']).status == 201

        when: "as the README's pull request section says to allow a fork's requests"
        def forks = http.put('/projects/settings', [allowForkBuilds: true])

        then:
        forks.status == 200
        forks.json.gitUrl == url
        forks.json.branch == 'keep-settings'
        forks.json.allowForkBuilds == true

        when: 'the commit status fields alone'
        def status = http.put('/projects/settings', [statusHost: 'github', statusApiUrl: 'http://127.0.0.1:9/gh',
                                                     statusRepository: 'octo/widget', statusTokenSecret: 'GH_TOKEN'])

        then:
        status.status == 200
        with(http.get('/projects/settings').json) {
            gitUrl == url
            branch == 'keep-settings'
            kind == 'git'
            jobs == ['show']
            allowForkBuilds == true
            statusHost == 'github'
            statusApiUrl == 'http://127.0.0.1:9/gh'
            statusRepository == 'octo/widget'
            statusTokenSecret == 'GH_TOKEN'
        }
    }

    def "a PUT of settings alone does not fetch: it goes through while the repository cannot be reached"() {
        given: 'a git project whose repository then goes away (its host is down)'
        Path gone = dataDir.resolveSibling(dataDir.fileName.toString() + '-gone')
        def repo = repository(gone, 'main', "job('kept') { task('t') { sh 'true' } }")
        assert http.post('/projects', [name: 'away', gitUrl: gone.toUri().toString()]).status == 201
        String commit = http.get('/projects/away').json.commit
        repo.close()
        gone.toFile().deleteDir()

        when: 'its webhook secret and fork flag are changed'
        def put = http.put('/projects/away', [webhookSecret: 'rotated', allowForkBuilds: true])

        then: 'they are, and its jobs and commit stay as they were'
        put.status == 200
        with(http.get('/projects/away').json) {
            jobs == ['kept']
            commit == commit
            allowForkBuilds == true
        }

        when: 'a change of the source needs the repository'
        def branch = http.put('/projects/away', [branch: 'main'])

        then: 'that one is refused, and the project is left as it was'
        branch.status >= 400 && branch.status < 500 || branch.status == 502
        http.get('/projects/away').json.jobs == ['kept']
    }

    def "a PUT without 'branch' keeps the project's branch, not the repository's default one"() {
        given:
        String url = repoDir.toUri().toString()
        git.branchCreate().setName('keep-branch').call()
        assert http.post('/projects', [name: 'branched', gitUrl: url, branch: 'keep-branch']).status == 201

        expect: 'the same repository given again, and a webhook secret alone'
        with(http.put('/projects/branched', [gitUrl: url])) {
            status == 200
            json.branch == 'keep-branch'
        }
        http.put('/projects/branched', [webhookSecret: 'only-this']).json.branch == 'keep-branch'
        awaitEnd(trigger('branched', 'show')).branch == 'keep-branch'
    }

    def "a freestyle project keeps its Jobfile on a PUT of settings and refuses status fields: it has no git URL"() {
        given:
        String text = "job('loose') { task('t') { sh 'true' } }"
        assert http.post('/projects', [name: 'loose', jobfile: text]).status == 201

        when:
        def kept = http.put('/projects/loose', [allowForkSecrets: true])

        then:
        kept.status == 200
        kept.json.kind == 'freestyle'
        kept.json.jobs == ['loose']
        kept.json.allowForkSecrets == true

        when:
        def refused = http.put('/projects/loose', [statusTokenSecret: 'GH_TOKEN'])

        then:
        refused.status == 400
        refused.json.message == "'statusTokenSecret' and the other status fields are for git projects: 'loose' has " +
                "no git URL, so its runs have no commit to set a status on"
        http.get('/projects/loose').json.statusTokenSecret == null
    }

    def "a PUT giving a new gitUrl replaces the source and keeps the branch and settings; a missing branch is named"() {
        given: 'a project on a branch, and the same repository moved to another URL with a newer commit there'
        String url = repoDir.toUri().toString()
        git.branchCreate().setName('moving').call()
        assert http.post('/projects', [name: 'moved', gitUrl: url, branch: 'moving', allowForkBuilds: true]).status == 201
        Path movedDir = repoDir.resolveSibling(repoDir.fileName.toString() + '-moved')
        def moved = Git.cloneRepository().setURI(url).setDirectory(movedDir.toFile()).call()
        moved.checkout().setName('moving').setCreateBranch(true).setStartPoint('origin/moving').call()
        Files.writeString(movedDir.resolve('Jobfile'), "job('after-move') { task('t') { sh 'true' } }")
        moved.add().addFilepattern('.').call()
        String head = moved.commit().setMessage('moved').setAuthor('spec', 'spec@example.org')
                .setCommitter('spec', 'spec@example.org').setSign(false).call().name()
        moved.checkout().setName('main').call() // its HEAD, which a PUT without a branch used to take
        String movedUrl = movedDir.toUri().toString()

        when:
        def put = http.put('/projects/moved', [gitUrl: movedUrl])

        then:
        put.status == 200
        put.json.gitUrl == movedUrl
        put.json.branch == 'moving'
        put.json.commit == head
        put.json.jobs == ['after-move']
        put.json.allowForkBuilds == true

        when: 'a repository without that branch'
        Path trunkDir = repoDir.resolveSibling(repoDir.fileName.toString() + '-trunk-only')
        def trunk = repository(trunkDir, 'trunk', "job('trunk') { task('t') { sh 'true' } }")
        def missing = http.put('/projects/moved', [gitUrl: trunkDir.toUri().toString()])

        then: 'the kept branch is named, and the project is left as it was'
        missing.status == 422
        missing.json.details.any { it.contains("'moving'") && it.contains("give 'branch'") }
        http.get('/projects/moved').json.gitUrl == movedUrl

        when: 'with a branch it has'
        def other = http.put('/projects/moved', [gitUrl: trunkDir.toUri().toString(), branch: 'trunk'])

        then:
        other.status == 200
        other.json.branch == 'trunk'
        other.json.jobs == ['trunk']

        when: 'a Jobfile makes it a freestyle project, and a gitUrl a git one on the repository default branch again'
        def freestyle = http.put('/projects/moved', [jobfile: "job('text') { task('t') { sh 'true' } }"])
        def back = http.put('/projects/moved', [gitUrl: url])

        then:
        freestyle.status == 200
        freestyle.json.kind == 'freestyle'
        freestyle.json.branch == null
        back.status == 200
        back.json.kind == 'git'
        back.json.branch == 'main'

        cleanup:
        moved?.close()
        trunk?.close()
        movedDir?.toFile()?.deleteDir()
        trunkDir?.toFile()?.deleteDir()
    }

    def "an add refused for its Jobfile or its branch leaves no fetched repository behind"() {
        given: 'a repository whose Jobfile does not compile'
        def broken = repository(dataDir.resolveSibling(dataDir.fileName.toString() + '-broken'), 'main', "job('x') {\n  tsk('a')\n}\n")

        expect: 'both adds are refused'
        http.post('/projects', [name: 'broken', gitUrl: broken.repository.directory.parentFile.toURI().toString()]).status == 422
        http.post('/projects', [name: 'nobranch', gitUrl: repoDir.toUri().toString(), branch: 'no-such']).status == 422

        and: 'neither left a mirror in the data directory'
        Files.list(dataDir.resolve('git')).withCloseable { s ->
            s.map { it.fileName.toString() }.filter { it.startsWith('broken-') || it.startsWith('nobranch-') }.toList()
        } == []

        and: 'the name is free and a later add of a mended repository works'
        http.post('/projects', [name: 'nobranch', gitUrl: repoDir.toUri().toString(), branch: 'main']).status == 201

        cleanup:
        broken?.close()
    }

    def "an unknown ref is a 422 naming it and the field that gave it, and an unreachable repository one with the reason"() {
        expect:
        with(http.post('/projects/repo/jobs/show/runs', [ref: 'no-such-branch'])) {
            status == 422
            json.message == "project 'repo': no branch, tag or commit named 'no-such-branch' in its repository"
            json.details == ['field: ref']
        }
        with(http.put('/projects/repo', [branch: 'no-such-branch'])) {
            status == 422
            json.message == "project 'repo': no branch, tag or commit named 'no-such-branch' in its repository"
            json.details == ['field: branch']
        }
        http.post('/projects', [name: 'gone', gitUrl: dataDir.resolve('nowhere').toUri().toString()]).status == 422
    }

    def "an empty #field is a 400 naming it, not a 422 for a ref named '' the repository lacks: #method #path"() {
        when:
        def r = method == 'PUT' ? http.put(path, body) : http.post(path, body)

        then:
        r.status == 400
        r.json.message.startsWith("'$field' is empty: give a branch, tag or commit, or leave it out")
        r.json.details == ["field: $field"]

        where:
        method | path                           | body                                                                    | field
        'POST' | '/projects/repo/jobs/show/runs' | [ref: '']                                                              | 'ref'
        'PUT'  | '/projects/repo'               | [branch: '']                                                            | 'branch'
        'POST' | '/projects'                    | [name: 'blank-branch', gitUrl: repoDir.toUri().toString(), branch: '']  | 'branch'
    }
}

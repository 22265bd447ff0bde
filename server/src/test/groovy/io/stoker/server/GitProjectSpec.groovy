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
        def trunk = Git.init().setDirectory(other.toFile()).setInitialBranch('trunk').call()
        Files.writeString(other.resolve('Jobfile'), "job('show') { task('cat') { sh 'echo on \${{ run.branch }}' } }")
        trunk.add().addFilepattern('.').call()
        trunk.commit().setMessage('first').setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call()

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

    def "an unknown ref or an unreachable repository is a 422 with the reason"() {
        expect:
        with(http.post('/projects/repo/jobs/show/runs', [ref: 'no-such-branch'])) {
            status == 422
            json.details[0].contains('no-such-branch')
        }
        http.post('/projects', [name: 'gone', gitUrl: dataDir.resolve('nowhere').toUri().toString()]).status == 422
    }
}

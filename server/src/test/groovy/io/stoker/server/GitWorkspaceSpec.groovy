package io.stoker.server

import org.eclipse.jgit.api.Git
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/** A git project's run workspace is a git checkout of the run's commit: git log, describe and status work in tasks. */
class GitWorkspaceSpec extends ServerSpecification {
    @Shared Path repoDir
    @Shared Git git

    def setupSpec() {
        repoDir = dataDir.resolveSibling(dataDir.fileName.toString() + '-ws-repo')
        git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch('main').call()
        Files.createDirectories(repoDir.resolve('src/deep'))
        Files.writeString(repoDir.resolve('src/deep/a.txt'), 'a\n')
        Files.writeString(repoDir.resolve('run.sh'), '#!/bin/sh\necho run\n')
        repoDir.resolve('run.sh').toFile().setExecutable(true)
        Files.writeString(repoDir.resolve('Jobfile'), '''
job('git') {
  task('look') {
    sh 'echo "log: $(git log --oneline -1)"; echo "count: $(git rev-list --count HEAD)"; echo "branch: $(git rev-parse refs/heads/main)"; echo "status: [$(git status --porcelain 2>&1)]"; echo "url: $STOKER_REPO_URL"; echo "describe: $(git describe --always)"'
  }
}
''')
        commitAll('first commit')
        Files.writeString(repoDir.resolve('src/deep/a.txt'), 'b\n')
        commitAll('second commit')
    }

    def cleanupSpec() {
        git?.close()
        repoDir?.toFile()?.deleteDir()
    }

    private void commitAll(String message) {
        git.add().addFilepattern('.').call()
        git.commit().setMessage(message).setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call()
    }

    def "a task sees the run's commit in git log, a clean git status, the branch, and STOKER_REPO_URL"() {
        given:
        String head = git.repository.resolve('HEAD').name()
        String url = repoDir.toUri().toString()

        when:
        def created = http.post('/projects', [name: 'gitws', gitUrl: url, branch: 'main'])
        def run = awaitEnd(trigger('gitws', 'git'))
        String log = http.get("/runs/${run.key}/tasks/look/log").text

        then:
        created.status == 201
        run.status == 'succeeded'
        log.contains("log: ${head.substring(0, 7)} second commit")
        log.contains('count: 1') // shallow: only the run's commit was copied, the parents are not missing objects
        log.contains("branch: $head")
        log.contains('status: []')
        log.contains("url: $url")
        log.contains("describe: ${head.substring(0, 7)}")
    }
}

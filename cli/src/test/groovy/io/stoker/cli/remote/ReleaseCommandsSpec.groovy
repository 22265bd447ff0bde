package io.stoker.cli.remote

import io.stoker.cli.CliRun
import org.eclipse.jgit.api.Git
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** {@code versions}, {@code list}, {@code project add NAME GIT_URL}, {@code project delete} and {@code completion}. */
class ReleaseCommandsSpec extends RemoteCliSpecification {
    static final String JOBFILE = '''
job('release') {
  publish version: '${{ outputs.build.version }}'
  task('build') {
    sh 'echo app > app.jar && echo "version=1.${{ run.number }}" >> "$STOKER_OUTPUT"'
    artifacts 'app.jar'
  }
}
'''
    @Shared @TempDir Path work

    def "a git project added by URL publishes versions that versions and list show"() {
        given:
        Path repo = work.resolve('repo')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        Files.writeString(repo.resolve('Jobfile'), JOBFILE)
        git.add().addFilepattern('Jobfile').call()
        git.commit().setMessage('jobfile').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()

        when:
        def add = stoker('project', 'add', 'shop', repo.toUri())
        def run = stoker('trigger', 'shop/release', '--follow')

        then:
        add.exit == 0
        add.out.trim() == 'created project shop (git) with jobs: release'
        run.exit == 0

        when:
        def table = stoker('versions', 'shop')
        def json = stoker('versions', 'shop', '--json')
        def list = stoker('list', 'SH')
        def listJson = CliRun.of('list', '--json', '--server', server.url(), '--token', token)

        then:
        table.exit == 0
        table.out.readLines()[0] ==~ /VERSION\s+STATUS\s+FAILED ON\s+RUN\s+CREATED\s+FILES\s+SIZE/
        table.out.readLines()[1] ==~ /1\.1\s+new\s+-\s+\S+\s+\S+\s+1\s+4/
        json.json().versions*.version == ['1.1']
        list.out.readLines()[1] ==~ /shop\s+git\s+release #1\s+succeeded\s+1\.1 \(new\)/
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(listJson.out, List)[0].latestVersion == [version: '1.1', status: 'new']
        stoker('list', 'nothing-like-it').out.trim() == "no project matches 'nothing-like-it'"
    }

    def "versions cut at --limit says how many there are and how to see them all"() {
        given: 'a project with two versions'
        Path repo = work.resolve('many')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        Files.writeString(repo.resolve('Jobfile'), JOBFILE)
        git.add().addFilepattern('Jobfile').call()
        git.commit().setMessage('jobfile').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()
        assert stoker('project', 'add', 'many', repo.toUri()).exit == 0
        assert stoker('trigger', 'many/release', '--follow').exit == 0
        assert stoker('trigger', 'many/release', '--follow').exit == 0

        when:
        def cut = stoker('versions', 'many', '--limit', '1')
        def whole = stoker('versions', 'many')

        then: 'the cut table ends with a line saying so; the whole one does not'
        cut.exit == 0
        cut.out.readLines()[1] ==~ /1\.2\s+new\s+.*/
        cut.out.readLines().drop(2) == ['the newest 1 of 2; --limit 2 shows them all; --page 2 shows the next 1']
        whole.out.readLines().size() == 3
        whole.out.readLines().last() ==~ /1\.1\s+new\s+.*/
    }

    def "versions --page N shows the N-th page of --limit versions, as runs --page does"() {
        when:
        def second = stoker('versions', 'many', '--limit', '1', '--page', '2')
        def json = stoker('versions', 'many', '--limit', '1', '--page', '2', '--json')
        def past = stoker('versions', 'many', '--limit', '1', '--page', '3')
        def bad = stoker('versions', 'many', '--page', '0')

        then: 'the older version, and where it stands'
        second.exit == 0
        second.out.readLines()[1] ==~ /1\.1\s+new\s+.*/
        second.out.readLines().drop(2) == ['version 2 of 2 (page 2 of 2)']
        json.json().page == 2
        json.json().versions*.version == ['1.1']

        and: 'a page past the last says which is the last; a page that cannot be is refused as typed'
        past.exit == 0
        past.out.trim() == 'no versions on page 3: the last page is 2 (2 versions at --limit 1)'
        bad.exit == 2
        bad.err.readLines()[0] == 'stoker: --page must be a whole number from 1 to 1000000, not 0'
    }

    def "trigger builds a tag given after the name, 'latest' builds the branch head, and --force-publish is for admins"() {
        given: 'a repository whose tag v1 is one commit behind main'
        Path repo = work.resolve('tagged')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        Files.writeString(repo.resolve('Jobfile'), JOBFILE.replace("1.\${{ run.number }}", 'fixed'))
        git.add().addFilepattern('Jobfile').call()
        def tagged = git.commit().setMessage('one').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()
        git.tag().setName('v1').setObjectId(tagged).setAnnotated(true).setMessage('v1').call()
        Files.writeString(repo.resolve('README'), 'two')
        git.add().addFilepattern('README').call()
        def head = git.commit().setMessage('two').setAuthor('t', 't@example.com').setCommitter('t', 't@example.com').call()
        assert stoker('project', 'add', 'tagged', repo.toUri()).exit == 0

        when:
        def byTag = stoker('trigger', 'tagged', 'v1', '--follow')
        def byLatest = stoker('trigger', 'tagged/release', 'latest', '--force-publish', '--follow')

        then: 'the tag\'s commit, then the head of main; the second publish of version fixed replaced the first'
        byTag.exit == 0
        byLatest.exit == 0
        runOf(byTag).commit == tagged.name()
        runOf(byLatest).commit == head.name()
        runOf(byLatest).forcePublish == true
        stoker('versions', 'tagged', '--json').json().versions*.run == [runOf(byLatest).key]

        when: 'a developer asks to force, or the revision is given twice'
        server.auth().users().create('admin', 'plain', 'plain-password-123', io.stoker.server.auth.Role.DEVELOPER)
        assert java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(server.url() + '/api/v1/projects/tagged/members/plain')).header('Authorization', 'Bearer ' + token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() in 200..204
        String devToken = server.auth().createApiToken('plain', 'spec', null).token()
        def forbidden = CliRun.of('trigger', 'tagged', '--force-publish', '--server', server.url(), '--token', devToken)
        def twice = stoker('trigger', 'tagged', 'v1', '--ref', 'main')

        then:
        forbidden.exit == 2
        forbidden.err.contains('admin')
        twice.exit == 2
        twice.err.contains('give the revision once')
    }

    Map runOf(CliRun triggered) {
        String key = (triggered.out =~ /run (\S+) \(#/)[0][1]
        stoker('status', key, '--json').json()
    }

    def "bad input: a project given two sources, an unknown status, an unknown project"() {
        expect:
        stoker('project', 'add', 'x', 'https://example.com/x.git', '--jobfile', 'Jobfile').with {
            exit == 2 && err.contains('give the project\'s source once')
        }
        stoker('versions', 'shop', '--status', 'shiny').with { exit == 2 && err.trim().readLines().size() <= 2 && err.contains("unknown status 'shiny'") }
        stoker('versions', 'nope').exit == 2
    }

    def "project delete is project remove"() {
        given:
        Path jobfile = work.resolve('Jobfile')
        Files.writeString(jobfile, "job('j') { task('t') { sh 'true' } }")
        assert stoker('project', 'add', 'tmp', '--jobfile', jobfile).exit == 0

        when:
        def deleted = stoker('project', 'delete', 'tmp')

        then:
        deleted.exit == 0
        deleted.out.trim() == 'removed project tmp'
        stoker('versions', 'tmp').exit == 2
    }

    def "completion prints a bash script that knows the commands"() {
        when:
        def script = CliRun.of('completion')

        then:
        script.exit == 0
        script.out.contains('complete -F _complete_stoker')
        script.out.contains('versions')
    }
}

package io.stoker.cli.remote

import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code stoker targets PROJECT} against a real server: each deploy target of the Jobfile with the version it runs,
 * since when, by whom and the run, and its latest attempt — never deployed, good, or a later deployment that failed
 * (2.0 on prod, with no earlier version left to roll back to: 1.0 was deleted, and prod still runs it).
 */
@Stepwise
class TargetsCommandSpec extends RemoteCliSpecification {
    static final String JOBFILE = '''
job('release') {
  parameters { string 'V', defaultValue: '1.0' }
  publish version: '${{ params.V }}'
  task('build') { sh 'echo "app $V" > app.txt'; artifacts 'app.txt' }
}
deploy('prod') { run 'test "$STOKER_DEPLOY_VERSION" != 2.0' }
deploy('staging') { run 'true' }
'''
    static final String ISO_SECOND = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/

    @Shared @TempDir Path work

    int delete(String path) {
        def request = HttpRequest.newBuilder(URI.create(server.url() + '/api/v1' + path))
                .header('Authorization', 'Bearer ' + token).DELETE().build()
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
    }

    def "a project's targets before any deployment: each the Jobfile declares, never deployed"() {
        given:
        Path jobfile = Files.writeString(work.resolve('Jobfile'), JOBFILE)
        assert stoker('project', 'add', 'shop', '--jobfile', jobfile).exit == 0
        assert stoker('trigger', 'shop/release', '-p', 'V=1.0', '--follow').exit == 0
        assert stoker('trigger', 'shop/release', '-p', 'V=2.0', '--follow').exit == 0

        when:
        def r = stoker('targets', 'shop')

        then:
        r.exit == 0
        r.out.readLines() == [
                'TARGET   VERSION  SINCE  BY  RUN  LATEST',
                'prod     -        -      -   -    never deployed',
                'staging  -        -      -   -    never deployed']
    }

    def "prod runs 1.0 since it was judged good, by admin, and 2.0 failed there after it"() {
        given: '1.0 deployed to prod, then deleted, so 2.0 failing there has nothing to roll back to'
        assert stoker('deploy', 'shop', '1.0', '--to', 'prod').exit == 0
        assert delete('/projects/shop/versions/1.0?force=true') == 204
        assert stoker('deploy', 'shop', '2.0', '--to', 'prod').exit == 1
        def prod = stoker('targets', 'shop', '--json').json().targets[0]

        when:
        def lines = stoker('targets', 'shop').out.readLines()

        then: 'one line per target: the version, since, by, the run that deployed it (by number), and the latest attempt'
        lines.size() == 3
        lines[0] ==~ /TARGET\s+VERSION\s+SINCE\s+BY\s+RUN\s+LATEST/
        lines[1] ==~ /prod\s+1\.0\s+$ISO_SECOND\s+admin\s+#${prod.current.runNumber}\s+bad: 2\.0 at $ISO_SECOND by admin, run #${prod.latest.runNumber}/
        [prod.current.runNumber, prod.latest.runNumber] == [1, 2]
        lines[2] ==~ /staging\s+-\s+-\s+-\s+-\s+never deployed/
    }

    def "the deployments table shows when each started as the targets table shows instants: to the second"() {
        when:
        def lines = stoker('deployments', 'shop', '--to', 'prod').out.readLines()
        def json = stoker('deployments', 'shop', '--json').json().deployments

        then: 'the server keeps finer than seconds; the table shows the same instant, cut to the second'
        lines.size() == 3
        lines[1] ==~ /2\s+prod\s+2\.0\s+bad\s+deploy\s+admin\s+$ISO_SECOND\s+#2/
        lines[2] ==~ /1\s+prod\s+1\.0\s+good\s+deploy\s+admin\s+$ISO_SECOND\s+#1/
        lines[1].contains(java.time.Instant.parse(json[0].startedAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())

        and: "the bad verdict names its run as the table does, and the log to read by the run's job"
        json[0].detail == "version 2.0 failed on prod (its run #2 failed; 'stoker logs shop/deploy-prod#2' says why)"
    }

    def "--json prints the server's reply: each target with the deployment it runs and the latest attempt"() {
        when:
        def r = stoker('targets', 'shop', '--json')
        def targets = r.json().targets

        then:
        r.exit == 0
        targets*.target == ['prod', 'staging']
        targets*.state == ['bad', 'never-deployed']
        targets[0].declared
        targets[0].current.version == '1.0'
        targets[0].current.by == 'admin'
        targets[0].latest.version == '2.0'
        targets[0].latest.state == 'bad'
        targets[1].current == null

        and: 'each deployment\'s run by key, number and job'
        targets[0].current.run && targets[0].current.runNumber == 1 && targets[0].current.job == 'deploy-prod'
        targets[0].latest.run && targets[0].latest.runNumber == 2 && targets[0].latest.job == 'deploy-prod'
    }

    def "after an automatic rollback prod runs the version rolled back to, and the failure is its latest attempt, rolled back"() {
        given: '1.1 deployed to prod, then 2.0, which fails there: stoker deploys 1.1 again'
        assert stoker('trigger', 'shop/release', '-p', 'V=1.1', '--follow').exit == 0
        assert stoker('deploy', 'shop', '1.1', '--to', 'prod').exit == 0
        assert stoker('deploy', 'shop', '2.0', '--to', 'prod').exit == 1
        def prod = stoker('targets', 'shop', '--json').json().targets[0]

        when:
        def lines = stoker('targets', 'shop').out.readLines()

        then: 'prod runs 1.1 by stoker (auto-rollback); its latest attempt is 2.0, bad and rolled back'
        prod.current.version == '1.1'
        prod.current.reason == 'auto-rollback'
        prod.latest.version == '2.0'
        lines[1] ==~ /prod\s+1\.1\s+$ISO_SECOND\s+stoker \(auto-rollback\)\s+#${prod.current.runNumber}\s+bad: 2\.0 at $ISO_SECOND by admin, run #${prod.latest.runNumber}, rolled back/
    }

    def "a project without deploy targets says how to declare one; an unknown project is refused in one line"() {
        given:
        Path jobfile = Files.writeString(work.resolve('Plain'), "job('build') { task('t') { sh 'true' } }")
        assert stoker('project', 'add', 'plain', '--jobfile', jobfile).exit == 0

        when:
        def plain = stoker('targets', 'plain')
        def unknown = stoker('targets', 'nope')

        then:
        plain.exit == 0
        plain.out.readLines() == ["project plain has no deploy targets; declare one in its Jobfile: deploy('staging') { run '…' }"]
        unknown.exit == 2
        unknown.out == ''
        unknown.err.readLines().size() == 1
        unknown.err.contains('nope')
    }
}

package io.stoker.samples

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

/** Every sample Jobfile, validated, drawn and run end to end through the real CLI jar. */
class SamplesSpec extends Specification {

    @TempDir
    Path data

    /** Samples with several jobs: the job a user starts. */
    static final Map<String, String> MAIN_JOB = ['10-trigger': 'build']

    @Shared
    List<String> samples = Files.list(Cli.ROOT.resolve('samples'))
            .filter { Files.isDirectory(it) && it.fileName.toString() ==~ /\d\d-.*/ }
            .collect { it.fileName.toString() }.sort()

    def "there are at least six samples"() {
        expect:
        samples.size() >= 6
    }

    def "sample #sample validates"() {
        when:
        def r = Cli.run('validate', "samples/$sample")

        then:
        r.exit == 0
        r.out ==~ /(?s)OK: \d+ jobs?, \d+ tasks?\n/

        where:
        sample << samples
    }

    def "the README's tour Jobfile validates without a warning, as a newcomer pastes it"() {
        given: 'the first groovy block of the README'
        def readme = Cli.ROOT.resolve('README.md').text
        def block = (readme =~ /(?s)```groovy\n(.*?)```/)[0][1]
        def jobfile = data.resolve('Jobfile')
        jobfile.text = block

        when:
        def r = Cli.run('validate', jobfile.toString())

        then:
        r.exit == 0
        r.out ==~ /OK: 1 job, \d+ tasks\n/
        r.err == ''
    }

    def "sample #sample draws as a tree"() {
        when:
        def r = Cli.run('graph', "samples/$sample")

        then:
        r.exit == 0
        r.out.startsWith('job ')
        r.out.contains('── ')

        where:
        sample << samples
    }

    def "sample #sample has a dry-run plan that runs nothing"() {
        when:
        def r = Cli.run(['run', "samples/$sample", '--dry-run', '--data-dir', data.toString(),
                         *(MAIN_JOB[sample] ? ['--job', MAIN_JOB[sample]] : [])] as String[])

        then:
        r.exit == 0
        !r.out.isBlank()
        !Files.exists(data.resolve('runs')) || Files.list(data.resolve('runs')).count() == 0

        where:
        sample << samples
    }

    def "01-sequential: the second step sees the first step's files"() {
        when:
        def r = run('01-sequential')

        then:
        r.exit == 0
        def s = r.json()
        s.status == 'succeeded'
        s.tasks.keySet() == ['prepare', 'build', 'report'] as Set
        log(s, 'prepare').contains('prepared: hello')
        log(s, 'report').contains('hello, world')
    }

    def "02-dag: package runs after lint and test"() {
        when:
        def s = run('02-dag').json()

        then:
        s.status == 'succeeded'
        s.tasks.values()*.status.every { it == 'succeeded' }
        Instant(s.tasks.package.startedAt) >= Instant(s.tasks.lint.finishedAt)
        Instant(s.tasks.package.startedAt) >= Instant(s.tasks.test.finishedAt)
        Instant(s.tasks.test.startedAt) >= Instant(s.tasks.compile.finishedAt)
        log(s, 'package').contains('packaged')
    }

    def "03-pipe: numbers stream through grep into awk, and head stops an endless writer"() {
        when:
        def s = run('03-pipe').json()

        then:
        s.status == 'succeeded'
        log(s, 'sum').contains('sum of numbers ending in 7: 500020000')
        log(s, 'numbers').contains('100000')
        log(s, 'first').count('stoker') == 3
        s.tasks.endless.status == 'succeeded'
    }

    def "04-outputs-artifacts: a named output reaches the dependant and the artifact zip"() {
        when:
        def s = run('04-outputs-artifacts').json()

        then:
        s.status == 'succeeded'
        s.tasks.version.outputs.version == '1.2.3'
        s.tasks.version.outputs.built_at ==~ /\d{4}-\d\d-\d\dT.*Z/
        log(s, 'check').contains('dist has version 1.2.3')
        def zip = new ZipFile(s.tasks.build.artifacts as String)
        zip.getInputStream(zip.getEntry('dist/v.txt')).text.trim() == '1.2.3'
        s.tasks.version.artifacts == null

        cleanup:
        zip?.close()
    }

    def "05-parameters-when: deploy is skipped by default and cleanup always runs"() {
        when:
        def s = run('05-parameters-when').json()

        then:
        s.status == 'succeeded'
        log(s, 'greet').contains('hello world, bound for staging')
        s.tasks.deploy.status == 'skipped'
        s.tasks['notify-failure'].status == 'skipped'
        s.tasks.cleanup.status == 'succeeded'
    }

    def "05-parameters-when: a name with quotes and a command in it is greeted, not run"() {
        when:
        def s = run('05-parameters-when', '-p', 'NAME=x"; echo INJECTED; echo "$(id)').json()

        then:
        s.status == 'succeeded'
        log(s, 'greet').contains('hello x"; echo INJECTED; echo "$(id), bound for staging')
        !log(s, 'greet').readLines().any { it.endsWith(' INJECTED') || it.contains('uid=') }
    }

    def "05-parameters-when: parameters given on the command line decide"() {
        when:
        def s = run('05-parameters-when', '-p', 'DEPLOY=true', '-p', 'ENV=prod', '-p', 'NAME=Ada').json()

        then:
        s.status == 'succeeded'
        log(s, 'greet').contains('hello Ada, bound for prod')
        log(s, 'deploy').contains('deploying to prod')
        s.tasks['notify-failure'].status == 'skipped'
    }

    def "05-parameters-when: a value outside the choices is refused before anything runs"() {
        when:
        def r = Cli.run('run', 'samples/05-parameters-when', '-p', 'ENV=qa', '--data-dir', data.toString())

        then:
        r.exit == 2
        r.err.contains('ENV')
        r.err.contains('staging')
    }

    def "06-python: a shebang step runs with python3 and writes an output"() {
        when:
        def s = run('06-python').json()

        then:
        s.status == 'succeeded'
        log(s, 'stats').contains('mean 3.875 median 3.5')
        s.tasks.stats.outputs.max == '9'
        log(s, 'use').contains('the largest value was 9')
    }

    def "07-matrix: one task per cell, each cell's outputs kept apart"() {
        when:
        def s = run('07-matrix').json()

        then:
        s.status == 'succeeded'
        s.tasks.keySet() == ['test[jdk=17,db=h2]', 'test[jdk=17,db=pg]', 'test[jdk=21,db=h2]', 'test[jdk=21,db=pg]', 'summary'] as Set
        s.tasks['test[jdk=21,db=pg]'].outputs.result == 'jdk21-pg-ok'
        log(s, 'summary').contains('jdk17-h2-ok jdk21-pg-ok')
        log(s, 'test[jdk=21,db=pg]').contains('testing on JDK 21 with pg')
    }

    def "08-yaml: a YAML Jobfile runs like a Groovy one"() {
        when:
        def s = run('08-yaml').json()

        then:
        s.status == 'succeeded'
        log(s, 'words').readLines().any { it.endsWith(' 1') || it.endsWith(' out 1') }
        new ZipFile(s.tasks.pages.artifacts as String).withCloseable { it.getEntry('site/index.html') != null }
    }

    def "09-retry-timeout: a flaky task succeeds on its third attempt"() {
        when:
        def s = run('09-retry-timeout').json()

        then:
        s.status == 'succeeded'
        s.tasks.flaky.attempts == 3
        log(s, 'flaky').contains('attempt 3')
        s.tasks['slow-but-bounded'].status == 'succeeded'
    }

    def "10-trigger: build triggers deploy with its version output, as a nested run that must succeed"() {
        when:
        def r = run('10-trigger', '--job', 'build')
        def s = r.json()

        then:
        s.status == 'succeeded'
        s.tasks.keySet() == ['version', 'package'] as Set
        def parent = log(s, 'package')
        parent.contains('triggering deploy with VERSION=2.4.42 TARGET=staging')
        parent.contains('triggered deploy run deploy-1')
        parent.contains('deploy run deploy-1 succeeded')
        parent.contains('deployed 2.4.42 to staging')

        and: 'the nested run has its own key, record, workspace and logs in the same data dir, and its console lines'
        Files.readString(data.resolve('runs/deploy-1/logs/ship.log')).contains('shipping 2.4.42 to staging')
        Files.readString(data.resolve('runs/deploy-1/run.json')).contains('"upstream"')
        Files.isDirectory(data.resolve('runs/deploy-1/workspace'))
        !Files.exists(data.resolve('runs/deploy-1/workspace/dist'))
        r.err.contains('deploy-1 ▸ ')
        r.err.contains('shipping 2.4.42 to staging')
    }

    private Cli.Result run(String sample, String... extra) {
        def r = Cli.run(['run', "samples/$sample", '--json', '--data-dir', data.toString(), *extra] as String[])
        assert r.exit in [0, 1]: r
        r
    }

    private static String log(Map summary, String task) {
        Path.of(summary.tasks[task].log as String).text
    }

    private static java.time.Instant Instant(Object text) {
        java.time.Instant.parse(text as String)
    }
}

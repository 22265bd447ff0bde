package io.stoker.cli

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

/** `stoker run` with trigger steps: nested local runs of the same Jobfile's jobs, real processes. */
@Timeout(120)
class TriggerRunSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    private CliRun run(String jobfile, Object... args) {
        project.resolve('Jobfile').text = jobfile
        CliRun.of(['run', project.resolve('Jobfile'), '--data-dir', data, *args] as Object[])
    }

    static final String DEPLOY = '''
job('deploy') {
  parameters { string 'VERSION'; bool 'BREAK', defaultValue: false }
  task('ship') { sh 'echo "ship $VERSION from $(basename "$(dirname "$PWD")")"; touch shipped; test "$BREAK" = false' }
}'''

    def "a job of the same Jobfile runs nested, in its own run directory and fresh workspace, and the parent goes on"() {
        given:
        project.resolve('source.txt').text = 'from the project'

        when:
        def r = run("""job('build') {
  task('make') {
    sh 'echo "v=7" >> "\$STOKER_OUTPUT"; touch made'
    trigger 'deploy', parameters: [VERSION: '\${{ run.key }}']
    sh 'test ! -e shipped && echo "parent workspace untouched"'
  }
}""" + DEPLOY, '--job', 'build', '--json')
        def s = r.json()

        then:
        r.exit == 0
        s.key == 'build-1'
        s.status == 'succeeded'
        s.tasks.keySet() == ['make'] as Set
        s.tasks.make.outputs == [v: '7']
        def log = Files.readString(Path.of(s.tasks.make.log))
        log.contains('triggered deploy run deploy-1')
        log.contains('deploy run deploy-1 succeeded')
        log.contains('parent workspace untouched')

        and: 'the nested run has its own key, workspace copy (without the parent\'s files) and log'
        Files.readString(data.resolve('runs/deploy-1/logs/ship.log')).contains('ship build-1 from deploy-1')
        Files.exists(data.resolve('runs/deploy-1/workspace/source.txt'))
        Files.exists(data.resolve('runs/deploy-1/workspace/shipped'))
        !Files.exists(data.resolve('runs/deploy-1/workspace/made'))
        r.err.contains('deploy-1 ▸ ship │ ship build-1 from deploy-1')
    }

    def "a nested run shows on the console after the task whose step started it, every time"() {
        given: 'the first task of the first run: its events come after its state was first saved, the slowest save'
        def jobfile = """job('build') {
  task('version') { sh 'echo v' }
  task('package') { needs 'version'; trigger 'deploy', parameters: [VERSION: '1'] }
}""" + DEPLOY

        expect:
        (1..5).every { int i ->
            def lines = run(jobfile, '--job', 'build').out.readLines()
            int version = lines.findIndexOf { it.contains('version started') }
            int pack = lines.findIndexOf { it.contains('package started') }
            int nested = lines.findIndexOf { it.startsWith("deploy-$i ▸ run deploy-$i") }
            assert 0 < version && version < pack && pack < nested: lines.join('\n')
            true
        }
    }

    def "a nested run's console keeps a progress bar's carriage returns, as the top level does"() {
        when:
        def r = run("""job('build') {
  task('make') { sh "printf 'up 10%%\\\\rup 100%%\\\\n'"; trigger 'progress' }
}
job('progress') {
  task('bar') { sh "printf 'down 10%%\\\\rdown 100%%\\\\n'" }
}""", '--job', 'build')

        then:
        r.exit == 0
        r.out.contains('make │ up 10%\rup 100%\n')
        r.out.contains('progress-1 ▸ bar │ down 10%\rdown 100%\n')
    }

    def "a nested run that fails fails the waiting step, and the parent run with it"() {
        when:
        def r = run("""job('build') {
  task('make') { trigger 'deploy', parameters: [VERSION: '1', BREAK: 'true'] }
  task('after') { needs 'make'; sh 'echo never' }
}""" + DEPLOY, '--job', 'build', '--json')
        def s = r.json()

        then:
        r.exit == 1
        s.status == 'failed'
        s.tasks.make.status == 'failed'
        s.tasks.after.status == 'skipped'
        Files.readString(Path.of(s.tasks.make.log)).contains('deploy run deploy-1 failed')
        Files.readString(data.resolve('runs/deploy-1/run.json')).contains('"failed"')
    }

    def "without wait the parent does not wait, yet the CLI lets the nested run finish before it exits"() {
        when:
        def r = run("""job('build') {
  task('make') { trigger 'deploy', parameters: [VERSION: '2'], wait: false }
}""" + DEPLOY, '--job', 'build')

        then:
        r.exit == 0
        Files.readString(data.resolve('runs/deploy-1/logs/ship.log')).contains('ship 2 from deploy-1')
        Files.readString(data.resolve('runs/deploy-1/run.json')).contains('"succeeded"')
    }

    def "a job that is not in the Jobfile is refused before anything runs, at the step's line"() {
        when:
        def r = run("""job('build') {
  task('make') { trigger 'elsewhere' }
}""")

        then:
        r.exit == 2
        r.err.contains("Jobfile:2:18: no job 'elsewhere' in this Jobfile to trigger")
        !Files.exists(data.resolve('runs/build-1'))
        !Files.exists(data.resolve('runs/elsewhere-1'))
    }

    def "a cycle of triggers between jobs is stopped at the first repeat"() {
        when:
        def r = run("""
job('a') { task('t') { trigger 'b' } }
job('b') { task('u') { trigger 'a' } }""", '--job', 'a', '--json')

        then:
        r.exit == 1
        Files.readString(data.resolve('runs/b-1/logs/u.log'))
                .contains("job 'a' is already running up this chain of triggers (a → b → a)")
        !Files.exists(data.resolve('runs/a-2'))
    }

    def "the dry run lists trigger steps with their parameters"() {
        when:
        def r = run("job('build') { task('make') { trigger 'deploy', parameters: [VERSION: '3'], wait: false } }" + DEPLOY,
                '--job', 'build', '--dry-run')

        then:
        r.exit == 0
        r.out.contains('trigger deploy VERSION=3 (does not wait)')
        r.out.readLines()[0].startsWith("dry run of job 'build': 1 task, at most")
        !r.out.readLines()[0].contains('pipe') // said only of a job with pipes
    }
}

package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Path

/**
 * {@code stoker trigger --task} against a real server started in process on 127.0.0.1: the server runs the tasks
 * named and what they need, as {@code stoker run --task} does locally, and refuses a name the job lacks.
 */
class TriggerTaskOptionSpec extends RemoteCliSpecification {

    static final String JOBFILE = '''
job('ci') {
  task('build') { sh 'echo built' }
  task('lint') { sh 'echo linted' }
  task('test') { needs 'build'; sh 'echo tested' }
}
'''

    @Shared @TempDir Path work

    def setupSpec() {
        Path jobfile = work.resolve('Jobfile')
        jobfile.text = JOBFILE
        assert stoker('project', 'add', 'demo', '--jobfile', jobfile).exit == 0
    }

    def "--task runs the task and what it needs on the server; the other tasks are skipped"() {
        when:
        def run = stoker('trigger', 'demo/ci', '--task', 'test', '--follow')
        def lines = run.out.readLines()
        String key = (lines[0] =~ /^run ([a-z2-7]{26}) /)[0][1]

        then:
        run.exit == 0
        lines.contains('[build] built')
        lines.contains('[test] tested')
        lines.contains('[lint] » skipped: not selected for this run')
        !lines.contains('[lint] linted')

        when:
        Map shown = new ObjectMapper().readValue(stoker('status', key, '--json').out, Map)

        then:
        shown.selectedTasks == ['test']
        shown.tasks.lint.status == 'skipped'
        shown.tasks.lint.reason == 'not selected for this run'

        and: 'status says the run was of some tasks'
        stoker('status', key).out.readLines().contains('  only:       test and what it needs')
    }

    def "--task repeats for several"() {
        when:
        def both = stoker('trigger', 'demo/ci', '--task', 'lint', '--task', 'build', '-f')

        then:
        both.exit == 0
        both.out.readLines().containsAll(['[lint] linted', '[build] built'])
        both.out.readLines().contains('[test] » skipped: not selected for this run')
        !both.out.contains('[test] tested')
    }

    def "#what given to --task is refused, exit 2, never a run of other tasks than those asked for"() {
        when:
        def refused = stoker('trigger', 'demo/ci', '--task', given)

        then:
        refused.exit == 2
        refused.err.readLines()[0] == error
        refused.out.isEmpty()

        where:
        what                   | given  | error
        'a name the job lacks' | 'tset' | "stoker: --task: job 'ci' has no task 'tset' — did you mean 'test'? (tasks: build, lint, test)"
        // selects nothing: every task is what leaving --task out runs, as the server refuses an empty 'tasks'
        'an empty name'        | ''     | 'stoker: --task is empty: name a task to run, or leave --task out to run every task'
    }
}

package io.stoker.dsl.groovy

import io.stoker.dsl.draft.JobDraft
import io.stoker.dsl.draft.JobfileDraft
import io.stoker.dsl.draft.Located
import io.stoker.dsl.draft.ParamDraft
import io.stoker.model.Pos
import io.stoker.model.Step
import spock.lang.Shared
import spock.lang.Specification

class GroovyFrontendSpec extends Specification {

    @Shared
    GroovyFrontend frontend = new GroovyFrontend()

    static final String WEB = '''\
job('web') {
  description 'Build the site'
  parameters {
    string 'NAME', defaultValue: 'world', description: 'who to greet'
    choice 'ENV', choices: ['staging', 'prod'], description: 'where'
    bool   'DEPLOY', defaultValue: false
  }
  env GREETING: 'hi'
  secrets 'NPM_TOKEN', 'OTHER'
  env NPM_TOKEN: secret('NPM_TOKEN')
  timeout minutes: 30
  agent 'linux && tool:docker'
  concurrency 1
  retryOnRestart true
  triggers {
    push branches: ['main', 'release/*']
    cron 'H 2 * * *'
    poll 'H/5 * * * *'
    after 'other-job', parameters: [X: 'y']
  }
  task('gen')   { sh 'seq 1 100000' }
  task('sum')   { input from: 'gen'; sh 'awk ...' }
  task('build') {
    needs 'version'
    sh 'step one'; sh 'step two'
    artifacts 'dist/**', 'reports/*.xml'
    retry 2
    timeout seconds: 60
    when 'params.DEPLOY && run.branch == "main"'
    agent 'linux'
    env K: 'v'; secrets 'X'
    matrix jdk: ['17', '21'], db: ['h2', 'pg']
  }
}
'''

    private JobfileDraft read(String text) {
        frontend.read('Jobfile', text)
    }

    private static Pos at(int line, int col) {
        new Pos(line, col)
    }

    def "a Jobfile using every word reads without diagnostics"() {
        expect:
        read(WEB).diagnostics.empty
    }

    def "job-level words land in the draft with their line and column"() {
        when:
        def job = read(WEB).jobs[0]

        then:
        job.name == 'web'
        job.pos == at(1, 1)
        job.description == 'Build the site'
        job.env == [GREETING: new Located('hi', at(8, 3)), NPM_TOKEN: new Located('${{ secrets.NPM_TOKEN }}', at(10, 3))]
        job.secrets == [new Located('NPM_TOKEN', at(9, 3)), new Located('OTHER', at(9, 3))]
        job.timeoutMillis == new Located(30 * 60_000L, at(11, 3))
        job.agent == new Located('linux && tool:docker', at(12, 3))
        job.concurrency == new Located(1L, at(13, 3))
        job.retryOnRestart
        job.tasks*.name == ['gen', 'sum', 'build']
    }

    def "parameters keep their type, default, choices, description and position"() {
        when:
        def parameters = read(WEB).jobs[0].parameters

        then:
        parameters == [
                new ParamDraft('string', 'NAME', 'world', null, 'who to greet', at(4, 5)),
                new ParamDraft('choice', 'ENV', null, ['staging', 'prod'], 'where', at(5, 5)),
                new ParamDraft('bool', 'DEPLOY', false, null, null, at(6, 5))]
    }

    def "triggers land in the draft with their positions"() {
        when:
        def job = read(WEB).jobs[0]

        then:
        job.pushTriggers == [new JobDraft.PushDraft(['main', 'release/*'], at(16, 5))]
        job.cronTriggers == [new Located('H 2 * * *', at(17, 5))]
        job.pollTriggers == [new Located('H/5 * * * *', at(18, 5))]
        job.afterTriggers.size() == 1
        with(job.afterTriggers[0]) {
            it.job() == 'other-job'
            parameters() == [X: 'y']
            pos() == at(19, 5)
        }
    }

    def "task words land in the draft with their positions, statement by statement"() {
        when:
        def tasks = read(WEB).jobs[0].tasks
        def gen = tasks[0], sum = tasks[1], build = tasks[2]

        then:
        gen.pos == at(21, 3)
        gen.steps == [new Step.Sh('seq 1 100000', at(21, 19))]
        sum.inputs == [new Located('gen', at(22, 19))]
        sum.steps == [new Step.Sh('awk ...', at(22, 38))]

        build.pos == at(23, 3)
        build.needs == [new Located('version', at(24, 5))]
        build.steps == [new Step.Sh('step one', at(25, 5)), new Step.Sh('step two', at(25, 20))]
        build.artifacts == [new Located('dist/**', at(26, 5)), new Located('reports/*.xml', at(26, 5))]
        build.retry == new Located(2L, at(27, 5))
        build.timeoutMillis == new Located(60_000L, at(28, 5))
        build.when == new Located('params.DEPLOY && run.branch == "main"', at(29, 5))
        build.agent == new Located('linux', at(30, 5))
        build.env == [K: new Located('v', at(31, 5))]
        build.secrets == [new Located('X', at(31, 17))]
        build.matrix == [jdk: new Located(['17', '21'], at(32, 5)), db: new Located(['h2', 'pg'], at(32, 5))]
    }

    def "tasks made in an each loop inside a job get names from the loop and the position of their statement"() {
        when:
        def draft = read('''\
job('loops') {
  ['a', 'b'].each { n ->
    task("t-$n") {
      sh "echo $n"
      needs "prep-${n.toUpperCase()}"
    }
  }
  for (int i = 1; i <= 2; i++) {
    task('f' + i) { sh 'true' }
  }
}
''')
        def tasks = draft.jobs[0].tasks

        then:
        draft.diagnostics.empty
        tasks*.name == ['t-a', 't-b', 'f1', 'f2']
        tasks*.pos == [at(3, 5), at(3, 5), at(9, 5), at(9, 5)]
        tasks[0].steps == [new Step.Sh('echo a', at(4, 7))]
        tasks[1].needs == [new Located('prep-B', at(5, 7))]
        tasks[0].name instanceof String
        tasks[0].steps[0].script() instanceof String
    }

    def "local variables, string operations, maps and closures over lists work"() {
        when:
        def draft = read('''\
def services = [web: 'npm test', api: 'mvn -B verify']
def prefix = 'check'
job('ci') {
  // a helper closure uses the words of the block it is written in
  def mk = { String name, String cmd ->
    task("$prefix-$name") { sh cmd.trim() }
  }
  services.each { name, cmd -> mk(name, cmd) }
}
def names = ['x', 'y', 'z'].findAll { it != 'y' }.collect { it.toUpperCase() }
job(names.join('-')) {
  task('one') { sh 'true' }
}
''')

        then:
        draft.diagnostics*.toString() == []
        draft.jobs*.name == ['ci', 'X-Z']
        draft.jobs[0].tasks*.name == ['check-web', 'check-api']
        draft.jobs[0].tasks*.pos == [at(6, 5), at(6, 5)]
        draft.jobs[0].tasks[1].steps[0].script() == 'mvn -B verify'
    }

    def "statements without braces under if, for and while get their own positions"() {
        when:
        def tasks = read('''\
job('j') {
  if (true) task('yes') { sh 'a' } else task('no') { sh 'b' }
  for (String n in ['x']) task(n) { sh 'c' }
  int i = 0
  while (i++ < 1) task('w') { sh 'd' }
}
''').jobs[0].tasks

        then:
        tasks*.name == ['yes', 'x', 'w']
        tasks*.pos == [at(2, 13), at(3, 27), at(5, 19)]
        tasks*.steps*.pos.flatten() == [at(2, 27), at(3, 37), at(5, 31)]
    }

    def "several jobs are read in order, jobs and tasks can be made in loops at the top level too"() {
        when:
        def draft = read('''\
['dev', 'prod'].each { stage ->
  job("deploy-$stage") {
    task('go') { sh "deploy $stage" }
  }
}
job('last') { task('t') { sh 'true' } }
''')

        then:
        draft.diagnostics.empty
        draft.jobs*.name == ['deploy-dev', 'deploy-prod', 'last']
        draft.jobs*.pos == [at(2, 3), at(2, 3), at(6, 1)]
        draft.jobs[1].tasks[0].steps[0].script() == 'deploy prod'
    }

    def "secret() grants the secret to the enclosing task or job and returns the template"() {
        when:
        def job = read('''\
job('s') {
  env TOKEN: secret('JOB_TOKEN')
  task('t') {
    env A: secret('TASK_TOKEN'), B: secret('TASK_TOKEN')
    sh 'echo ' + secret('OTHER')
  }
}
''').jobs[0]
        def task = job.tasks[0]

        then:
        job.secrets == [new Located('JOB_TOKEN', at(2, 3))]
        job.env.TOKEN.value() == '${{ secrets.JOB_TOKEN }}'
        task.secrets == [new Located('TASK_TOKEN', at(4, 5)), new Located('OTHER', at(5, 5))]
        task.env.A.value() == '${{ secrets.TASK_TOKEN }}'
        task.steps[0].script() == 'echo ${{ secrets.OTHER }}'
    }

    def "timeouts combine hours, minutes and seconds into milliseconds"() {
        expect:
        read("job('j') { timeout $given }").jobs[0].timeoutMillis.value() == millis

        where:
        given                            | millis
        'seconds: 90'                    | 90_000L
        'minutes: 30'                    | 1_800_000L
        'hours: 1, minutes: 1'           | 3_660_000L
        'minutes: 1.5'                   | 90_000L
        'hours: 2, minutes: 0, seconds: 5' | 7_205_000L
    }

    def "push() without branches means any branch, retryOnRestart() without argument means true"() {
        when:
        def job = read('''\
job('j') {
  retryOnRestart()
  triggers { push() }
}
''').jobs[0]

        then:
        job.retryOnRestart
        job.pushTriggers == [new JobDraft.PushDraft([], at(3, 14))]
    }

    def "env, needs and artifacts calls add up; a later env value for the same name wins"() {
        when:
        def task = read('''\
job('j') {
  task('t') {
    needs 'a'
    needs 'b', 'c'
    needs(['d'])
    env X: '1'
    env X: '2', Y: 3
    artifacts 'x'
    artifacts 'y'
  }
}
''').jobs[0].tasks[0]

        then:
        task.needs*.value() == ['a', 'b', 'c', 'd']
        task.needs*.pos() == [at(3, 5), at(4, 5), at(4, 5), at(5, 5)]
        task.env.X == new Located('2', at(7, 5))
        task.env.Y.value() == '3'
        task.artifacts*.value() == ['x', 'y']
    }

    def "env takes a map built in the Jobfile, whose keys the type checker cannot know to be text"() {
        when:
        def draft = read('''\
def names = ['A', 'B']
def built = names.collectEntries { [(it): it.toLowerCase()] }
job('j') {
  env built
  task('t') { env built; sh 'true' }
}
''')

        then:
        draft.diagnostics*.toString() == []
        draft.jobs[0].env.A.value() == 'a'
        draft.jobs[0].tasks[0].env.B.value() == 'b'
    }

    def "an env name that is not text is named as such"() {
        when:
        def draft = read("job('j') { task('t') { env([[1, 2]: 'x']); sh 'true' } }")

        then:
        draft.diagnostics*.message() == ['env names must be text, not a list']
    }

    def "a decimal env value is written out in full, never in scientific notation"() {
        when:
        def task = read("job('j') { task('t') { env K: 1e3, M: 2.5e-3, P: 3.10, I: 42 } }").jobs[0].tasks[0]

        then:
        task.env.K.value() == '1000'
        task.env.M.value() == '0.0025'
        task.env.P.value() == '3.10'
        task.env.I.value() == '42'
    }

    def "the front end records what was written and leaves semantics to validation"() {
        when: 'an unknown need, a cycle and a bad default are not the front end\'s business'
        def draft = read('''\
job('j') {
  parameters { bool 'B', defaultValue: 'maybe' }
  task('a') { needs 'b' }
  task('b') { needs 'a'; needs 'biuld' }
}
''')

        then:
        draft.diagnostics.empty
        draft.jobs[0].parameters[0].defaultValue() == 'maybe'
        draft.jobs[0].tasks[1].needs[1] == new Located('biuld', at(4, 26))
    }
}

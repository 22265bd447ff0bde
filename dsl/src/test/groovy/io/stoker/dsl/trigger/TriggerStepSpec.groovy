package io.stoker.dsl.trigger

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Pos
import io.stoker.model.Step
import spock.lang.Shared
import spock.lang.Specification

/** The {@code trigger} step through both front ends and the validator. */
class TriggerStepSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    static final String DEPLOY = '''
job('deploy') {
  parameters { string 'VERSION'; string 'TARGET', defaultValue: 'staging' }
  task('ship') { sh 'echo $VERSION $TARGET' }
}'''

    List<String> errors(String file = 'Jobfile', String text) {
        def result = compiler.compile(file, text)
        result.diagnostics().findAll { it.error }*.toString()
    }

    List<String> warnings(String text) {
        compiler.compile('Jobfile', text).diagnostics().findAll { !it.error }*.toString()
    }

    Step.Trigger only(CompileResult result, String job, String task) {
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        def steps = result.jobfile().job(job).get().task(task).get().steps()
        steps.find { it instanceof Step.Trigger } as Step.Trigger
    }

    def "a trigger step mixes with sh steps in order, keeps its parameters as templates and its position"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('build') {
  task('version') { sh 'echo version=1.2 >> "$STOKER_OUTPUT"' }
  task('publish') {
    needs 'version'
    sh 'echo before'
    trigger 'deploy', parameters: [VERSION: '${{ outputs.version.version }}'], wait: false
    sh 'echo after'
  }
}''' + DEPLOY)

        then:
        result instanceof CompileResult.Compiled
        def steps = result.jobfile().job('build').get().task('publish').get().steps()
        steps*.class == [Step.Sh, Step.Trigger, Step.Sh]
        steps[1] == new Step.Trigger('deploy', [VERSION: '${{ outputs.version.version }}'], false, new Pos(6, 5))
    }

    def "wait defaults to true and parameters to none"() {
        expect:
        only(compiler.compile('Jobfile', "job('a') { task('t') { trigger 'deploy' } }" + DEPLOY), 'a', 't') ==
                new Step.Trigger('deploy', [:], true, new Pos(1, 24))
    }

    def "bad options and values of trigger are reported at its statement"() {
        expect:
        errors("job('a') { task('t') { $word } }" + DEPLOY) == [expected]

        where:
        word                                           | expected
        "trigger 'deploy', wiat: true"                 | "Jobfile:1:24: unknown option 'wiat' for trigger — did you mean 'wait'? (known: parameters, wait)"
        "trigger 'deploy', wait: 'yes'"                | "Jobfile:1:24: trigger wait: takes true or false, not text"
        "trigger 'deploy', parameters: ['x']"          | "Jobfile:1:24: trigger parameters: takes a map, e.g. parameters: [VERSION: '1.2']"
        "trigger 'deploy', parameters: [VERSION: [1]]" | "Jobfile:1:24: trigger parameters: value for 'VERSION' must be text, not a list"
        "trigger 42"                                   | "Jobfile:1:24: wrong arguments for 'trigger' in task: got a number; write trigger('…') or trigger(name: value, …, '…')"
        "trigger ''"                                   | "Jobfile:1:24: trigger needs the name of the job to run"
    }

    def "a misspelt trigger word gets a suggestion, like every other word"() {
        expect:
        errors("job('a') { task('t') { triger 'deploy' } }") == ["Jobfile:1:24: unknown word 'triger' in task — did you mean 'trigger'?"]
    }

    def "parameter values are checked like env templates: upstream outputs, known params"() {
        expect:
        errors("""\
job('a') {
  parameters { string 'P' }
  task('late') { needs 't'; sh 'echo x=1 >> "\$STOKER_OUTPUT"' }
  task('t') {
    trigger 'deploy', parameters: [VERSION: '\${{ $ref }}']
  }
}""" + DEPLOY).collect { it.replaceAll(/ — .*/, '') } == expected

        where:
        ref                  | expected
        'params.P'           | []
        'params.NOPE'        | ["Jobfile:5:5: unknown parameter 'params.NOPE'"]
        'outputs.late.x'     | ["Jobfile:5:5: task 't' reads outputs of 'late' but does not need it"]
    }

    def "a job of the same Jobfile must declare every parameter the step sets"() {
        expect:
        errors("job('a') { task('t') { trigger 'deploy', parameters: [VERSOIN: '1', TARGET: 'prod'] } }" + DEPLOY) ==
                ["Jobfile:1:24: trigger sets unknown parameter 'VERSOIN' of job 'deploy' — did you mean 'VERSION'?"]
    }

    def "a plain name must be a job of this Jobfile; another project's job is resolved when the step runs"() {
        expect:
        errors("job('a') { task('t') { trigger 'elsewhere', parameters: [ANY: 'x'] } }") ==
                ["Jobfile:1:24: no job 'elsewhere' in this Jobfile to trigger (another project's job is written 'project/elsewhere')"]
        errors("job('a') { task('t') { trigger 'deplyo' } }" + DEPLOY) ==
                ["Jobfile:1:24: no job 'deplyo' in this Jobfile to trigger — did you mean 'deploy'? (another project's job is written 'project/deplyo')"]
        errors("job('a') { task('t') { trigger 'other/deploy', parameters: [ANY: 'x'] } }") == []
    }

    def "a task cannot trigger its own job, nor run a trigger inside a pipe"() {
        expect:
        errors("job('a') { task('t') { trigger 'a' } }") == ["Jobfile:1:24: task 't' triggers its own job 'a'"]
        errors("job('a') {\n  task('w') { trigger 'deploy' }\n  task('r') { input from: 'w'; sh 'cat' }\n}" + DEPLOY) ==
                ["Jobfile:2:15: task 'w' is joined by input: a trigger step cannot run in a pipe (move it to a task that needs the pipe's tasks)"]
    }

    def "in YAML and JSON a step list mixes scripts and trigger maps"() {
        given:
        def yaml = '''\
jobs:
  build:
    tasks:
      publish:
        sh:
          - echo before
          - {trigger: deploy, parameters: {VERSION: '1.2', TARGET: prod}, wait: false}
          - trigger: deploy
  deploy:
    parameters: [{name: VERSION}, {name: TARGET}]
    tasks:
      ship: {sh: echo $VERSION $TARGET}
'''
        when:
        def result = compiler.compile('Jobfile.yaml', yaml)

        then:
        result instanceof CompileResult.Compiled
        def steps = result.jobfile().job('build').get().task('publish').get().steps()
        steps[0] == new Step.Sh('echo before', new Pos(6, 13))
        steps[1] == new Step.Trigger('deploy', [VERSION: '1.2', TARGET: 'prod'], false, new Pos(7, 13))
        steps[2] == new Step.Trigger('deploy', [:], true, new Pos(8, 13))

        and: 'JSON says the same'
        def json = compiler.compile('Jobfile.json', '{"jobs": {"a": {"tasks": {"t": {"sh": ["x", {"trigger": "b", "wait": true}]}}},' +
                ' "b": {"tasks": {"u": {"sh": "y"}}}}}')
        json instanceof CompileResult.Compiled
        json.jobfile().job('a').get().task('t').get().steps()[1] instanceof Step.Trigger
    }

    def "YAML trigger steps report unknown keys, wrong types and a missing job"() {
        expect:
        errors('Jobfile.yaml', "jobs:\n  a:\n    tasks:\n      t:\n        sh: [$step]\n  deploy:\n    parameters: [{name: VERSION}]\n    tasks: {s: {sh: x}}\n") == expected

        where:
        step                                        | expected
        '{trigger: deploy, wiat: true}'             | ["Jobfile.yaml:5:32: unknown key 'wiat' in a trigger step — did you mean 'wait'?"]
        '{trigger: deploy, wait: yes please}'       | ["Jobfile.yaml:5:38: trigger wait must be true or false, not a string"]
        '{parameters: {VERSION: x}}'                | ["Jobfile.yaml:5:14: sh must be a string or a list of strings, not a map without 'trigger', 'buildImage' or 'publishImage' (a trigger step is {trigger: job, parameters: {…}, wait: true}; an image step {buildImage: {push: …}} or {publishImage: {from: …, push: …}})"]
        '{trigger: deploy, parameters: {VERSON: x}}' | ["Jobfile.yaml:5:14: trigger sets unknown parameter 'VERSON' of job 'deploy' — did you mean 'VERSION'?"]
        '[nested]'                                  | ["Jobfile.yaml:5:14: sh must be a string or a list of strings, not a list"]
    }

    def "the compiled step survives the JSON wire format of the isolated compiler"() {
        given:
        def mapper = new com.fasterxml.jackson.databind.ObjectMapper()
        def step = new Step.Trigger('deploy', [B: '2', A: '1'], false, new Pos(3, 4))

        when:
        def back = mapper.readValue(mapper.writeValueAsString(step), Step)

        then:
        back == step
        back.parameters().keySet().toList() == ['B', 'A']
        mapper.writeValueAsString(step).contains('"type":"trigger"')
    }
}

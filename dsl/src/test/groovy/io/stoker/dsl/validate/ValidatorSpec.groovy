package io.stoker.dsl.validate

import io.stoker.model.DidYouMean
import io.stoker.dsl.CompileResult
import io.stoker.dsl.draft.JobfileDraft
import io.stoker.model.Diagnostic
import io.stoker.model.Parameter
import io.stoker.model.Pos
import spock.lang.Specification

import static io.stoker.dsl.validate.Drafts.*

class ValidatorSpec extends Specification {

    def validator = new JobfileValidator()

    List<String> problems(JobfileDraft draft) {
        def result = validator.validate(draft)
        assert result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.error }*.toString()  // warnings have their own features
    }

    def "a valid draft compiles into the model, tasks in declaration order"() {
        when:
        def result = validator.validate(file(job('web', 1,
                task('gen', 2, sh: 'seq 1 10'),
                task('sum', 4, input: 'gen', sh: 'awk 1'),
                task('build', 6, needs: 'gen', sh: ['one', 'two'], retry: 2, timeout: 60000, artifacts: 'dist/**'))))

        then:
        result instanceof CompileResult.Compiled
        def job = result.jobfile().job('web').get()
        job.tasks()*.name() == ['gen', 'sum', 'build']
        job.task('sum').get().input() == 'gen'
        job.task('build').get().needs() == ['gen']
        job.task('build').get().steps()*.script() == ['one', 'two']
        job.task('build').get().retry() == 2
        job.task('build').get().timeoutMillis() == 60000
        job.task('build').get().artifacts() == ['dist/**']
        job.task('build').get().pos() == new Pos(6, 3)
    }

    def "an artifact pattern that can never match (absolute, leaving the workspace, empty) is told at its line, not after the run"() {
        expect:
        problems(file(job('web', 1, task('t', 2, artifacts: [pattern])))) == ["Jobfile:2:19: " + message]

        where:
        pattern         || message
        '/etc/hostname' || "artifact pattern '/etc/hostname' of task 't' must be relative to the task's workspace (artifacts are files the task made there)"
        '~/out/*.zip'   || "artifact pattern '~/out/*.zip' of task 't' must be relative to the task's workspace (artifacts are files the task made there)"
        '../*'          || "artifact pattern '../*' of task 't' leaves the workspace with '..': artifacts are files inside it"
        'dist/../../x'  || "artifact pattern 'dist/../../x' of task 't' leaves the workspace with '..': artifacts are files inside it"
        ' '             || "an artifact pattern of task 't' is empty"
    }

    def "artifact patterns inside the workspace are taken as written"() {
        expect:
        validator.validate(file(job('web', 1, task('t', 2, artifacts: ['dist/**', '*.tar.gz', 'a..b/c', '.hidden/x']))))
                instanceof CompileResult.Compiled
    }

    def "every problem is reported at once, sorted by line and column"() {
        expect:
        problems(file(job('web', 1,
                task('b', 5, needs: 'nope'),
                task('a', 2, needs: 'zzz'),
                task('a', 8)))) == [
                "Jobfile:2:11: unknown task 'zzz' in needs",
                "Jobfile:5:11: unknown task 'nope' in needs",
                "Jobfile:8:3: duplicate task 'a' (first defined at line 2)"]
    }

    def "the draft's own diagnostics are kept and sorted in"() {
        given:
        def draft = file(job('web', 1, task('a', 2, needs: 'x')))
        draft.diagnostics << Diagnostic.error('Jobfile', new Pos(1, 5), "unknown word 'tsk'")

        expect:
        problems(draft) == ["Jobfile:1:5: unknown word 'tsk'", "Jobfile:2:11: unknown task 'x' in needs"]
    }

    def "names: missing, malformed and duplicate names are errors"() {
        expect:
        problems(file(
                job('web', 1, task('', 2), task('a b', 4), task('ok', 6), task('café-build', 8)),
                job('web', 10, task('t', 11)),
                job('', 20, task('t', 21)))) == [
                'Jobfile:2:3: a task needs a name',
                "Jobfile:4:3: task name 'a b' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not a space",
                "Jobfile:8:3: task name 'café-build' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not 'é'",
                "Jobfile:10:1: duplicate job 'web' (first defined at line 1)",
                'Jobfile:20:1: a job needs a name']
    }

    def "a job name follows the task names' rule, its control characters shown escaped: #name"() {
        expect:
        problems(file(job(name, 3, task('t', 4)))) == ["Jobfile:3:1: job name '$shown' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', $why".toString()]

        where:
        name             | shown              | why
        'a\u001b[31mb'   | 'a\\u001b[31mb'    | "not '\\u001b'"
        'night\nly'      | 'night\\nly'        | "not '\\n'"
        'build/linux'    | 'build/linux'      | "not '/'"
        'nightly build'  | 'nightly build'    | 'not a space'
        '..'             | '..'               | 'and not only dots'
    }

    def "job names in YAML and JSON are checked as in Groovy"() {
        expect:
        new io.stoker.dsl.JobfileCompiler().compile('Jobfile.json', '{"jobs": {"a\\u001bb": {"tasks": {"t": {"sh": "x"}}}}}')
                .diagnostics()*.toString() == ["Jobfile.json:1:11: job name 'a\\u001bb' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not '\\u001b'"]
        new io.stoker.dsl.JobfileCompiler().compile('Jobfile.yaml', 'jobs:\n  ../x:\n    tasks: {t: {sh: x}}\n')
                .diagnostics()*.toString() == ["Jobfile.yaml:2:3: job name '../x' may only hold ASCII letters (a-z, A-Z), digits, '_', '.' and '-', not '/'"]
    }

    def "names longer than a server stores are errors, shown by their start"() {
        given:
        String longJob = 'j' * 201
        String longTask = 't' * 201

        expect:
        problems(file(
                job(longJob, 1, task('t', 2)),
                job('web', 10, task(longTask, 11), task('x' * 200, 13)))) == [
                'Jobfile:1:1: job name \'' + 'j' * 40 + '…\' is 201 characters long; at most 200',
                'Jobfile:11:3: task name \'' + 't' * 40 + '…\' is 201 characters long; at most 200']
    }

    def "a Jobfile of any syntax holds at most 100 jobs, as the server's sandboxed compile accepts"() {
        expect:
        problems(file(*(1..101).collect { int n -> job('j' + n, n * 10, task('t', n * 10 + 1, sh: 'true')) })) ==
                ['Jobfile:1010:1: a Jobfile holds at most 100 jobs; this one has 101']
        validator.validate(file(*(1..100).collect { int n -> job('j' + n, n * 10, task('t', n * 10 + 1, sh: 'true')) })) instanceof CompileResult.Compiled
    }

    def "a job holds at most 1000 tasks once its matrices are expanded, told at the task that crosses the limit"() {
        given: 'three tasks of 256 cells, then one of 233'
        def axis = (1..16).collect { "v$it".toString() }
        def big = (1..3).collect { int n -> task('m' + n, n * 10, matrix: [x: axis, y: axis]) }

        expect:
        problems(file(job('a', 1, *big, task('last', 40, matrix: [x: axis[0..7], y: (1..29).collect { "w$it".toString() }]), task('over', 50)))) ==
                ["Jobfile:50:3: more than 1000 tasks in job 'a'"]
        validator.validate(file(job('a', 1, *big, task('last', 40, matrix: [x: axis[0..7], y: (1..29).collect { "w$it".toString() }])))) instanceof CompileResult.Compiled
    }

    def "a Jobfile without jobs, a job without tasks and a task without steps are errors"() {
        expect:
        problems(file()) == ['Jobfile: the Jobfile defines no job — add job(\'name\') { … }']
        problems(file(job('web', 1, [] as io.stoker.dsl.draft.TaskDraft[]))) == ["Jobfile:1:1: job 'web' has no task — add task('name') { sh '…' }"]
        problems(file(job('web', 1, task('a', 2, sh: null)))) == ["Jobfile:2:3: task 'a' has no step — add sh '…'"]
    }

    def "parameter names must be identifiers and unique"() {
        expect:
        problems(file(job('web', 1, task('a', 9), params: [
                param('string', 'NAME', 2), param('string', '1X', 3), param('bool', 'NAME', 4), param('string', '', 5)]))) == [
                "Jobfile:3:5: parameter name '1X' must start with a letter or '_' and hold only letters, digits and '_'",
                "Jobfile:4:5: duplicate parameter 'NAME' (first defined at line 2)",
                'Jobfile:5:5: a parameter needs a name']
    }

    def "a parameter may not be named as a variable Stoker sets for every task: its value would never arrive"() {
        expect:
        problems(file(job('web', 1, task('a', 9), params: [
                param('string', 'CI', 2), param('string', 'STOKER_OUTPUT', 3), param('string', 'CIRCLE', 4)]))) == [
                "Jobfile:2:5: parameter name 'CI' is taken: Stoker sets CI for every task (CI and STOKER_*), so the parameter's value would never reach it",
                "Jobfile:3:5: parameter name 'STOKER_OUTPUT' is taken: Stoker sets STOKER_OUTPUT for every task (CI and STOKER_*), so the parameter's value would never reach it"]
    }

    def "a parameter may not replace a variable the task's shell relies on: PATH, HOME, LD_PRELOAD…"() {
        expect:
        problems(file(job('web', 1, task('a', 9), params: [
                param('string', 'PATH', 2), param('string', 'LD_PRELOAD', 3), param('string', 'PATHS', 4)]))) == [
                "Jobfile:2:5: parameter name 'PATH' would replace the task's own PATH, which its shell and programs rely on (anyone who may trigger the job could set it): give the parameter another name",
                "Jobfile:3:5: parameter name 'LD_PRELOAD' would replace the task's own LD_PRELOAD, which its shell and programs rely on (anyone who may trigger the job could set it): give the parameter another name"]
    }

    def "unknown needs get a did-you-mean suggestion"() {
        expect:
        problems(file(job('web', 1, task('build', 2), task('deploy', 4, needs: 'biuld')))) ==
                ["Jobfile:4:11: unknown task 'biuld' in needs — did you mean 'build'?"]
    }

    def "a task needing itself is an error"() {
        expect:
        problems(file(job('web', 1, task('a', 2, needs: 'a')))) == ["Jobfile:2:11: task 'a' needs itself"]
        problems(file(job('web', 1, task('a', 2, input: 'a')))) == ["Jobfile:2:12: task 'a' reads a pipe from itself"]
    }

    def "a cycle over needs and input is printed, at the position of its first edge"() {
        expect:
        problems(file(job('web', 1,
                task('a', 2, needs: 'b'),
                task('b', 4, needs: 'c'),
                task('c', 6, input: 'a'),
                task('d', 8, needs: 'a')))) == ['Jobfile:2:11: cycle: a → b → c → a']
    }

    def "needs that lead from one task of a pipe back to another task of it are a cycle: the pipe could never start"() {
        expect: 'report reads build (they start together), needs unit, which needs build'
        problems(file(job('web', 1,
                task('build', 2, sh: 'make'),
                task('unit', 4, needs: 'build'),
                task('report', 6, input: 'build', needs: 'unit')))) ==
                ["Jobfile:6:11: cycle through a pipe: 'report' needs 'unit', 'unit' needs 'build'; but 'build' and " +
                         "'report' are joined by a pipe and start together, so none of them can start"]

        and: 'a need outside the pipe that does not lead back into it is fine, as is a pipe of three'
        validator.validate(file(job('web', 1,
                task('prep', 2),
                task('build', 4, needs: 'prep'),
                task('filter', 6, input: 'build'),
                task('report', 8, input: 'filter', needs: 'prep'),
                task('after', 10, needs: 'report')))) instanceof CompileResult.Compiled
    }

    def "a need between two tasks of one pipe is never waited for, and the Jobfile is warned"() {
        when: 'a reader that needs its writer, and a second reader that needs the first'
        def result = validator.validate(file(job('web', 1,
                task('build', 2, sh: 'make'),
                task('lint', 4, input: 'build', needs: 'build'),
                task('count', 6, input: 'build', needs: 'lint'),
                task('after', 8, needs: 'count'))))

        then: 'it runs (they start together), and each such need is named'
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [
                "Jobfile:4:11: warning: task 'lint' needs 'build', but both are in the pipe that starts at 'build' and start " +
                        "together: the need is not waited for (a reader gets the writer's output as it is written; to " +
                        "wait for the whole of it, use an artifact or an output instead of input)",
                "Jobfile:6:11: warning: task 'count' needs 'lint', but both are in the pipe that starts at 'build' and start " +
                        "together: the need is not waited for (a reader gets the writer's output as it is written; to " +
                        "wait for the whole of it, use an artifact or an output instead of input)"]
    }

    def "two separate cycles are both reported"() {
        expect:
        problems(file(job('web', 1,
                task('a', 2, needs: 'b'), task('b', 4, needs: 'a'),
                task('c', 6, needs: 'd'), task('d', 8, needs: 'c')))) ==
                ['Jobfile:2:11: cycle: a → b → a', 'Jobfile:6:11: cycle: c → d → c']
    }

    def "a task piped from more than one writer is an error at the second writer"() {
        given:
        def reader = task('sum', 6)
        reader.inputs << new io.stoker.dsl.draft.Located<String>('gen', new Pos(6, 12))
        reader.inputs << new io.stoker.dsl.draft.Located<String>('gen2', new Pos(7, 12))

        expect:
        problems(file(job('web', 1, task('gen', 2), task('gen2', 4), reader))) ==
                ["Jobfile:7:12: task 'sum' is piped from more than one writer ('gen', 'gen2'); a task has one stdin"]
    }

    def "matrix tasks cannot be pipe readers or writers"() {
        expect:
        problems(file(job('web', 1,
                task('gen', 2, matrix: [n: ['1', '2']]),
                task('sum', 4, input: 'gen'),
                task('src', 6),
                task('m', 8, input: 'src', matrix: [n: ['1']])))) == [
                "Jobfile:4:12: task 'sum' reads a pipe from matrix task 'gen'; a pipe joins two single tasks",
                "Jobfile:8:12: matrix task 'm' cannot read a pipe; a pipe joins two single tasks"]
    }

    def "retry on either end of a pipe is an error, because a stream cannot be replayed"() {
        expect:
        problems(file(job('web', 1, task('gen', 2, retry: 1), task('sum', 4, input: 'gen', retry: 2)))) == [
                "Jobfile:2:13: task 'gen' writes a pipe to 'sum' and cannot retry (a stream cannot be replayed)",
                "Jobfile:4:13: task 'sum' reads a pipe and cannot retry (a stream cannot be replayed)"]
    }

    def "parameter defaults must match their type"() {
        expect:
        problems(file(job('web', 1, task('a', 20), params: [
                param('string', 'S', 2, 42),
                param('bool', 'B', 3, 'false'),
                param('bool', 'C', 4, 1),
                param('choice', 'E', 5, null, []),
                param('choice', 'F', 6, null, ['x', 'x', 3]),
                param('int', 'G', 7),
                param('strin', 'H', 8)]))) == [
                "Jobfile:2:5: default of string parameter 'S' must be a string, not the number 42 — quote it",
                "Jobfile:3:5: default of bool parameter 'B' must be true or false, not the string 'false' — drop the quotes",
                "Jobfile:4:5: default of bool parameter 'C' must be true or false, not the number 1",
                "Jobfile:5:5: choice parameter 'E' needs at least one choice",
                "Jobfile:6:5: duplicate choice 'x' in parameter 'F'",
                "Jobfile:6:5: choices of parameter 'F' must be strings, not the number 3",
                "Jobfile:7:5: unknown type 'int' of parameter 'G'; use string, choice or bool",
                "Jobfile:8:5: unknown type 'strin' of parameter 'H'; use string, choice or bool — did you mean 'string'?"]
    }

    def "valid parameters become typed model parameters"() {
        when:
        def result = validator.validate(file(job('web', 1, task('a', 9), params: [
                param('string', 'NAME', 2, 'world'), param('bool', 'DEPLOY', 3, false),
                param('choice', 'ENV', 4, 'prod', ['staging', 'prod'])])))

        then:
        def params = (result as CompileResult.Compiled).jobfile().jobs()[0].parameters()
        params[0] == new Parameter.StringParam('NAME', 'world', null, new Pos(2, 5))
        params[1] == new Parameter.BoolParam('DEPLOY', false, null, new Pos(3, 5))
        (params[2] as Parameter.ChoiceParam).choices() == ['prod', 'staging']
        params[2].defaultValue() == 'prod'
    }

    def "numbers must lie in their ranges"() {
        expect:
        problems(file(job('web', 1, task('a', 2, retry: 11), task('b', 4, retry: -1, timeout: 0),
                timeout: -5, concurrency: -1))) == [
                "Jobfile:1:32: timeout of job 'web' must be positive",
                "Jobfile:1:33: concurrency of job 'web' must be 0 (no limit) or more, got -1",
                "Jobfile:2:13: retry of task 'a' must be between 0 and 10, got 11",
                "Jobfile:4:13: retry of task 'b' must be between 0 and 10, got -1",
                "Jobfile:4:14: timeout of task 'b' must be positive"]
    }

    def "a matrix expands into cells named in declaration order"() {
        when:
        def result = validator.validate(file(job('web', 1,
                task('test', 2, matrix: [jdk: ['17', 21], db: ['h2', 'pg']]),
                task('all', 4, needs: 'test'),
                task('one', 6, needs: 'test[jdk=17,db=h2]'),
                task('swapped', 8, needs: 'test[db=pg,jdk=21]'))))

        then:
        def job = (result as CompileResult.Compiled).jobfile().jobs()[0]
        job.tasks()*.name() == ['test[jdk=17,db=h2]', 'test[jdk=17,db=pg]', 'test[jdk=21,db=h2]', 'test[jdk=21,db=pg]',
                                'all', 'one', 'swapped']
        job.tasks()[1].baseName() == 'test'
        job.tasks()[1].matrix() == [jdk: '17', db: 'pg']
        job.task('all').get().needs() == job.tasks()[0..3]*.name()
        job.task('one').get().needs() == ['test[jdk=17,db=h2]']
        job.task('swapped').get().needs() == ['test[jdk=21,db=pg]']
    }

    def "matrix problems: unknown cell, empty axis, non-scalar values, too many cells"() {
        expect:
        problems(file(job('web', 1,
                task('test', 2, matrix: [jdk: ['17', '21']]),
                task('one', 4, needs: 'test[jdk=71]'),
                task('e', 6, matrix: [a: []]),
                task('n', 8, matrix: [a: [['x']]]),
                task('big', 10, matrix: [a: (1..20).toList(), b: (1..20).toList()])))) == [
                "Jobfile:4:11: unknown cell 'test[jdk=71]' in needs — did you mean 'test[jdk=17]'?",
                "Jobfile:6:16: matrix axis 'a' of task 'e' needs at least one value",
                "Jobfile:8:16: matrix axis 'a' may only hold strings, numbers and booleans",
                "Jobfile:10:3: matrix of task 'big' has 400 cells; at most 256 are allowed"]
    }

    def "cron and poll specs are checked by the server's cron parser, in its words; after triggers name a job"() {
        expect:
        problems(file(job('web', 1, task('a', 2), cron: ['H 2 * * *', '* * *', 'H 2 * * $', 'H 25 * * *'],
                poll: ['@daily', 'H/5 * * * * *'], after: [[job: '']]))) == [
                "Jobfile:1:34: cron '* * *': expected 5 fields (minute hour day-of-month month day-of-week), found 3",
                "Jobfile:1:34: cron 'H 2 * * \$': day-of-week: '\$' is not a number, a range a-b, *, H or H(a-b), optionally followed by /step",
                "Jobfile:1:34: cron 'H 25 * * *': hour: 25 is out of range 0-23",
                "Jobfile:1:35: cron 'H/5 * * * * *': expected 5 fields (minute hour day-of-month month day-of-week), found 6",
                'Jobfile:1:36: an after trigger needs the name of the job it follows']
    }

    def "secrets and environment names must be identifiers"() {
        expect:
        problems(file(job('web', 1, task('a', 2, env: ['A-B': 'x']), secrets: ['TOKEN', 'TOKEN', 'no-no']))) == [
                "Jobfile:1:31: duplicate secret 'TOKEN'",
                "Jobfile:1:31: secret name 'no-no' must start with a letter or '_' and hold only letters, digits and '_'",
                "Jobfile:2:17: environment variable name 'A-B' must start with a letter or '_' and hold only letters, digits and '_'"]
    }

    def "did-you-mean counts a swap of two letters as one edit"() {
        expect:
        DidYouMean.closest('biuld', ['build', 'deploy']) == Optional.of('build')
        DidYouMean.closest('xyz', ['build', 'deploy']) == Optional.empty()
    }
}

package io.stoker.dsl.groovy

import io.stoker.model.Diagnostic
import spock.lang.Shared
import spock.lang.Specification

import java.time.Duration

class GroovyDiagnosticsSpec extends Specification {

    @Shared
    GroovyFrontend frontend = new GroovyFrontend()

    private List<String> problems(String text, GroovyFrontend with = frontend) {
        with.read('Jobfile', text).diagnostics*.toString()
    }

    def "an unknown word is reported where it was written, with the closest word of its block"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                        | expected
        "job('a') {\n  task('b') {\n    neeeds 'x'\n  }\n}"         | "Jobfile:3:5: unknown word 'neeeds' in task — did you mean 'needs'?"
        "job('a') {\n  taks('b') { sh 'x' }\n}"                     | "Jobfile:2:3: unknown word 'taks' in job — did you mean 'task'?"
        "job('a') {\n  job('b') { task('t') { sh 'x' } }\n}"       | "Jobfile:2:3: unknown word 'job' in job — jobs do not nest: write each job('…') { … } at the top level of the Jobfile"
        "job('a') { descripton 'x' }"                               | "Jobfile:1:12: unknown word 'descripton' in job — did you mean 'description'?"
        "job('a') { parameters { strng 'X' } }"                     | "Jobfile:1:25: unknown word 'strng' in parameters — did you mean 'string'?"
        "job('a') { triggers { crn 'H * * * *' } }"                 | "Jobfile:1:23: unknown word 'crn' in triggers — did you mean 'cron'?"
        "jbo('a') { }"                                              | "Jobfile:1:1: unknown word 'jbo' in the Jobfile — did you mean 'job'?"
        "job('a') { task('b') { frobnicate 1 } }"                   | "Jobfile:1:24: unknown word 'frobnicate' in task"
        "job('a') { ['x'].each { n -> task(n) { artefacts 'a' } } }" | "Jobfile:1:40: unknown word 'artefacts' in task — did you mean 'artifacts'?"
    }

    def "another CI tool's word inside a job or task is answered with Stoker's way to say it, not the nearest spelling"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                              | expected
        "job('a') {\n  stage('build') { sh 'make' }\n}"                 | "Jobfile:2:3: unknown word 'stage' in job — a stage is a task here: task('name') { sh '…' }"
        "job('a') {\n  stages { }\n}"                                   | "Jobfile:2:3: unknown word 'stages' in job — tasks need no stages block: write task('name') { sh '…' } in the job"
        "job('a') {\n  task('b') { steps { sh 'make' } }\n}"            | "Jobfile:2:15: unknown word 'steps' in task — a task's steps are its sh lines: write sh '…' in the task itself"
        "job('a') {\n  task('b') { script 'make' }\n}"                  | "Jobfile:2:15: unknown word 'script' in task — a script is a step: write sh '…'"
        "job('a') {\n  task('b') { depends_on 'c'; sh 'x' }\n}"         | "Jobfile:2:15: unknown word 'depends_on' in task — write needs 'task'"
        "job('a') {\n  environment X: '1'\n}"                           | "Jobfile:2:3: unknown word 'environment' in job — write env NAME: 'value'"
    }

    def "a word written with a YAML colon is told, not read as a Groovy label that would drop its value: #code"() {
        expect:
        problems(code) == [expected]

        where:
        code                                                                   | expected
        "job('a') {\n  task('b') { sh 'x' }\n  task('c') {\n    needs: ['b']\n    sh 'y'\n  }\n}" | "Jobfile:4:5: 'needs:' is not a word of a Groovy Jobfile (Groovy reads it as a label and ignores what follows): write needs … without the ':'"
        "job('a') {\n  task('b') {\n    sh: 'make'\n  }\n}"                | "Jobfile:3:5: 'sh:' is not a word of a Groovy Jobfile (Groovy reads it as a label and ignores what follows): write sh … without the ':'"
        "job('a') {\n  task('b') {\n    sh 'x'\n    script: 'make'\n  }\n}" | "Jobfile:4:5: 'script:' is not a word of a Groovy Jobfile (Groovy reads it as a label and ignores what follows) — a script is a step: write sh '…'"
        "job('a') {\n  env:\n    FOO: 'x'\n  task('b') { sh 'x' }\n}" | "Jobfile:2:3: 'env:' is not a word of a Groovy Jobfile (Groovy reads it as a label and ignores what follows): write env … without the ':'"
    }

    def "a line Groovy cannot read because it is written as a YAML key is told so, at the key: #code"() {
        expect:
        problems("job('a') {\n  task('b') {\n    sh 'make'\n    $code\n  }\n}") == ["Jobfile:4:5: $expected".toString()]

        where:
        code                                 | expected
        'if: "github.ref == \'main\'"'       | "'if:' is written as in YAML, which a Groovy Jobfile is not — a condition is written when 'expression', e.g. when 'run.branch == \"main\"'"
        "runs-on: 'ubuntu-latest'"           | "'runs-on:' is written as in YAML, which a Groovy Jobfile is not — where a task runs is written agent 'label' (without it, on the server)"
        'timeout-minutes: 10'                | "'timeout-minutes:' is written as in YAML, which a Groovy Jobfile is not — write timeout minutes: 10 (or timeout '10m')"
        "cache-dir: 'x'"                     | "'cache-dir:' is written as in YAML, which a Groovy Jobfile is not: its words take no ':'"
    }

    def "unexpected text is quoted from the line of the error, not from the start of the block around it"() {
        expect:
        problems("job('a') {\n  task('b') {\n    sh 'make'\n    ) oops\n  }\n}") == ["Jobfile:4:5: unexpected text here: ')'"]
    }

    def "a quoted name before a block without parentheses is told to take them: #code"() {
        expect:
        problems(code) == [expected]

        where:
        code                                            | expected
        "job('a') {\n  task 'build' { sh 'make' }\n}"  | "Jobfile:2:3: write task('build') { … }: a name before a block needs parentheses (without them Groovy reads 'build' { … } as a call of its own)"
        'job "a" {\n  task(\'b\') { sh \'x\' }\n}'     | "Jobfile:1:1: write job('a') { … }: a name before a block needs parentheses (without them Groovy reads 'a' { … } as a call of its own)"
    }

    def "Jenkins' timeout(time:, unit:) is told once, in Stoker's words"() {
        expect:
        problems("job('a') {\n  task('b') {\n    sh 'x'\n    timeout(time: 5, unit: 'MINUTES')\n  }\n}") ==
                ["Jobfile:4:5: Jenkins' timeout(time: …, unit: …) is written timeout minutes: 5 (or seconds:, minutes:, hours:)"]
    }

    def "continueOnError is answered with allowFailure"() {
        expect:
        problems("job('a') {\n  task('b') { sh 'x'; continueOnError true }\n}") ==
                ["Jobfile:2:23: unknown word 'continueOnError' in task — write allowFailure true (its failure then does not fail the run)"]
    }

    def "a label before a loop is still Groovy's own"() {
        expect:
        problems("job('a') {\n  outer: for (n in ['x', 'y']) { task(n) { sh 'x' } }\n}") == []
    }

    def "a word given the wrong kind of argument says, in the DSL's words, what it got and what it takes"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                  | expected
        "job('a') { task('b') { retry 'two' } }"              | "Jobfile:1:24: wrong arguments for 'retry' in task: got text; write retry(a whole number)"
        "job('a') { concurrency 'one' }"                      | "Jobfile:1:12: wrong arguments for 'concurrency' in job: got text; write concurrency(a whole number)"
        "job('a') { task('b') { timeout 60 } }"               | "Jobfile:1:24: wrong arguments for 'timeout' in task: got a number; a number alone has no unit: write timeout minutes: 60 (or seconds:, hours:), or timeout '60m'"
        "job('a') { task('b') { sh 'x'; when { branch 'main' } } }" | "Jobfile:1:32: wrong arguments for 'when' in task: got a { … } block; a condition is an expression in text, not a block: Jenkins' when { branch 'main' } is written when 'run.branch == \"main\"'"
        "job(42) { task('t') { sh 'x' } }"                    | "Jobfile:1:1: wrong arguments for 'job' in the Jobfile: got a number, a { … } block; write job('…') { … }"
        "job('a') { task('b') { sh script: 'x' } }"           | "Jobfile:1:24: wrong arguments for 'sh' in task: got named arguments (name: value); write sh('…')"
        "job('a') { task('b') { sh 'x'; artifacts 5 } }"      | "Jobfile:1:32: wrong arguments for 'artifacts' in task: got a number; write artifacts('…', …) or artifacts([…]) or artifacts(name: value, …) or artifacts(name: value, …, '…', '…', …) or artifacts(name: value, …, […])"
        "job('a') { task('b') { sh 'x'; privileged 'yes' } }" | "Jobfile:1:32: wrong arguments for 'privileged' in task: got text; write privileged(true/false)"
        "job('a') { task('b') { sh 1.5 } }"                   | "Jobfile:1:24: wrong arguments for 'sh' in task: got a decimal number; write sh('…')"
        "job('a') { task('b') { sh(['x']) } }"                | "Jobfile:1:24: wrong arguments for 'sh' in task: got a list; write sh('…')"
        "job('a') { task('b') { sh { 'x' } } }"               | "Jobfile:1:24: wrong arguments for 'sh' in task: got a { … } block; write sh('…')"
        "job('a') { task('b') { sh() } }"                     | "Jobfile:1:24: wrong arguments for 'sh' in task: got nothing; write sh('…')"
        "job('a') { task('b') { sh 'x'; needs(null) } }"      | "Jobfile:1:32: wrong arguments for 'needs' in task: got null; write needs('…', …) or needs([…])"
        "job('a') { task('b') { sh 'x'; artifacts null } }"   | "Jobfile:1:32: wrong arguments for 'artifacts' in task: got null; write artifacts('…', …) or artifacts([…]) or artifacts(name: value, …) or artifacts(name: value, …, '…', '…', …) or artifacts(name: value, …, […])"
        "job('a') { task('gen') { sh 'x' }; task('b') { input 'gen'; sh 'x' } }" | "Jobfile:1:48: wrong arguments for 'input' in task: got text; write input from: 'gen'"
        "job('a') { task('b') { input 5; sh 'x' } }"          | "Jobfile:1:24: wrong arguments for 'input' in task: got a number; write input from: '…'"
    }

    def "Jenkins' input prompt is pointed to the approval gate; input naming a task keeps the pipe's usage"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                                           | expected
        "job('a') {\n  task('b') { input 'Deploy?'; sh 'x' }\n}"                     | "Jobfile:2:15: wrong arguments for 'input' in task: got text; for an approval gate write approval 'Deploy?' (input from: 'task' reads a task's stdout)"
        "job('a') {\n  task('b') { input 'deploy'; sh 'x' }\n}"                      | "Jobfile:2:15: wrong arguments for 'input' in task: got text; for an approval gate write approval 'deploy' (input from: 'task' reads a task's stdout)"
        "job('a') {\n  task('b') { input \"it's ok?\"; sh 'x' }\n}"                  | "Jobfile:2:15: wrong arguments for 'input' in task: got text; for an approval gate write approval '…' (input from: 'task' reads a task's stdout)"
        "job('a') {\n  task('b') { input message: 'Deploy?'; sh 'x' }\n}"            | "Jobfile:2:15: unknown option 'message' for input — for an approval gate write approval 'Deploy?' (input from: 'task' reads a task's stdout)"
        "job('a') {\n  task('b') { input message: 'Go?', ok: 'Yes', submitter: 'alice, bob'; sh 'x' }\n}" | "Jobfile:2:15: unknown option 'message' for input — for an approval gate write approval 'Go?', approvers: ['alice', 'bob'] (input from: 'task' reads a task's stdout)"
        "job('a') {\n  task('gen') { sh 'x' }\n  task('b') { input 'gen'; sh 'x' }\n}" | "Jobfile:3:15: wrong arguments for 'input' in task: got text; write input from: 'gen'"
        "job('a') {\n  ['gen'].each { n -> task(n) { sh 'x' } }\n  task('b') { input 'gen'; sh 'x' }\n}" | "Jobfile:3:15: wrong arguments for 'input' in task: got text; write input from: 'gen'"
    }

    def "a built map given where named options are wanted is told how to write it, never by JVM names"() {
        expect:
        problems("""def opts = ['minutes'].collectEntries { [(it): 5] }
job('a') {
  timeout opts
  task('t') { sh 'true' }
}""") == ["Jobfile:3:3: wrong arguments for 'timeout': it takes (a map) with text names, and the names of this one "
                  + "were built so the checker cannot know them to be text: write it in place (timeout name: value, …)"]
        io.stoker.dsl.groovy.sandbox.CompileErrors.inDslWords('Cannot call io.stoker.dsl.groovy.TaskSpec#sh('
                + 'java.lang.String) with arguments [java.util.List<java.lang.Object>]') ==
                "wrong arguments for 'sh': it takes (text), not (a list)"
    }

    def "Groovy's 'Reference to method is ambiguous' of any other method is told as wrong arguments, never by JVM names"() {
        expect:
        io.stoker.dsl.groovy.sandbox.CompileErrors.inDslWords('Reference to method is ambiguous. Cannot choose between '
                + '[int java.lang.String#indexOf(java.lang.String), int java.lang.String#indexOf(java.util.List)]') ==
                "wrong arguments for 'indexOf': more than one of its forms fits them (is one of them null?)"
    }

    def "a number out of a word's range is told the range, whether or not it fits an int: #code"() {
        expect:
        new io.stoker.dsl.JobfileCompiler().compile('Jobfile', "job('a') {\n  task('b') { sh 'x'; $code }\n}")
                .diagnostics()*.toString() == [expected]

        where:
        code                              || expected
        'retry 99999999999'               || "Jobfile:2:23: retry of task 'b' must be between 0 and 10, got 99999999999"
        'retry(-1)'                       || "Jobfile:2:23: retry of task 'b' must be between 0 and 10, got -1"
        'retry 1.5'                       || "Jobfile:2:23: wrong arguments for 'retry' in task: got a decimal number; write retry(a whole number)"
        'retry 99999999999999999999'      || "Jobfile:2:23: wrong arguments for 'retry' in task: got a number beyond 9223372036854775807; write retry(a whole number)"
        '}; concurrency 99999999999; {'   || "Jobfile:2:26: concurrency of job 'a' must be at most 2147483647, got 99999999999"
    }

    def "an option's whole number that is a decimal or past an int is told with its value: #code"() {
        expect:
        problems("job('a') { task('b') { sh 'x' }; $code }") == ["Jobfile:1:34: $expected"]

        where:
        code                               || expected
        'publish keepLast: 99999999999'    || 'publish keepLast: takes a whole number of at most 2147483647, got 99999999999'
        'publish keepDays: 1.5'            || 'publish keepDays: takes a whole number, got 1.5'
        "publish keepDays: 'x'"            || 'publish keepDays: takes a whole number, not text'
    }

    def "a word followed by [ … ] is told what it takes, not that its own name is unknown: #code"() {
        expect:
        problems("job('a') { task('b') { $code } }") == ["Jobfile:1:24: $expected"]

        where:
        code                  || expected
        "sh ['a', 'b']"       || "sh takes one script as text: sh 'make test' (for several commands write one sh each, or one \'\'\'…\'\'\' script)"
        "needs ['c']; sh 'x'" || "'needs' is a word of task, not a value: write needs('…', …) or needs([…])"
    }

    def "a task without a name is told once, in the front end's words"() {
        expect:
        new io.stoker.dsl.JobfileCompiler().compile('Jobfile', "job('a') { task(null) { sh 'x' } }").diagnostics()*.toString() ==
                ["Jobfile:1:12: a task needs a name: task('name') { … }"]
    }

    def "a call on a value of unknown kind that starts its line's code is not told as two statements on one line"() {
        expect:
        problems("def f\nf = { f() }\njob('a') { task('t') { sh 'x' } }") == ["Jobfile:2:7: a closure cannot call itself in a Jobfile ('call' on a value of unknown kind): write a loop instead"]
        problems("def f\nf = { int n -> n <= 0 ? 0 : 1 + f.call(n - 1) }\njob('a') { task('t') { sh 'x' } }") ==
                ["Jobfile:2:33: a closure cannot call itself in a Jobfile ('call' on a value of unknown kind): write a loop instead"]
        problems("job('a') {\n  task('b') { sh 'x' sh 'y' }\n}") == ["Jobfile:2:22: two statements on one line need a ';' between them"]
    }

    def "three or more statements on one line are each told as needing a ';', and nothing else is"() {
        expect: 'Groovy reads them as one chain, task(…) { … }.task(…) { … }.task(…) { … }'
        problems("job('a') {\n  task('a') { sh 'x' } task('b') { sh 'y' } task('c') { sh 'z' }\n}") ==
                ["Jobfile:2:24: two statements on one line need a ';' between them",
                 "Jobfile:2:45: two statements on one line need a ';' between them"]
        problems("job('a') {\n  task('b') { sh 'x' sh 'y' sh 'z' }\n}") ==
                ["Jobfile:2:22: two statements on one line need a ';' between them",
                 "Jobfile:2:29: two statements on one line need a ';' between them"]
    }

    def "a value whose kind the checker cannot know is called so, never by a JVM type"() {
        expect:
        problems("def x = null\njob('a') { task('b') { sh x.foo } }") == [
                "Jobfile:2:27: 'foo' cannot be read from a value of unknown kind",
                "Jobfile:2:24: wrong arguments for 'sh' in task: got a value of unknown kind; write sh('…')"]
    }

    def "a value a typed variable cannot hold is told plainly, with def as the way out"() {
        expect:
        problems(text) == [expected]

        where:
        text                 | expected
        "int i = 1/0"        | "Jobfile:1:9: a decimal number cannot be stored in a variable declared int: write def instead of int (def name = …), or divide whole numbers with a.intdiv(b)"
        "int n = 'x'"        | "Jobfile:1:9: text cannot be stored in a variable declared int: write def instead of int (def name = …)"
        "List l = 'x'"       | "Jobfile:1:10: text cannot be stored in a variable declared List: write def instead of List (def name = …)"
    }

    def "a block's name written without quotes is told to be quoted, and its block is not reported again"() {
        expect:
        problems(text) == [expected]

        where:
        text                                  | expected
        "job('a') { task(build) { sh 'x' } }" | "Jobfile:1:17: unknown name 'build' in job — a name is written in quotes: task('build')"
        "job(a) { task('b') { sh 'x' } }"     | "Jobfile:1:5: unknown name 'a' in the Jobfile — a name is written in quotes: job('a')"
    }

    def "an unknown word at the top of the file shows what a Jobfile holds, and a Jenkinsfile is named as one"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                              | expected
        "pipeline {\n  agent any\n  stages { stage('b') { steps { sh 'x' } } }\n}" | "Jobfile:1:1: unknown word 'pipeline' in the Jobfile — this looks like a Jenkinsfile; a Jobfile holds job('name') { task('name') { sh '…' } }"
        "node { sh 'x' }"                                                 | "Jobfile:1:1: unknown word 'node' in the Jobfile — this looks like a Jenkinsfile; a Jobfile holds job('name') { task('name') { sh '…' } }"
        "stage('b') { sh 'x' }"                                           | "Jobfile:1:1: unknown word 'stage' in the Jobfile — this looks like a Jenkinsfile; a Jobfile holds job('name') { task('name') { sh '…' } }"
        "build 'x'"                                                       | "Jobfile:1:1: unknown word 'build' in the Jobfile — a Jobfile holds job('name') { task('name') { sh '…' } }"
    }

    def "an unknown name is reported, with a suggestion from the block's words"() {
        expect:
        problems("job('a') {\n  task('b') { sh scrpit }\n}") == ["Jobfile:2:18: unknown name 'scrpit' in task"]
    }

    def "unknown options and bad values of a word are reported at its statement"() {
        expect:
        problems(text) == [expected]

        where:
        text                                                               | expected
        "job('a') {\n  parameters {\n    string 'N', defualtValue: 'x'\n  }\n}" | "Jobfile:3:5: unknown option 'defualtValue' for string — did you mean 'defaultValue'? (known: defaultValue, description)"
        "job('a') { timeout minuts: 3 }"                                   | "Jobfile:1:12: unknown option 'minuts' for timeout — did you mean 'minutes'? (known: hours, minutes, seconds)"
        "job('a') { task('t') { input form: 'gen' } }"                     | "Jobfile:1:24: unknown option 'form' for input — did you mean 'from'? (known: from)"
        "job('a') { env X: ['a'] }"                                        | "Jobfile:1:12: env value for 'X' must be text, not a list"
        "job('a') { timeout minutes: 'ten' }"                              | "Jobfile:1:12: timeout minutes: takes a number, not text"
        "job('a') { task('t') { matrix jdk: '17' } }"                      | "Jobfile:1:24: matrix axis 'jdk' needs a list of values, e.g. jdk: ['a', 'b']"
    }

    def "an unclosed block is reported at the brace that is never closed"() {
        when:
        def found = frontend.read('ci/Jobfile', "job('a') {\n  task('b') {\n    sh 'x'\n  \n").diagnostics

        then:
        found.size() == 1
        found[0].file() == 'ci/Jobfile'
        found[0].line() == 2
        found[0].col() == 13
        found[0].message() == "'{' opened at 2:13 is never closed"
        found[0].error
    }

    def "a syntax error inside a line points at that line"() {
        when:
        def found = frontend.read('Jobfile', "job('a') {\n  task('b') { sh 'x' ) }\n}").diagnostics

        then:
        found.size() == 1
        found[0].line() == 2
        found[0].col() == 22
    }

    def "a string whose quote is never closed is reported at its opening quote: #quote"() {
        expect:
        problems("job('a') {\n  task('b') { sh ${quote}echo x\n  }\n}") == [expected]

        where:
        quote   | expected
        "'"     | "Jobfile:2:18: the string opened here with ' is never closed: end it with ' on the same line (for text over several lines write ''' … ''')"
        '"'     | 'Jobfile:2:18: the string opened here with " is never closed: end it with " on the same line (for text over several lines write """ … """)'
        "'''"   | "Jobfile:2:18: the string opened here with ''' is never closed: end it with '''"
        '"""'   | 'Jobfile:2:18: the string opened here with """ is never closed: end it with """'
    }

    def "a \${{ }} template in a double-quoted string tells the author to use single quotes"() {
        when:
        def found = frontend.read('Jobfile', 'job(\'a\') {\n  task(\'b\') {\n    sh "echo ${{ outputs.version.v }}"\n  }\n}').diagnostics

        then:
        found.size() == 1
        found[0].line() == 3
        found[0].col() == 15
        found[0].message.contains('single quotes')
        found[0].message.endsWith("write templates in single quotes: '\${{ outputs.version.v }}'")
    }

    def "the single-quoted fix shown for a double-quoted template is the author's own template: #template"() {
        when:
        def found = frontend.read('Jobfile', "job('a') {\n  task('b') { needs 'c'; sh \"echo ${template} done\" }\n  task('c') { sh 'true' }\n}").diagnostics

        then:
        found*.message == ["'\${{ … }}' (or '\${-> … }') inside a double-quoted string is Groovy interpolation, not a Stoker template; write templates in single quotes: " + fix]

        where:
        template                            || fix
        '${{ outputs.c.v }}'                || "'\${{ outputs.c.v }}'"
        '${{ params.NAME }}'                || "'\${{ params.NAME }}'"
        '${{ outputs[\'c\'].v }}'         || "'\${{ outputs[\\'c\\'].v }}'"
    }

    static final String DOLLAR = 'inside "double quotes" Groovy reads $ as the start of a Groovy expression: ' +
            "write shell text in 'single quotes' (sh 'echo \$HOME'), or escape it as \\\$"

    def "shell text with \$ in double quotes is told to be single-quoted, at the \$, never as a token error: #code"() {
        expect:
        problems("job('a') {\n  parameters { string 'TAG' }\n  task('b') { $code }\n}") == [expected]

        where:
        code                                                  || expected
        'sh "echo $(date)"'                                   || "Jobfile:3:24: $DOLLAR"
        'sh "awk {print $1}"'                                 || "Jobfile:3:30: $DOLLAR"
        'sh "echo $.x"'                                       || "Jobfile:3:24: $DOLLAR"
        'sh \'x\'; trigger \'c\', parameters: [TAG: "$.tag"]' || "Jobfile:3:55: $DOLLAR"
        'sh "echo $HOME"'                                     || "Jobfile:3:25: unknown name 'HOME' in task — $DOLLAR"
        'sh "echo ${HOME}"'                                   || "Jobfile:3:26: unknown name 'HOME' in task — $DOLLAR"
    }

    def "shell expansions in double quotes are told once, at their \$, whatever Groovy made of them: #code"() {
        expect:
        problems("job('a') {\n  parameters { string 'P' }\n  task('b') { $code }\n}") == [expected]

        where:
        code                                        || expected
        'sh "echo ${#P}"'                           || "Jobfile:3:24: $DOLLAR"
        'sh "echo ${P:-x}"'                         || "Jobfile:3:24: $DOLLAR"
        'sh "echo ${P/a/b}"'                        || "Jobfile:3:24: $DOLLAR"
        'sh "echo ${!P}"'                           || "Jobfile:3:24: $DOLLAR"
        'sh """\n    echo ${#P}\n  """'             || "Jobfile:4:10: $DOLLAR"
        'sh "echo ${\'ok\'} ${#P}"'                 || "Jobfile:3:32: $DOLLAR"
    }

    def "an error of the sandbox's policy inside \${ } in double quotes is told as it is"() {
        expect:
        problems("job('a') {\n  task('b') { sh \"\${new File('x').text}\" }\n}").every { !it.contains(DOLLAR) }
    }

    def "a \${ } in single quotes or a comment is no shell expansion in double quotes"() {
        expect:
        problems("job('a') {\n  task('b') { sh 'echo \${#P}' } // \"\${#P}\"\n  taks('c')\n}") ==
                ["Jobfile:3:3: unknown word 'taks' in job — did you mean 'task'?"]
    }

    def "a character the lexer cannot read elsewhere is named plainly, never as a token recognition error"() {
        expect:
        io.stoker.dsl.groovy.sandbox.CompileErrors.inDslWords("token recognition error at: '#'") ==
                "unexpected character here: '#'"
    }

    def "the same template in single quotes is fine and kept as written"() {
        when:
        def draft = frontend.read('Jobfile', 'job(\'a\') { task(\'b\') { sh \'echo ${{ outputs.version.v }}\' } }')

        then:
        draft.diagnostics.empty
        draft.jobs[0].tasks[0].steps[0].script() == 'echo ${{ outputs.version.v }}'
    }

    def "every problem of the compile policy is reported at once"() {
        expect:
        problems("import java.io.File\nnew File('x')\nprintln 'hi'") == [
                "Jobfile:1:1: import is not allowed in a Jobfile",
                "Jobfile:2:1: creating objects with 'new' is not allowed in a Jobfile",
                "Jobfile:3:1: 'println' is not allowed in a Jobfile"]
    }

    def "a failure while evaluating becomes a diagnostic at the statement, never a stack trace"() {
        when:
        def found = frontend.read('Jobfile', "def n = 0\njob('a') {\n  task('t') { retry 10.intdiv(n) }\n}").diagnostics

        then:
        found*.toString() == ['Jobfile:3:15: evaluating the Jobfile failed: arithmetic error: / by zero']
    }

    def "a failure is told in words, never by the JVM's names: #what"() {
        when:
        def found = frontend.read('Jobfile', "String s = null\nList<String> l = ['a']\njob('a') {\n  task('t') { $code }\n}").diagnostics*.message()

        then:
        found == ['evaluating the Jobfile failed: ' + words]
        !found[0].contains('java.') && !found[0].contains('Exception')

        where:
        what          | code                    || words
        'a null'      | "sh s.trim()"           || 'a value is null'
        'a bad index' | "sh l.get(1)"           || 'index 1 is out of range: the value has 1 item, numbered from 0'
        'a text index'| "sh 'abc'[10]"          || 'index 10 is out of range: the value has 3 items, numbered from 0'
        'a number'    | "retry 'x'.toInteger()" || "'x' is not a number"
    }

    def "names and values of a multiple assignment that do not match are told in words"() {
        when:
        def found = frontend.read('Jobfile', "def (a, b) = [1]\njob('a') { task('t') { sh 'true' } }\n").diagnostics*.toString()

        then:
        found.size() == 1
        found[0] ==~ /Jobfile:1:\d+: 2 names are declared here but the list assigned to them holds 1 value: give as many values as names/
    }

    def "exceeding a limit stops evaluation with a diagnostic at the statement that crossed it"() {
        given:
        def small = new GroovyFrontend(new GroovyLimits(1 << 20, 32, 2, 3, 10, 8L << 20, Duration.ofSeconds(5), Duration.ofSeconds(30), 256L << 20))

        expect:
        problems(text, small) == [expected]

        where:
        text                                                            | expected
        "job('a') {}\njob('b') {}\njob('c') {}"                         | "Jobfile:3:1: more than 2 jobs in one Jobfile"
        "job('a') {\n  5.times { n -> task(\"t\$n\") {} }\n}"            | "Jobfile:2:18: more than 3 tasks in job 'a'"
        "job('a') { task('t') { sh 'echo 12345678901' } }"              | "Jobfile:1:24: an sh step is longer than 0 KiB"
    }

    def "a job of more written tasks than the limit is told so before it is compiled, at the first task too many"() {
        given: 'a job of 5,000 tasks would be one method too large for the JVM'
        String text = "job('a') {\n" + (0..<5000).collect { "  task('t$it') { sh 'true' }\n" }.join('') + '}'

        expect:
        problems(text) == ["Jobfile:1002:3: more than 1000 tasks in job 'a'"]
    }

    def "a job too large to compile for another reason is named at its line, never by the JVM's exception"() {
        given: 'one task of 6,000 steps'
        String text = "job('x') { task('t') { sh 'true' } }\n" + "job('a') {\n  task('t') {\n" +
                (0..<6000).collect { "    sh 'true'\n" }.join('') + '  }\n}'

        expect:
        problems(text) == ["Jobfile:2:1: job 'a' is too large to compile: split it into several jobs"]
    }

    def "a Jobfile larger than the limit is not compiled at all"() {
        given:
        def small = new GroovyFrontend(new GroovyLimits(100, 32, 100, 1000, 1000, 8L << 20, Duration.ofSeconds(5), Duration.ofSeconds(30), 256L << 20))

        expect:
        problems('//' + 'x' * 200, small) == ['Jobfile: the Jobfile is larger than 0 KiB']
    }

    def "the front end never throws, whatever it is given"() {
        expect:
        frontend.read(null, null).diagnostics.empty
        frontend.read('Jobfile', '').jobs.empty
        frontend.read('Jobfile', '\u0000\uffff').diagnostics.every { it.error }
        frontend.read('Jobfile', 'job(null) { }').diagnostics*.message == ["a job needs a name: job('name') { … }"]
    }

    def "diagnostics are errors with the file name given"() {
        expect:
        frontend.read('sub/Jobfile', "job('a') { nope() }").diagnostics.every {
            it.severity() == Diagnostic.Severity.ERROR && it.file() == 'sub/Jobfile'
        }
    }
}

package io.stoker.dsl.label

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

class LabelExpressionSpec extends Specification {

    def "an expression matches the label sets that make it true"() {
        expect:
        LabelExpression.parse(text).matches(labels as Set) == matches

        where:
        text                                   | labels                              | matches
        'linux'                                | ['linux']                           | true
        'linux'                                | ['os:linux']                        | false
        'linux && tool:docker'                 | ['linux', 'tool:docker']            | true
        'linux && tool:docker'                 | ['linux']                           | false
        'linux || darwin'                      | ['darwin']                          | true
        '!slow'                                | ['fast']                            | true
        '!slow'                                | ['slow']                            | false
        'a || b && c'                          | ['a']                               | true     // && binds tighter
        '(a || b) && c'                        | ['a']                               | false
        '(a || b) && c'                        | ['b', 'c']                          | true
        '!(a && b)'                            | ['a']                               | true
        '  os:linux&&arch:amd64 '              | ['os:linux', 'arch:amd64']          | true
        'host-1.example/x_y'                   | ['host-1.example/x_y']              | true
        '!!a'                                  | ['a']                               | true
    }

    def "labels lists every label named"() {
        expect:
        LabelExpression.parse('a && (!b || c:d)').labels() == ['a', 'b', 'c:d'] as Set
    }

    def "a syntax error names what is wrong and its column"() {
        when:
        LabelExpression.parse(text)

        then:
        def e = thrown(LabelSyntaxException)
        e.message.contains(message)
        e.column() == column

        where:
        text              | message                                | column
        ''                | 'empty'                                | 1
        '   '             | 'empty'                                | 4
        'linux &'         | "expected '&&', '||' or the end"       | 7
        'linux & docker'  | "expected '&&', '||' or the end"       | 7
        'linux &&'        | 'the expression ended'                 | 9
        '&& linux'        | "use '&&' and '||'"                    | 1
        '(a || b'         | "missing ')'"                          | 8
        'a)'              | "unmatched ')'"                        | 2
        'a b'             | "expected '&&', '||' or the end"       | 3
        'tool:dock*r'     | "expected '&&', '||' or the end"       | 10
        'a && $b'         | 'labels hold letters, digits'          | 6
    }

    def "deep nesting is refused, not a stack overflow"() {
        when:
        LabelExpression.parse('(' * 500 + 'a' + ')' * 500)

        then:
        def e = thrown(LabelSyntaxException)
        e.message.contains('nests deeper')
    }

    def "the validator reports a bad agent expression at the agent call's line:col"() {
        when:
        def result = new JobfileCompiler().compile('Jobfile', '''\
job('j') {
  agent 'linux &&'
  task('t') {
    agent '(docker'
    sh 'true'
  }
  task('u') { agent 'linux && tool:git'; sh 'true' }
}
''')

        then:
        result instanceof CompileResult.Rejected
        def lines = result.diagnostics()*.toString()
        lines.size() == 2
        lines[0].startsWith("Jobfile:2:3: agent of job 'j': expected a label")
        lines[1].startsWith("Jobfile:4:5: agent of task 't': missing ')' at column 8 of '(docker'")
    }

    def "a valid agent expression compiles into the model unchanged"() {
        when:
        def result = new JobfileCompiler().compile('Jobfile', "job('j') { agent 'linux && !slow'; task('t') { sh 'true' } }")

        then:
        result instanceof CompileResult.Compiled
        result.jobfile().jobs()[0].agent() == 'linux && !slow'
    }
}

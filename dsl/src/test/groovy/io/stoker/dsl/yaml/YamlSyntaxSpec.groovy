package io.stoker.dsl.yaml

import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** The YAML parser's common syntax errors are told in plain words, at the line and column they are about. */
class YamlSyntaxSpec extends Specification {

    def compiler = new JobfileCompiler()

    def "a YAML syntax error is told in plain words with its line and column: #mistake"() {
        when:
        def diagnostics = compiler.compile('Jobfile.yaml', text).diagnostics()*.toString()

        then:
        diagnostics.size() == 1
        diagnostics[0] == expected
        !diagnostics[0].contains('<block')
        !diagnostics[0].contains('while parsing')

        where:
        mistake                     | text                                                                                               | expected
        'a key indented too far'    | 'jobs:\n  j:\n    tasks:\n      a:\n        sh: echo hi\n      b:\n       needs: [a]\n        sh: x\n' | "Jobfile.yaml:8:9: the indentation does not match the lines above (a key indented more than its siblings?): line 8 is indented by 8 spaces, 'needs' on line 7 by 7"
        'a colon inside a value'    | 'jobs:\n  j:\n    tasks:\n      a:\n        sh: echo a: b\n'                                       | "Jobfile.yaml:5:19: a ':' where a value was expected — quote a value that holds ': ' (sh: 'echo a: b')"
        'a tab as indentation'      | 'jobs:\n  j:\n\ttasks: {}\n'                                                                       | "Jobfile.yaml:3:1: a tab: YAML indents with spaces only"
        'a quote never closed'      | 'jobs:\n  j:\n    tasks:\n      a:\n        sh: "echo hi\n'                                         | "Jobfile.yaml:5:13: the quote opened here is never closed"
        'a ? inside { }'            | 'jobs:\n  j:\n    tasks:\n      a:\n        sh: echo hi\n        approval: {question: ok?, approvers: [admin], timeout: 2h}\n' | "Jobfile.yaml:6:32: inside { } a ',' or '}' was expected here: quote text that holds '?', ':', ',' or '#' ('ok?')"
        'a bracket never closed'    | 'jobs:\n  web: {tasks: [\n'                                                                          | "Jobfile.yaml:3:1: the file ends inside [ ] or { }: a bracket is never closed"
        'a key one space too far'   | 'jobs:\n  a:\n    tasks:\n      t:\n        sh: echo\n         needs: u\n      u: {sh: echo}\n'  | "Jobfile.yaml:6:10: the indentation does not match the lines above (a key indented more than its siblings?): line 6 is indented by 9 spaces, 'sh' on line 5 by 8"
        'sh one space too far'      | 'jobs:\n  a:\n    tasks:\n      t:\n        needs: u\n         sh: echo\n      u: {sh: echo}\n'  | "Jobfile.yaml:6:10: the indentation does not match the lines above (a key indented more than its siblings?): line 6 is indented by 9 spaces, 'needs' on line 5 by 8"
        'a word key far too deep'   | 'jobs:\n  a:\n    tasks:\n      t:\n        sh: echo\n            time: now\n'                   | "Jobfile.yaml:6:13: the indentation does not match the lines above (a key indented more than its siblings?): line 6 is indented by 12 spaces, 'sh' on line 5 by 8"
        'a colon in a continued value' | 'jobs:\n  a:\n    tasks:\n      t:\n        sh: echo\n          echo "time: now"\n'             | "Jobfile.yaml:6:21: a ':' where a value was expected — quote a value that holds ': '"
        'a quote inside a quoted value' | "jobs:\n  j:\n    tasks:\n      a:\n        sh: 'echo it's fine'\n" | "Jobfile.yaml:5:21: the value quoted with ' ends at this ' and text follows it: a ' inside it is written '' (sh: 'echo it''s fine')"
        'a double quote inside double quotes' | 'jobs:\n  j:\n    tasks:\n      a:\n        sh: "say "hi" now"\n' | 'Jobfile.yaml:5:18: the value quoted with " ends at this " and text follows it: a " inside it is written \\" (sh: "say \\"hi\\" now")'
        'a list item out of line'   | 'jobs:\n  j:\n    tasks:\n      a:\n        sh:\n          - a\n         - b\n'                   | "Jobfile.yaml:7:10: the indentation does not match the lines above: line 7 is indented by 9 spaces, '- a' on line 6 by 10"
    }

}

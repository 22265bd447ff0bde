package io.stoker.dsl.yaml

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper
import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Pos
import spock.lang.Specification

class JsonFrontendSpec extends Specification {

    def compiler = new JobfileCompiler()

    def "the YAML example converted to JSON compiles to the same model, apart from positions"() {
        given:
        def yaml = YamlFrontendSpec.FULL
        def json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(new YAMLMapper().readTree(yaml))

        when:
        def fromYaml = compiler.compile('Jobfile.yaml', yaml)
        def fromJson = compiler.compile('Jobfile.json', json)

        then:
        fromYaml instanceof CompileResult.Compiled
        fromJson instanceof CompileResult.Compiled
        strip(fromJson.jobfile().jobs()[0].toString()) == strip(fromYaml.jobfile().jobs()[0].toString())
    }

    def "JSON problems carry line and column"() {
        when:
        def result = compiler.compile('Jobfile.json', '''{
  "jobs": {
    "web": {
      "tasks": {
        "a": {"sh": "x", "retry": "2"},
        "b": {"needs": ["c"], "sh": "y", "when": "params."}
      }
    }
  }
}''')

        then:
        result.diagnostics()*.toString().collect { it.replaceAll(/params\.': .*/, "params.': …") } == [
                'Jobfile.json:5:35: retry must be a whole number, not a string',
                "Jobfile.json:6:25: unknown task 'c' in needs",
                "Jobfile.json:6:50: malformed when condition 'params.': …"]
    }

    def "JSON with duplicate keys or trailing garbage is refused"() {
        expect:
        compiler.compile('Jobfile.json', '{"jobs": {}, "jobs": {}}').diagnostics()*.toString() == ["Jobfile.json:1:14: duplicate key 'jobs' (first at line 1)"]
        compiler.compile('Jobfile.json', '{"jobs": {"w": {"tasks": {"a": {"sh": "x"}}}}} {}').diagnostics()*.toString() ==
                ['Jobfile.json:1:48: only one document is allowed in a Jobfile']
    }

    def "a JSON syntax error is told in plain words with its line and column: #mistake"() {
        expect:
        compiler.compile('Jobfile.json', text).diagnostics()*.toString() == [expected]

        where:
        mistake               | text                                                   || expected
        'a trailing comma'    | '{"jobs": {"w": {"tasks": {"a": {"sh": "x"},\n}}}}'    || "Jobfile.json:2:1: a ',' before '}' is not allowed in JSON: remove the last comma"
        'a comma before ]'    | '{"jobs": {"w": {"tasks": {"a": {"needs": ["b",]}}}}}' || "Jobfile.json:1:47: a ',' before ']' is not allowed in JSON: remove the last comma"
        'a missing comma'     | '{"jobs": {"w": {}\n "v": {}}}'                        || "Jobfile.json:2:2: a ',' is missing before this"
        'an unquoted key'     | '{jobs: {}}'                                           || 'Jobfile.json:1:2: a key is written in double quotes in JSON, e.g. "name"'
        'single quotes'       | "{'jobs': {}}"                                         || 'Jobfile.json:1:2: JSON writes text and keys in double quotes ("…"), not single ones'
        'an unclosed string'  | '{"jobs": {"w}}'                                       || 'Jobfile.json:1:15: a string is never closed: end it with "'
        'an unclosed bracket' | '{\n  "jobs": [1, 2'                                   || "Jobfile.json:2:11: '[' opened at 2:11 is never closed"
        'a bare word'         | '{"jobs": {"w": {"tasks": {"a": {"sh": x}}}}}'         || 'Jobfile.json:1:39: \'x\' is not a JSON value: write text in double quotes ("x"); the words JSON knows are true, false and null'
        'a // comment'        | '{"jobs": {"w": {"tasks": {"a": {"sh": "x"}}}}} // c'  || 'Jobfile.json:1:48: JSON has no comments: remove it'
        'a /* comment */'     | '{"jobs": /* c */ {}}'                                 || 'Jobfile.json:1:10: JSON has no comments: remove it'
        'a # comment'         | '# c\n{"jobs": {}}'                                    || 'Jobfile.json:1:1: JSON has no comments: remove it'
        'NaN'                 | '{"jobs": {"w": {"tasks": {"a": {"retry": NaN}}}}}'    || "Jobfile.json:1:45: 'NaN' is not a JSON number: NaN and Infinity are not numbers in JSON (text goes in double quotes)"
        '-Infinity'           | '{"jobs": {"w": {"tasks": {"a": {"retry": -Infinity}}}}}' || "Jobfile.json:1:51: '-Infinity' is not a JSON number: NaN and Infinity are not numbers in JSON (text goes in double quotes)"
        'a plus sign'         | '{"jobs": {"w": {"tasks": {"a": {"retry": +1}}}}}'     || "Jobfile.json:1:43: a JSON number has no '+' sign: write 1, not +1"
        'a broken number'     | '{"jobs": {"w": {"tasks": {"a": {"retry": 1.}}}}}'     || 'Jobfile.json:1:43: this is not a JSON number: write digits such as 3, -2, 1.5 or 1e3 (text goes in double quotes)'
        'a raw tab'           | '{"jobs": {"w": {"tasks": {"a": {"sh": "a\tb"}}}}}'    || 'Jobfile.json:1:41: a tab inside a JSON string must be written \\t'
        'a raw line break'    | '{"jobs": {"w": {"tasks": {"a": {"sh": "a\nb"}}}}}'    || 'Jobfile.json:1:41: a string in JSON cannot go over several lines: write \\n for a line break'
        'a raw ESC'           | '{"jobs": {"w": {"tasks": {"a": {"sh": "a\u001bb"}}}}}' || 'Jobfile.json:1:41: a control character inside a JSON string must be written \\u001b'
        'an unknown escape'   | '{"jobs": {"w": {"tasks": {"a": {"sh": "echo \\q"}}}}}' || "Jobfile.json:1:46: '\\q' is not a JSON escape: write \\\\ for a backslash (JSON's escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hex digits)"
        'a short \\u escape' | '{"jobs": {"w": {"tasks": {"a": {"sh": "\\u12"}}}}}'  || 'Jobfile.json:1:44: \\u in a JSON string is followed by four hex digits, e.g. \\u00e9; write \\\\ for a backslash'
        'a missing value'     | '{"jobs": {"web": }}'                                  || 'Jobfile.json:1:18: a value is missing here: text in double quotes, a number, true, false, null, [ … ] or { … }'
        'a wrong bracket'     | '{"jobs": {"w": {"tasks": {"a": {"sh": "x"]}}}}'       || "Jobfile.json:1:42: ']' does not close the '{' opened at 1:32: close it with '}' first"
        'a bracket too many'  | '{"jobs": {}}}'                                        || "Jobfile.json:1:13: '}' closes nothing: one bracket too many?"
        'a number too long'   | '{"jobs": {"w": {"tasks": {"a": {"retry": 1' + '0' * 70 + '}}}}}' || 'Jobfile.json:1:113: a number is longer than 64 characters, the most that is read'
    }

    def "no JSON syntax error shows the parser's own words: #text"() {
        when:
        def message = compiler.compile('Jobfile.json', text).diagnostics()*.toString().join('\n')

        then:
        message =~ /^Jobfile\.json:\d+:\d+: /
        ['code ', 'CTRL-CHAR', 'Feature', 'ALLOW_', 'enable', 'Source:', '`', 'syntax error', 'Unexpected', 'Illegal',
         'Unrecognized', 'token'].every { !message.contains(it) }

        where:
        text << ['{"jobs": // c\n{}}', '{"a": NaN}', '{"a": "\u0007"}', '{"a": "\\q"}', '{"a": 1e}', '{"a": -x}',
                 '{"a": [1}', '}', '{"a": "x\\', '{"a": 0x1}', '{"a": .5}', '{"a"; 1}', '{"a": "b" "c"}', '\u00ef{}']
    }

    def "a parser message no translation knows is told by a general sentence, never the parser's"() {
        expect:
        JsonSyntax.describe('Jobfile.json', new Pos(3, 4), "Some future Jackson problem (code 47): enable `JsonReadFeature.X`").toString() ==
                'Jobfile.json:3:4: this is not valid JSON here: check the quotes, commas and brackets around it'
    }

    def "a number beyond any range (#text) is told at its place, in the Jobfile's words"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == [expected]

        where:
        file            | text                                                                  || expected
        'Jobfile.json'  | '{"jobs": {"a": {"tasks": {"x": {"sh": "echo", "retry": 1e400}}}}}'   || 'Jobfile.json:1:56: retry must be a whole number between 0 and 10, got a number beyond any range'
        'Jobfile.json'  | '{"jobs": {"a": {"timeout": {"minutes": -1e400}, "tasks": {"x": {"sh": "echo"}}}}}' || 'Jobfile.json:1:40: timeout minutes is a number beyond any range'
        'Jobfile.yaml'  | 'jobs:\n  a:\n    tasks:\n      x: {sh: echo, retry: 1e400}\n'     || 'Jobfile.yaml:4:28: retry must be a whole number between 0 and 10, got a number beyond any range'
    }

    private static String strip(String model) {
        model.replaceAll(/pos=\d+:\d+/, 'pos=?')
    }
}

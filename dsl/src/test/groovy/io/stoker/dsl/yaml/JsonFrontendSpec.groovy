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
    }

    def "a number beyond any range (#text) is told at its place, in the Jobfile's words"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == [expected]

        where:
        file            | text                                                                  || expected
        'Jobfile.json'  | '{"jobs": {"a": {"tasks": {"x": {"sh": "echo", "retry": 1e400}}}}}'   || 'Jobfile.json:1:56: retry must be a whole number of at most 9223372036854775807, got a number beyond any range'
        'Jobfile.json'  | '{"jobs": {"a": {"timeout": {"minutes": -1e400}, "tasks": {"x": {"sh": "echo"}}}}}' || 'Jobfile.json:1:40: timeout minutes is a number beyond any range'
        'Jobfile.yaml'  | 'jobs:\n  a:\n    tasks:\n      x: {sh: echo, retry: 1e400}\n'     || 'Jobfile.yaml:4:28: retry must be a whole number of at most 9223372036854775807, got a number beyond any range'
    }

    private static String strip(String model) {
        model.replaceAll(/pos=\d+:\d+/, 'pos=?')
    }
}

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

    private static String strip(String model) {
        model.replaceAll(/pos=\d+:\d+/, 'pos=?')
    }
}

package io.stoker.dsl.yaml

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** Documents of every wrong shape are rejected with a positioned message, never an exception. */
class YamlShapesSpec extends Specification {

    def compiler = new JobfileCompiler()

    def "a wrongly shaped YAML Jobfile gets a positioned diagnostic"() {
        when:
        def result = compiler.compile('Jobfile.yaml', yaml)

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString().contains(expected)

        where:
        yaml                                                          | expected
        '- a\n- b\n'                                                  | 'Jobfile.yaml:1:1: the Jobfile must be a map, not a list'
        'jobs: [1, 2]\n'                                              | 'Jobfile.yaml:1:7: jobs must be a map, not a list'
        'jobs:\n  web: [1]\n'                                         | "Jobfile.yaml:2:8: job 'web' must be a map, not a list"
        'jobs:\n  web: {tasks: [a]}\n'                                | 'Jobfile.yaml:2:16: tasks must be a map, not a list'
        'jobs:\n  web: {tasks: {a: make}}\n'                          | "Jobfile.yaml:2:20: task 'a' must be a map, not a string"
        'jobs:\n  web: {parameters: [NAME], tasks: {a: {sh: x}}}\n'   | 'Jobfile.yaml:2:22: a parameter must be a map, not a string'
        'jobs:\n  web: {triggers: [cron], tasks: {a: {sh: x}}}\n'     | 'Jobfile.yaml:2:19: triggers must be a map, not a list'
        'jobs:\n  web: {timeout: {minuts: 3}, tasks: {a: {sh: x}}}\n' | "Jobfile.yaml:2:19: unknown key 'minuts' in timeout — did you mean 'minutes'?"
        'jobs:\n  web: {tasks: {a: {sh: x, env: [A]}}}\n'             | 'Jobfile.yaml:2:33: env must be a map, not a list'
        'jobs:\n  web: {tasks: {a: {sh: x, when: [a]}}}\n'            | 'Jobfile.yaml:2:34: when must be a string, not a list'
        'jobs:\n  web: {tasks: {a: {sh: x, matrix: [a]}}}\n'          | 'Jobfile.yaml:2:36: matrix must be a map, not a list'
        'jobs:\n  web: {tasks: {a: {sh: x, retry: 99999999999}}}\n'   | "Jobfile.yaml:2:35: retry of task 'a' must be between 0 and 10, got 99999999999"
        'jobs:\n  web: {tasks: {a: {sh: x, retry: 1.5}}}\n'           | 'Jobfile.yaml:2:35: retry must be a whole number, got 1.5'
        'jobs:\n  web: {concurrency: 99999999999, tasks: {a: {sh: x}}}\n' | "Jobfile.yaml:2:22: concurrency of job 'web' must be at most 2147483647, got 99999999999"
        'jobs:\n  web: {publish: {keepLast: 99999999999}, tasks: {a: {sh: x}}}\n' | 'Jobfile.yaml:2:29: publish keepLast must be a whole number of at most 2147483647, got 99999999999'
        'jobs:\n  web: {tasks: {a: {sh: x}}}\nextra: 1\n'             | "Jobfile.yaml:3:1: unknown key 'extra' in the Jobfile (known: jobs, deploy)"
        '"unclosed\n'                                                 | 'Jobfile.yaml:1:1: the quote opened here is never closed'
    }
}

package io.stoker.dsl.artifacts

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.dsl.isolate.IsolatedJobfileCompiler
import io.stoker.dsl.isolate.WorkerSettings
import io.stoker.model.ArtifactsWhen
import spock.lang.Specification

/**
 * {@code artifacts 'reports/**', when: 'always'} in Groovy, {@code artifacts: {paths: […], when: always}} in YAML and
 * JSON: when a task's artifacts are collected, a typed choice in the model; a bad word is told at its line and column.
 */
class ArtifactsWhenSpec extends Specification {

    def compiler = new JobfileCompiler()

    private static ArtifactsWhen when(CompileResult result, String task) {
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].task(task).get().artifactsWhen()
    }

    private static List<String> artifacts(CompileResult result, String task) {
        result.jobfile().jobs()[0].task(task).get().artifacts()
    }

    private List<String> problems(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Rejected
        result.diagnostics()*.toString()
    }

    def "Groovy names when artifacts are collected with when:, beside patterns given one by one or as a list"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('j') {
  task('test') { sh 'make test'; artifacts 'reports/**', 'logs/*.txt', when: 'always' }
  task('debug') { sh 'make'; artifacts(['core.*'], when: 'on-failure') }
  task('build') { sh 'make'; artifacts 'dist/**' }
  task('both') { sh 'make'; artifacts 'a', when: 'on-success'; artifacts 'b' }
}
''')

        then:
        result.diagnostics() == []
        when(result, 'test') == ArtifactsWhen.ALWAYS
        artifacts(result, 'test') == ['reports/**', 'logs/*.txt']
        when(result, 'debug') == ArtifactsWhen.ON_FAILURE
        artifacts(result, 'debug') == ['core.*']
        when(result, 'build') == ArtifactsWhen.ON_SUCCESS
        when(result, 'both') == ArtifactsWhen.ON_SUCCESS
        artifacts(result, 'both') == ['a', 'b']
    }

    def "YAML takes a list of globs as before, or a map of paths and when"() {
        when:
        def result = compiler.compile('Jobfile.yaml', '''\
jobs:
  j:
    tasks:
      test:
        sh: make test
        artifacts: {paths: ['reports/**', 'logs/*.txt'], when: always}
      debug:
        sh: make
        artifacts:
          paths: core.*
          when: on-failure
      build: {sh: make, artifacts: ['dist/**']}
      plain: {sh: make, artifacts: {paths: [out/**]}}
''')

        then:
        when(result, 'test') == ArtifactsWhen.ALWAYS
        artifacts(result, 'test') == ['reports/**', 'logs/*.txt']
        when(result, 'debug') == ArtifactsWhen.ON_FAILURE
        artifacts(result, 'debug') == ['core.*']
        when(result, 'build') == ArtifactsWhen.ON_SUCCESS
        when(result, 'plain') == ArtifactsWhen.ON_SUCCESS
        artifacts(result, 'plain') == ['out/**']
    }

    def "JSON reads the same map"() {
        when:
        def result = compiler.compile('Jobfile.json',
                '{"jobs": {"j": {"tasks": {"test": {"sh": "make test", "artifacts": {"paths": ["reports/**"], "when": "on-failure"}}}}}}')

        then:
        when(result, 'test') == ArtifactsWhen.ON_FAILURE
        artifacts(result, 'test') == ['reports/**']
    }

    def "the isolated compiler's model keeps the choice (its check rebuilds the same model)"() {
        given:
        def isolated = new IsolatedJobfileCompiler(WorkerSettings.defaults().withPoolSize(0))

        when:
        def result = isolated.compile('Jobfile', "job('j') { task('t') { sh 'make'; artifacts 'reports/**', when: 'on-failure' } }")

        then:
        when(result, 't') == ArtifactsWhen.ON_FAILURE

        cleanup:
        isolated?.close()
    }

    def "a word that is not a choice is told at its line and column with the allowed words: #file"() {
        expect:
        problems(file, text) == [expected]

        where:
        file           | text                                                                                              || expected
        'Jobfile'      | "job('j') {\n  task('t') {\n    sh 'x'\n    artifacts 'r/**', when: 'never'\n  }\n}\n"             || "Jobfile:4:5: artifacts when: takes 'on-success', 'on-failure' or 'always', not 'never'"
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        artifacts: {paths: [r], when: sometimes}\n" || "Jobfile.yaml:6:39: artifacts when: takes 'on-success', 'on-failure' or 'always', not 'sometimes'"
        'Jobfile.json' | '{"jobs": {"j": {"tasks": {"t": {"sh": "x", "artifacts": {"paths": ["r"], "when": "Always"}}}}}}' || "Jobfile.json:1:82: artifacts when: takes 'on-success', 'on-failure' or 'always', not 'Always'"
    }

    def "GitLab's spelling on_failure is answered with Stoker's word, in Groovy and YAML: #file"() {
        expect:
        problems(file, text) == [expected]

        where:
        file           | text                                                                                                     || expected
        'Jobfile'      | "job('j') { task('t') { sh 'x'; artifacts 'r/**', when: 'on_failure' } }"                                 || "Jobfile:1:32: artifacts when: takes 'on-success', 'on-failure' or 'always', not 'on_failure' — GitLab's on_failure is written on-failure here"
        'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        artifacts:\n          paths: [r]\n          when: on_success\n" || "Jobfile.yaml:8:17: artifacts when: takes 'on-success', 'on-failure' or 'always', not 'on_success' — GitLab's on_success is written on-success here"
    }

    def "the artifacts map says what it lacks or does not know"() {
        expect:
        problems('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      t:\n        sh: x\n        artifacts: ${artifacts}\n") == [expected]

        where:
        artifacts                                  || expected
        '{when: always}'                           || "Jobfile.yaml:6:20: artifacts needs paths: the files to collect, e.g. {paths: ['reports/**'], when: always}"
        '{paths: [r], when: always, expire_in: 1d}' || "Jobfile.yaml:6:47: unknown key 'expire_in' in artifacts (known: paths, when)"
        '{paths: [r], when: true}'                 || 'Jobfile.yaml:6:39: artifacts when must be a string, not a boolean'
    }

    def "Groovy says what an artifacts call with options lacks or does not know"() {
        expect:
        problems('Jobfile', "job('j') { task('t') { sh 'x'; ${call} } }") == [expected]

        where:
        call                                                       || expected
        "artifacts when: 'always'"                                 || "Jobfile:1:32: artifacts needs the files to collect: artifacts 'reports/**', when: 'always'"
        "artifacts 'r', on: 'always'"                              || "Jobfile:1:32: unknown option 'on' for artifacts (known: when)"
        "artifacts paths: ['r'], when: 'always'"                   || "Jobfile:1:32: artifacts takes its patterns as they are, not as paths: — write artifacts 'reports/**', when: 'always'"
        "artifacts 'r', when: ['always']"                          || "Jobfile:1:32: artifacts when: takes 'on-success', 'on-failure' or 'always', not a list"
        "artifacts 'r', when: 'always'; artifacts 's', when: 'on-failure'" || "Jobfile:1:63: task 't' says artifacts when: 'always' already; one when: holds for all its artifacts"
    }
}

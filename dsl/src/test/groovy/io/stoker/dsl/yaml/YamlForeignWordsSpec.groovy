package io.stoker.dsl.yaml

import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/** Another tool's words in a YAML or JSON Jobfile are answered with Stoker's way to say them, as in the Groovy DSL. */
class YamlForeignWordsSpec extends Specification {

    static final String SHAPE = "a Stoker YAML Jobfile's top level is jobs: {NAME: {tasks: {NAME: {sh: …}}}} (and deploy:); see docs/jobfile-yaml.md"

    def compiler = new JobfileCompiler()

    def "another tool's key inside a job or task gets Stoker's way to say it, not a guess by spelling"() {
        expect:
        compiler.compile('Jobfile.yaml', '''\
jobs:
  j:
    environment: {A: b}
    tasks:
      a:
        script: [make]
      b:
        depends_on: [a]
        sh: x
      c:
        stage: test
        steps: [x]
''').diagnostics()*.toString() == [
                "Jobfile.yaml:3:5: unknown key 'environment' in job 'j' — write env: {A: b}",
                "Jobfile.yaml:5:7: task 'a' has no step — add sh: '…'",
                "Jobfile.yaml:6:9: unknown key 'script' in task 'a' — a script is a step: write sh: [make]",
                "Jobfile.yaml:8:9: unknown key 'depends_on' in task 'b' — write needs: [a]",
                "Jobfile.yaml:10:7: task 'c' has no step — add sh: '…'",
                "Jobfile.yaml:11:9: unknown key 'stage' in task 'c' — a stage is a task here: tasks: {name: {sh: …}} in the job",
                "Jobfile.yaml:12:9: unknown key 'steps' in task 'c' — a task's steps are its sh lines: write sh: [x]"]
    }

    def "GitLab CI's, GitHub Actions' and Woodpecker's keys in a task get Stoker's way to say them, at the key: #key"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      deploy:\n        sh: x\n        $line\n")
                .diagnostics()*.toString() == ["Jobfile.yaml:6:9: $expected".toString()]

        where:
        key             | line                                    || expected
        'parallel'      | "parallel: {matrix: [{JDK: ['17']}]}" || "unknown key 'parallel' in task 'deploy' — a matrix is written matrix: {AXIS: [a, b]} in the task itself"
        'when'          | 'when: manual'                          || "when: manual is GitLab's manual job: for a gate write approval: 'Run deploy?'"
        'allow_failure' | 'allow_failure: true'                   || "unknown key 'allow_failure' in task 'deploy' — write allowFailure: true (its failure then does not fail the run)"
        'only'          | 'only: [main]'                          || "unknown key 'only' in task 'deploy' — for the branches a task runs on, write when: run.branch == 'main'"
        'except'        | 'except: [tags]'                        || "unknown key 'except' in task 'deploy' — for the branches a task runs on, write when: run.branch == 'main'"
        'rules'         | 'rules: [{if: x}]'                      || "unknown key 'rules' in task 'deploy' — write the condition as when: run.branch == 'main' (an expression)"
        'if'                | "if: github.ref == 'main'"    || "unknown key 'if' in task 'deploy' — a condition is written when: expression, e.g. when: run.branch == 'main'"
        'timeout-minutes'   | 'timeout-minutes: 10'         || "unknown key 'timeout-minutes' in task 'deploy' — write timeout: 10m (or timeout: {minutes: 10})"
        'strategy'          | 'strategy: {matrix: {n: [1]}}' || "unknown key 'strategy' in task 'deploy' — a matrix is written matrix: {AXIS: [a, b]} in the task itself"
        'runs-on'           | 'runs-on: ubuntu-latest'      || "unknown key 'runs-on' in task 'deploy' — where a task runs is written agent: label (without it, on the server)"
        'failure'           | 'failure: ignore'             || "unknown key 'failure' in task 'deploy' — write allowFailure: true (its failure then does not fail the run)"
    }

    def "GitLab's shapes of a known key are answered in Stoker's: #written"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      build:\n        sh: x\n      test:\n        sh: y\n        $written\n")
                .diagnostics()*.toString() == ["Jobfile.yaml:8:$column: $expected".toString()]

        where:
        written                          | column || expected
        'needs: [{job: build}]'          | 17     || "needs must be a string or a list of strings, not a map (GitLab's {job: build} is written needs: [build] here)"
        'retry: {max: 2, when: [always]}' | 16    || "retry must be a whole number, not a map (GitLab's retry: {max: 2} is written retry: 2 here)"
        'artifacts: {paths: [out], reports: {junit: rspec.xml}}' | 35 || "unknown key 'reports' in artifacts — JUnit reports are read by the task's testReports: [rspec.xml]"
    }

    def "JSON gets the same words"() {
        expect:
        compiler.compile('Jobfile.json', '{"jobs": {"j": {"tasks": {"a": {"sh": "x"}, "b": {"dependsOn": "a", "sh": "y"}}}}}')
                .diagnostics()*.toString() == ["Jobfile.json:1:51: unknown key 'dependsOn' in task 'b' — write needs: a"]
    }

    def "a value too long or nested to repeat is shown by its shape"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      a:\n        sh: x\n        variables: {A: {deep: [1]}}\n")
                .diagnostics()*.toString() == ["Jobfile.yaml:6:9: unknown key 'variables' in task 'a' — write env: {NAME: value}"]
    }

    def "a misspelt Stoker key still gets its did-you-mean"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      a: {sh: x, neds: [b]}\n      b: {sh: y}\n")
                .diagnostics()*.toString() == ["Jobfile.yaml:4:18: unknown key 'neds' in task 'a' — did you mean 'needs'?"]
    }

    def "a whole file of another tool is named as such, once: #tool"() {
        when:
        def diagnostics = compiler.compile(file, text).diagnostics()*.toString()

        then:
        diagnostics.size() == 1
        diagnostics[0] == expected

        where:
        tool             | file                 | text                                                                                  | expected
        'GitLab CI'      | 'Jobfile.yaml'       | 'stages: [build]\nbuild:\n  stage: build\n  script: [make]\n'                         | "Jobfile.yaml:1:1: this looks like a GitLab CI file (stages:, script:); " + SHAPE
        'GitLab, image'  | 'Jobfile.yml'        | 'image: alpine\nbuild:\n  script: [make]\n'                                          | "Jobfile.yml:1:1: this looks like a GitLab CI file (image:, script:); " + SHAPE
        'GitHub Actions' | 'Jobfile.yaml'       | 'on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n' | "Jobfile.yaml:1:1: this looks like a GitHub Actions workflow (on:, runs-on:); " + SHAPE
        'GHA, no on'     | 'Jobfile.yaml'       | 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n'             | "Jobfile.yaml:3:5: this looks like a GitHub Actions workflow (runs-on:); " + SHAPE
        'Woodpecker'     | 'Jobfile.yaml'       | 'steps:\n  build:\n    image: alpine\n    commands: [make]\n'                        | "Jobfile.yaml:1:1: this looks like a Woodpecker or Drone file (steps:); " + SHAPE
        'old Woodpecker' | 'Jobfile.yaml'       | 'pipeline:\n  build:\n    image: alpine\n    commands: [make]\n'                     | "Jobfile.yaml:1:1: this looks like a Woodpecker or Drone file (pipeline:); " + SHAPE
        'JSON, GitLab'   | 'Jobfile.json'       | '{"stages": ["a"], "a": {"script": ["make"]}}'                                        | "Jobfile.json:1:2: this looks like a GitLab CI file (stages:, script:); " + SHAPE
    }

    def "an unknown top-level key that is no other tool's keeps the known keys"() {
        expect:
        compiler.compile('Jobfile.yaml', 'jobs:\n  web: {tasks: {a: {sh: x}}}\nextra: 1\n').diagnostics()*.toString() ==
                ["Jobfile.yaml:3:1: unknown key 'extra' in the Jobfile (known: jobs, deploy)"]
    }
}

package io.stoker.dsl.container

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Step
import spock.lang.Specification

/**
 * The buildImage and publishImage steps in Groovy, YAML and JSON Jobfiles: what they compile to (the same in all
 * three) and how bad input is refused at its line:col.
 */
class ImageStepsJobfileSpec extends Specification {

    def compiler = new JobfileCompiler()

    def "buildImage and publishImage compile to steps that keep their options, push templates unrendered"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('app') {
  task('image') {
    buildImage context: '.', file: 'Containerfile', push: '127.0.0.1:5000/org/app:${{ run.number }}', credentials: 'registry-bot'
    publishImage from: 'dist/**', base: 'eclipse-temurin:21-jre', entrypoint: ['java', '-jar', '/app/dist/app.jar'],
                 push: '127.0.0.1:5000/org/app-jib:${{ run.number }}', credentials: 'registry-bot'
    publishImage from: 'bin/*', push: '127.0.0.1:5000/org/bare:1'
  }
}
''')

        then:
        result instanceof CompileResult.Compiled
        def steps = result.jobfile().job('app').get().task('image').get().steps()
        steps[0] instanceof Step.BuildImage
        with(steps[0] as Step.BuildImage) {
            context() == '.'
            file() == 'Containerfile'
            push() == '127.0.0.1:5000/org/app:${{ run.number }}'
            credentials() == 'registry-bot'
            pos().line() == 3
        }
        with(steps[1] as Step.PublishImage) {
            from() == 'dist/**'
            base() == 'eclipse-temurin:21-jre'
            entrypoint() == ['java', '-jar', '/app/dist/app.jar']
            credentials() == 'registry-bot'
        }
        with(steps[2] as Step.PublishImage) {
            base() == 'scratch'
            entrypoint() == []
            credentials() == null
        }
    }

    def "a malformed push or base reference is refused at the step's line:col"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    ${step}\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ["Jobfile:3:5: ${message}".toString()]

        where:
        step                                                         | message
        "buildImage push: 'Org/App:1'"                               | "buildImage push 'Org/App:1' is not a valid image reference: repository names are lowercase"
        "publishImage from: 'd/*', base: 'Debian', push: 'a/b:1'"    | "publishImage base 'Debian' is not a valid image reference: repository names are lowercase"
        "publishImage from: 'd/*', base: 'r/a:\${{ run.number }}', push: 'a/b:1'" | "publishImage base 'r/a:\${{ run.number }}' is not a valid image reference: ${ContainerJobfileSpec.TEMPLATE}"
    }

    def "buildImage without push says what it needs"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    buildImage file: 'Dockerfile'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.message().any { it.startsWith('buildImage needs where to push') }
    }

    static final String GROOVY_STEPS = '''\
job('app') {
  task('image') {
    sh 'make dist'
    buildImage context: 'docker', file: 'Dockerfile', push: '127.0.0.1:5000/org/app:${{ run.number }}', credentials: 'REGISTRY_BOT'
    publishImage from: 'dist/**', base: 'eclipse-temurin:21-jre', entrypoint: ['java', '-jar', '/app/dist/app.jar'],
                 push: '127.0.0.1:5000/org/app-jib:${{ run.number }}', credentials: 'REGISTRY_BOT'
    publishImage from: 'bin/*', push: '127.0.0.1:5000/org/bare:1'
    buildImage push: '127.0.0.1:5000/org/plain:1'
  }
}
'''

    static final String YAML_STEPS = '''\
jobs:
  app:
    tasks:
      image:
        sh:
          - make dist
          - buildImage: {context: docker, file: Dockerfile, push: '127.0.0.1:5000/org/app:${{ run.number }}', credentials: REGISTRY_BOT}
          - publishImage:
              from: 'dist/**'
              base: eclipse-temurin:21-jre
              entrypoint: [java, -jar, /app/dist/app.jar]
              push: '127.0.0.1:5000/org/app-jib:${{ run.number }}'
              credentials: REGISTRY_BOT
          - publishImage: {from: 'bin/*', push: '127.0.0.1:5000/org/bare:1'}
          - buildImage: {push: '127.0.0.1:5000/org/plain:1'}
'''

    static final String JSON_STEPS = '''\
{"jobs": {"app": {"tasks": {"image": {"sh": [
  "make dist",
  {"buildImage": {"context": "docker", "file": "Dockerfile", "push": "127.0.0.1:5000/org/app:${{ run.number }}", "credentials": "REGISTRY_BOT"}},
  {"publishImage": {"from": "dist/**", "base": "eclipse-temurin:21-jre", "entrypoint": ["java", "-jar", "/app/dist/app.jar"],
                    "push": "127.0.0.1:5000/org/app-jib:${{ run.number }}", "credentials": "REGISTRY_BOT"}},
  {"publishImage": {"from": "bin/*", "push": "127.0.0.1:5000/org/bare:1"}},
  {"buildImage": {"push": "127.0.0.1:5000/org/plain:1"}}
]}}}}}
'''

    /** A job's steps without their positions, to compare what the three languages compile to. */
    static List stepsOf(String file, String text) {
        def result = new JobfileCompiler().compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()
        result.jobfile().job('app').get().task('image').get().steps().collect { step ->
            switch (step) {
                case Step.Sh -> [sh: step.script()]
                case Step.BuildImage -> [build: [step.context(), step.file(), step.push(), step.credentials()]]
                case Step.PublishImage -> [publish: [step.from(), step.base(), step.entrypoint(), step.push(), step.credentials()]]
                default -> throw new IllegalStateException(step.toString())
            }
        }
    }

    def "YAML and JSON Jobfiles write the image steps as mappings and compile them as Groovy does"() {
        when:
        def groovy = stepsOf('Jobfile', GROOVY_STEPS)

        then:
        groovy.size() == 5
        groovy[4] == [build: ['.', 'Containerfile', '127.0.0.1:5000/org/plain:1', null]]
        groovy[3] == [publish: ['bin/*', 'scratch', [], '127.0.0.1:5000/org/bare:1', null]]
        stepsOf('Jobfile.yaml', YAML_STEPS) == groovy
        stepsOf('Jobfile.json', JSON_STEPS) == groovy
    }

    def "a YAML image step points at its own line:col"() {
        when:
        def result = new JobfileCompiler().compile('Jobfile.yaml', YAML_STEPS)
        def steps = result.jobfile().job('app').get().task('image').get().steps()

        then:
        steps*.pos()*.line() == [6, 7, 8, 14, 15]
        steps[1].pos().col() == 13
    }

    def "bad YAML image steps are refused at their line:col: #why"() {
        when:
        def result = new JobfileCompiler().compile('Jobfile.yaml', "jobs:\n  j:\n    tasks:\n      t:\n        sh:\n          - ${step}\n          - 'true'\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ["Jobfile.yaml:${where}: ${message}".toString()]

        where:
        why                    | step                                                  || where  | message
        'no push'              | "buildImage: {file: Dockerfile}"                      || '6:13' | "buildImage needs where to push: {buildImage: {push: 'registry.example:5000/org/app:1'}}"
        'no from'              | "publishImage: {push: 'a/b:1'}"                       || '6:13' | "publishImage needs from and push: {publishImage: {from: 'dist/**', push: 'registry.example:5000/org/app:1'}}"
        'an unknown option'    | "buildImage: {push: 'a/b:1', tag: x}"                 || '6:41' | "unknown key 'tag' in buildImage (known: context, file, push, credentials)"
        'a misspelt option'    | "publishImage: {from: 'd/*', push: 'a/b:1', entrypiont: [x]}" || '6:56' | "unknown key 'entrypiont' in publishImage — did you mean 'entrypoint'?"
        'an entrypoint string' | "publishImage: {from: 'd/*', push: 'a/b:1', entrypoint: java}" || '6:68' | "publishImage entrypoint takes a list, e.g. entrypoint: [java, -jar, /app/app.jar], not a string"
        'a list for push'      | "buildImage: {push: [a]}"                             || '6:32' | "buildImage push must be a string, not a list"
        'not a mapping'        | "buildImage: a/b:1"                                   || '6:25' | "buildImage must be a map, not a string"
        'a malformed push'     | "buildImage: {push: 'Org/App:1'}"                     || '6:13' | "buildImage push 'Org/App:1' is not a valid image reference: repository names are lowercase"
        'a malformed base'     | "publishImage: {from: 'd/*', base: Debian, push: 'a/b:1'}" || '6:13' | "publishImage base 'Debian' is not a valid image reference: repository names are lowercase"
        'another key beside'   | "{buildImage: {push: 'a/b:1'}, wait: true}"           || '6:43' | "unknown key 'wait' in a buildImage step (known: buildImage)"
    }
}

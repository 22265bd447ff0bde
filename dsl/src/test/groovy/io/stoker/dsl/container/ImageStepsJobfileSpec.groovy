package io.stoker.dsl.container

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Step
import spock.lang.Specification

/** The buildImage and publishImage steps in a Groovy Jobfile: what they compile to and how bad input is refused. */
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
    }

    def "buildImage without push says what it needs"() {
        when:
        def result = compiler.compile('Jobfile', "job('j') {\n  task('t') {\n    buildImage file: 'Dockerfile'\n  }\n}\n")

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.message().any { it.startsWith('buildImage needs where to push') }
    }
}

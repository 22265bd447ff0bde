package io.stoker.dsl.publish

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Pos
import io.stoker.model.Publish
import spock.lang.Specification

/** {@code publish} and {@code runOnStartup} in the three syntaxes, and what validation says about them. */
class PublishSpec extends Specification {
    def compiler = new JobfileCompiler()

    def "publish in Groovy: the version template, the retention, where it was written"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('app') {
  runOnStartup true
  publish version: '${{ outputs.build.version }}', keepLast: 5, keepDays: 30
  task('build') { sh 'echo version=1.0 >> $STOKER_OUTPUT' }
}
''')

        then:
        result instanceof CompileResult.Compiled
        def job = result.jobfile().job('app').get()
        job.publish() == new Publish('${{ outputs.build.version }}', 5, 30, new Pos(3, 3))
        job.triggers().onStartup()
    }

    def "publish() alone publishes under the run number and keeps everything"() {
        when:
        def job = compiler.compile('Jobfile', "job('app') {\n  publish()\n  task('t') { sh 'x' }\n}\n").jobfile().jobs()[0]

        then:
        job.publish() == new Publish(Publish.DEFAULT_VERSION, 0, 0, new Pos(2, 3))
        !job.publish().retains()
        !job.triggers().onStartup()
    }

    def "YAML and JSON say the same"() {
        expect:
        compiler.compile('Jobfile.yaml', '''\
jobs:
  app:
    runOnStartup: true
    publish: {version: '${{ outputs.build.version }}', keepLast: 5}
    tasks:
      build: {sh: echo}
''').jobfile().jobs()[0].publish().with { [it.version(), it.keepLast(), it.keepDays()] } == ['${{ outputs.build.version }}', 5, 0]
        compiler.compile('Jobfile.yaml', 'jobs:\n  app:\n    publish: true\n    tasks: {t: {sh: x}}\n')
                .jobfile().jobs()[0].publish().version() == Publish.DEFAULT_VERSION
        compiler.compile('Jobfile.json', '{"jobs": {"app": {"runOnStartup": true, "publish": {"version": "2.0"}, "tasks": {"t": {"sh": "x"}}}}}')
                .jobfile().jobs()[0].with { it.publish().version() == '2.0' && it.triggers().onStartup() }
    }

    def "mistakes are reported at their line and column"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == messages

        where:
        file          | text                                                                                   || messages
        'Jobfile'     | "job('a') {\n  publish version: '../x'\n  task('t') { sh 'x' }\n}\n"                  || ["Jobfile:2:3: publish: version '../x' must start with a letter or digit and hold only letters, digits, '.', '_', '+', '-' (at most 128)"]
        'Jobfile'     | "job('a') {\n  publish version: '\${{ outputs.bild.v }}'\n  task('build') { sh 'x' }\n}\n" || ["Jobfile:2:3: publish version reads outputs of unknown task 'bild' — did you mean 'build'?"]
        'Jobfile'     | "job('a') {\n  publish keepLast: -1\n  task('t') { sh 'x' }\n}\n"                     || ['Jobfile:2:3: publish keepLast must be 0 (no such rule) or more, got -1']
        'Jobfile'     | "job('a') {\n  publish versoin: '1'\n  task('t') { sh 'x' }\n}\n"                    || ["Jobfile:2:3: unknown option 'versoin' for publish — did you mean 'version'? (known: version, keepLast, keepDays)"]
        'Jobfile.yaml'| "jobs:\n  a:\n    publish: {version: 1.0, keepDays: x}\n    tasks: {t: {sh: x}}\n" || ['Jobfile.yaml:3:24: publish version must be a string, not a number',
                                                                                                                    'Jobfile.yaml:3:39: publish keepDays must be a whole number, not a string']
    }

    def "the version template may read a matrix cell's outputs, named as a cell"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('a') {
  publish version: '${{ outputs["b[jdk=21]"].v }}'
  task('b') { matrix jdk: ['17', '21']; sh 'x' }
}
''')

        then:
        result instanceof CompileResult.Compiled
    }
}

package io.stoker.dsl.trigger

import io.stoker.dsl.JobfileCompiler
import spock.lang.Shared
import spock.lang.Specification

/** {@code after} triggers follow a job of the same Jobfile, never their own job, and never come round in a cycle. */
class AfterTriggerChainSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    List<String> errors(String file = 'Jobfile', String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }

    def "a chain of after triggers that ends is fine"() {
        expect:
        errors('''\
job('build')  { task('t') { sh 'true' } }
job('test')   { triggers { after 'build' }; task('t') { sh 'true' } }
job('deploy') { triggers { after 'test'; after 'build' }; task('t') { sh 'true' } }
''') == []
    }

    def "a job that runs after itself is refused at its trigger"() {
        expect:
        errors("job('c') {\n  triggers { after 'c' }\n  task('t') { sh 'true' }\n}") ==
                ["Jobfile:2:14: job 'c' runs after itself: each of its runs would start the next one"]
    }

    def "a cycle is refused once, naming its jobs in the order their runs would start"() {
        expect:
        errors('''\
job('a') { triggers { after 'c' }; task('t') { sh 'true' } }
job('b') { triggers { after 'a' }; task('t') { sh 'true' } }
job('c') { triggers { after 'b' }; task('t') { sh 'true' } }
job('d') { triggers { after 'a' }; task('t') { sh 'true' } }
''') == ["Jobfile:1:23: after triggers form a cycle: a → b → c → a (each run would start the next one)"]
    }

    def "a job the Jobfile does not have is refused, with the likely one"() {
        expect:
        errors("job('build') { task('t') { sh 'true' } }\njob('d') { triggers { after 'biuld' }; task('t') { sh 'true' } }") ==
                ["Jobfile:2:23: after trigger follows no job of this Jobfile: 'biuld' — did you mean 'build'?"]
    }

    def "YAML says the same"() {
        expect:
        errors('Jobfile.yaml', '''\
jobs:
  a:
    triggers: {after: [{job: b}]}
    tasks: {t: {sh: 'true'}}
  b:
    triggers: {after: [{job: a}]}
    tasks: {t: {sh: 'true'}}
''').size() == 1
    }
}

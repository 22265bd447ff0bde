package io.stoker.dsl.trigger

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Triggers
import spock.lang.Shared
import spock.lang.Specification

/** The generic webhook trigger through both front ends and the validator. */
class WebhookTriggerSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    Triggers.Webhook hook(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].triggers().webhook()[0]
    }

    List<String> errors(String text) {
        compiler.compile('Jobfile', text).diagnostics().findAll { it.error }*.toString()
    }

    def "the Groovy DSL and YAML declare a token secret's name and JSONPath params"() {
        expect:
        with(hook('Jobfile', '''\
job('deploy') {
  parameters { string 'TAG' }
  triggers { webhook token: 'HOOK_TOKEN', params: [TAG: '$.push_data.tag'] }
  task('t') { sh 'true' }
}''')) {
            token() == 'HOOK_TOKEN'
            params() == [TAG: '$.push_data.tag']
            pos().line() == 3
        }
        hook('Jobfile.yaml', '''\
jobs:
  deploy:
    parameters: [{name: TAG}]
    triggers:
      webhook: {token: HOOK_TOKEN, params: {TAG: '$.tag'}}
    tasks:
      t: {sh: 'true'}
''').params() == [TAG: '$.tag']
    }

    def "a webhook without token, with an undeclared param or a path not at the root is an error at its line"() {
        expect:
        errors('''\
job('deploy') {
  parameters { string 'TAG' }
  triggers { webhook params: [TAG: 'push_data.tag', OTHER: '$.x'] }
  task('t') { sh 'true' }
}''').with { list ->
            list.any { it.contains(':3:') && it.contains('needs token') } &&
                    list.any { it.contains(':3:') && it.contains("'OTHER' is not a parameter of job 'deploy'") } &&
                    list.any { it.contains(':3:') && it.contains("the JSONPath for 'TAG' must start at the document root") }
        }
    }
}

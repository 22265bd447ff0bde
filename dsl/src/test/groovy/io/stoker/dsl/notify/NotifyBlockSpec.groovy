package io.stoker.dsl.notify

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.dsl.isolate.IsolatedJobfileCompiler
import io.stoker.dsl.isolate.WorkerSettings
import io.stoker.model.Notify
import io.stoker.model.NotifyEvent
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import static io.stoker.model.NotifyEvent.*

/** The job-level {@code notify { … }} block through the Groovy DSL, YAML, JSON, the validator and the isolated compiler. */
class NotifyBlockSpec extends Specification {

    static final String GROOVY = '''\
job('build') {
  notify {
    on 'failed', 'fixed', 'waiting'
    email 'team@example.com', 'lead@example.com'
    ntfy 'https://ntfy.example/stoker'
    slack 'https://hooks.example/services/T0/B0/xyz'
    webhook status: 'https://ci.example/status', logs: ['https://ci.example/logs', 'kafka://k1:9092/builds']
    webhook status: 'https://ci.example/signed', secret: 'STATUS_SIGNING'
  }
  notify {
    slack 'https://chat.example/hooks/abc'
  }
  task('t') { sh 'true' }
}'''

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    List<Notify> notifications(String file, String text) {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].notifications()
    }

    List<String> errors(String file = 'Jobfile', String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }

    def "the Groovy DSL declares events, mail, ntfy, Slack and webhook receivers; several blocks add up"() {
        when:
        def blocks = notifications('Jobfile', GROOVY)

        then:
        blocks.size() == 2
        with(blocks[0]) {
            on() == [FAILED, FIXED, WAITING]
            email() == ['team@example.com', 'lead@example.com']
            ntfy() == ['https://ntfy.example/stoker']
            slack() == ['https://hooks.example/services/T0/B0/xyz']
            statusWebhooks() == ['https://ci.example/status', 'https://ci.example/signed']
            statusSecrets() == ['https://ci.example/signed': 'STATUS_SIGNING']
            logWebhooks() == ['https://ci.example/logs', 'kafka://k1:9092/builds']
            pos().line() == 2
        }
        blocks[1].slack() == ['https://chat.example/hooks/abc']
    }

    def "without 'on' a block tells of failures and fixes"() {
        expect:
        notifications('Jobfile', "job('b') { notify { email 'a@example.com' }; task('t') { sh 'true' } }")[0].on() == NotifyEvent.DEFAULT
        NotifyEvent.DEFAULT == [FAILED, FIXED]
    }

    def "YAML and JSON take one block as a map or several as a list"() {
        expect:
        notifications('Jobfile.yaml', '''\
jobs:
  build:
    notify:
      on: [started, succeeded, cancelled]
      email: team@example.com
      webhook: {status: 'https://ci.example/status'}
    tasks:
      t: {sh: 'true'}
''')[0].with { on() == [STARTED, SUCCEEDED, CANCELLED] && email() == ['team@example.com'] && statusWebhooks() == ['https://ci.example/status'] }
        notifications('Jobfile.json', '''{"jobs": {"build": {
  "notify": [{"ntfy": "https://ntfy.example/t"}, {"on": "fixed", "slack": ["https://hooks.example/x"]}],
  "tasks": {"t": {"sh": "true"}}}}}''')*.on() == [[FAILED, FIXED], [FIXED]]
    }

    def "an unknown event, a bad address or URL and an empty block are errors at their line:col"() {
        when:
        def list = errors('''\
job('build') {
  notify {
    on 'failed', 'fixd'
    email 'not-an-address'
    ntfy 'ntfy.example/topic'
    slack 'ftp://hooks.example/x'
    webhook status: 'https:///nohost', logs: 'kafka://broker/topic', stats: 'x'
  }
  notify { on 'failed' }
  task('t') { sh 'true' }
}''')

        then:
        list.any { it.contains('Jobfile:3:') && it.contains("unknown event 'fixd'") && it.contains("did you mean 'fixed'") }
        list.any { it.contains('Jobfile:4:') && it.contains("'not-an-address' is not a mail address") }
        list.any { it.contains('Jobfile:5:') && it.contains("notify ntfy: 'ntfy.example/topic' must be an http or https URL") }
        list.any { it.contains('Jobfile:6:') && it.contains('notify slack:') }
        list.any { it.contains('Jobfile:7:') && it.contains('notify webhook status:') && it.contains('must name a host') }
        list.any { it.contains('Jobfile:7:') && it.contains('notify webhook logs:') && it.contains("host and port") }
        list.any { it.contains('Jobfile:7:') && it.contains("unknown option 'stats' for webhook") }
        list.any { it.contains('Jobfile:9:') && it.contains('notify needs a receiver') }
    }

    def "YAML errors name the key's line:col"() {
        expect:
        errors('Jobfile.yaml', '''\
jobs:
  build:
    notify:
      on: [failed, broke]
      mail: team@example.com
    tasks:
      t: {sh: 'true'}
''').with { list ->
            list.any { it.contains('Jobfile.yaml:4:') && it.contains("unknown event 'broke'") } &&
                    list.any { it.contains('Jobfile.yaml:5:') && it.contains("unknown key 'mail' in notify") && it.contains("did you mean 'email'") }
        }
    }

    def "a status webhook line with secret: signs its URLs with that secret; other status webhooks stay unsigned"() {
        when:
        def block = notifications('Jobfile', '''\
job('build') {
  notify {
    webhook status: ['https://a.example/in', 'https://b.example/in'], secret: 'STATUS_SIGNING', logs: 'https://l.example/'
    webhook status: 'https://plain.example/in'
  }
  task('t') { sh 'true' }
}''')[0]

        then:
        block.statusWebhooks() == ['https://a.example/in', 'https://b.example/in', 'https://plain.example/in']
        block.statusSecrets() == ['https://a.example/in': 'STATUS_SIGNING', 'https://b.example/in': 'STATUS_SIGNING']
        block.logWebhooks() == ['https://l.example/']
    }

    def "YAML and JSON sign a webhook mapping's status URLs with its secret"() {
        expect:
        notifications('Jobfile.yaml', '''\
jobs:
  build:
    notify:
      webhook: {status: 'https://ci.example/status', secret: STATUS_SIGNING}
    tasks:
      t: {sh: 'true'}
''')[0].statusSecrets() == ['https://ci.example/status': 'STATUS_SIGNING']
        notifications('Jobfile.json', '''{"jobs": {"build": {
  "notify": {"webhook": {"secret": "S1", "status": ["https://a.example/x"]}},
  "tasks": {"t": {"sh": "true"}}}}}''')[0].statusSecrets() == ['https://a.example/x': 'S1']
    }

    def "a webhook secret that is no secret name, without status, or a second one for a URL is an error at its line"() {
        expect:
        errors(text).any { it.contains(where) && it.contains(message) }

        where:
        text                                                                                              | where        | message
        "job('b') {\n notify { webhook status: 'https://a.example/', secret: 'not-a-name' }\n task('t') { sh 'true' } }" | 'Jobfile:2:' | "'not-a-name' is no secret name"
        "job('b') {\n notify { webhook status: 'https://a.example/', secret: '' }\n task('t') { sh 'true' } }"           | 'Jobfile:2:' | "'' is no secret name"
        "job('b') {\n notify { webhook status: 'https://a.example/', secret: ['S'] }\n task('t') { sh 'true' } }"        | 'Jobfile:2:' | 'webhook secret: takes the name of a secret'
        "job('b') {\n notify { webhook logs: 'https://a.example/', secret: 'S' }\n task('t') { sh 'true' } }"            | 'Jobfile:2:' | 'webhook secret: signs status webhooks'
        "job('b') { notify {\n webhook status: 'https://a.example/', secret: 'S1'\n webhook status: 'https://a.example/', secret: 'S2' }\n task('t') { sh 'true' } }" | 'Jobfile:3:' | "is signed with secret 'S1' already"
    }

    def "a YAML webhook secret without status is an error at its line:col"() {
        expect:
        errors('Jobfile.yaml', '''\
jobs:
  build:
    notify:
      webhook:
        logs: https://l.example/
        secret: S
    tasks:
      t: {sh: 'true'}
''').any { it.contains('Jobfile.yaml:6:') && it.contains('webhook secret: signs status webhooks') }
    }

    def "only the block form of notify is allowed: Object's notify() stays out of reach"() {
        expect:
        errors(text).any { it.contains(message) }

        where:
        text                                                                          | message
        "job('b') { notify(); task('t') { sh 'true' } }"                              | "'notify' is not allowed in a Jobfile"
        "job('b') { notify\$ { email 'a@example.com' }; task('t') { sh 'true' } }"    | "is not allowed in a Jobfile"
        "job('b') { 'x'.notify { }; task('t') { sh 'true' } }"                        | "'notify' is not allowed in a Jobfile"
        "job('b') { task('t') { sh 'true'; notify { email 'a@example.com' } } }"      | "unknown word 'notify' in task"
    }

    def "the README's notify example compiles"() {
        given:
        def readme = java.nio.file.Files.readString(java.nio.file.Path.of('..', 'README.md'))
        def example = (readme =~ /(?s)#### Notifications.*?```groovy\n(.*?)```/)[0][1] as String

        expect:
        notifications('Jobfile', example)*.on() == [[FAILED, FIXED], [STARTED, SUCCEEDED, FAILED, FIXED, CANCELLED, WAITING]]
    }

    @Shared
    @AutoCleanup
    IsolatedJobfileCompiler isolated = new IsolatedJobfileCompiler(WorkerSettings.defaults().withPoolSize(1))

    def "the isolated compiler carries notify blocks over its wire format into the same model"() {
        expect:
        isolated.compile('Jobfile', GROOVY) == compiler.compile('Jobfile', GROOVY)
    }
}

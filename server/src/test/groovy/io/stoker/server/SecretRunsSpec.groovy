package io.stoker.server

import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Secrets from the store reach the tasks that declare them, and their values are masked in every place a run shows
 * text: stored logs, the live stream, named outputs, stderr, also when a value is split across two output chunks or
 * spans several lines. Real runs on a real server.
 */
class SecretRunsSpec extends ServerSpecification {
    static final String TOKEN = 'tok-9f8e7d6c5b4a'
    static final String MULTI = 'first-line-of-key\nsecond-line-of-key'

    static final String JOBFILE = '''
job('leak') {
    secrets 'TOKEN', 'MULTI'
    task('whole') { sh 'echo "token is $TOKEN"' }
    task('split') {
        // two writes to the pipe with a pause between them: the value arrives in two chunks of one line
        sh 'printf "half: %s" "${TOKEN:0:7}"; sleep 0.3; printf "%s done\\\\n" "${TOKEN:7}"'
    }
    task('multi') { sh 'echo "key follows:"; echo "$MULTI"; printf "inline %s end\\\\n" "$MULTI"' }
    task('stderr') { sh 'echo "to stderr $TOKEN" >&2' }
    task('outs') {
        sh 'echo "tok=$TOKEN" >> "$STOKER_OUTPUT"'
        sh 'printf "key<<EOF\\\\n%s\\\\nEOF\\\\n" "$MULTI" >> "$STOKER_OUTPUT"'
    }
    task('reads') {
        needs 'outs'
        sh 'echo "from output: ${{ outputs.outs.tok }}"'
    }
    task('templated') {
        env T: '${{ secrets.TOKEN }}'
        sh 'echo "env $T and template ${{ secrets.TOKEN }}"'
    }
}
job('live') {
    secrets 'TOKEN'
    task('waits') {
        sh 'echo "live $TOKEN"; for i in $(seq 1 1200); do [ -f go ] && break; sleep 0.05; done; echo "after $TOKEN"'
    }
}
job('child') {
    parameters { string 'X', defaultValue: 'none' }
    task('t') { sh 'echo "got $X"' }
}
job('passes') {
    secrets 'TOKEN'
    task('hands-on') { trigger 'child', parameters: [X: 'v-${{ secrets.TOKEN }}'] }
}
job('lacks') {
    secrets 'NOWHERE'
    task('t') { secrets 'ELSEWHERE'; sh 'echo "ran without them"' }
}
job('scopes') {
    task('reads') {
        secrets 'SHADOWED', 'GRANTED', 'NOT_GRANTED', 'NEVER_STORED'
        env ALIAS: secret('OPEN')
        sh 'echo "shadowed=$SHADOWED granted=$GRANTED notgranted=$NOT_GRANTED open=$ALIAS undeclared=${UNDECLARED:-unset}"'
    }
}
'''

    def setupSpec() {
        freestyle('app', JOBFILE)
        freestyle('other', "job('j') { task('t') { sh 'true' } }")
        assert http.post('/secrets', [name: 'TOKEN', value: TOKEN, project: 'app']).status == 201
        assert http.post('/secrets', [name: 'MULTI', value: MULTI, project: 'app']).status == 201
    }


    def "a value printed whole, on stderr, through env and templates is masked in the stored log"() {
        when:
        def key = trigger('app', 'leak')
        def run = awaitEnd(key)
        def all = http.get("/runs/$key/log").text

        then:
        run.status == 'succeeded'
        log(key, 'whole').contains('token is ****')
        log(key, 'stderr').contains('to stderr ****')
        log(key, 'templated').contains('env **** and template ****')
        !all.contains(TOKEN)
        !all.contains('first-line-of-key')
        !all.contains('second-line-of-key')
    }

    def "a value split across two output chunks of one line is masked"() {
        when:
        def key = trigger('app', 'leak')
        awaitEnd(key)

        then:
        log(key, 'split').contains('half: **** done')
        !log(key, 'split').contains(TOKEN.substring(0, 7) + TOKEN.substring(7))
    }

    def "a multi-line value is masked line by line, also inside a longer line"() {
        when:
        def key = trigger('app', 'leak')
        awaitEnd(key)
        def text = log(key, 'multi')

        then:
        text.contains('key follows:')
        text.readLines().count { it.endsWith('****') } >= 3
        text.contains('inline ****\n')
        text.contains('out **** end')
        !text.contains('first-line-of-key')
        !text.contains('second-line-of-key')
    }

    def "named outputs are masked in the run, while a dependant task still renders the real value (and its log masks it)"() {
        when:
        def key = trigger('app', 'leak')
        def run = awaitEnd(key)
        def outs = run.tasks.outs.outputs
        def runText = http.get("/runs/$key").text

        then:
        outs.tok == '****'
        outs.key == '****\n****'
        !runText.contains(TOKEN)
        !runText.contains('first-line-of-key')
        log(key, 'reads').contains('from output: ****')
    }

    def "the live log stream masks values as they arrive"() {
        given:
        def key = trigger('app', 'live')
        def lines = new CopyOnWriteArrayList<String>()
        def reader = Thread.start { http.stream("/runs/$key/log?follow=true", [:]) { lines << it } }

        when: 'the first line arrives while the task is still running (its state is saved a moment after its output)'
        Http.eventually { lines.any { it.contains('live ') } }
        def whileRunning = Http.eventually { http.get("/runs/$key").json.tasks.waits.status == 'running' }
        Files.createFile(dataDir.resolve('workspaces').resolve(key).resolve('go'))
        reader.join(30_000)

        then:
        whileRunning
        lines.any { it.contains('live ****') }
        lines.any { it.contains('after ****') }
        !lines.any { it.contains(TOKEN) }
    }

    def "the live event stream (SSE) masks values too"() {
        given:
        def key = trigger('app', 'live')
        def lines = new CopyOnWriteArrayList<String>()
        def reader = Thread.start { http.stream("/runs/$key/tasks/waits/log", [accept: 'text/event-stream']) { lines << it } }

        when:
        Http.eventually { lines.any { it.contains('live ') } }
        Files.createFile(dataDir.resolve('workspaces').resolve(key).resolve('go'))
        reader.join(30_000)

        then:
        lines.any { it.contains('live ****') }
        lines.any { it.contains('after ****') }
        !lines.any { it.contains(TOKEN) }
    }

    def "a project secret shadows a global one; a global one reaches only the projects it grants"() {
        given:
        http.post('/secrets', [name: 'SHADOWED', value: 'global-shadowed-value'])
        http.post('/secrets', [name: 'SHADOWED', value: 'project-value', project: 'app'])
        http.post('/secrets', [name: 'GRANTED', value: 'granted-value', projects: ['app']])
        http.post('/secrets', [name: 'NOT_GRANTED', value: 'other-only-value', projects: ['other']])
        http.post('/secrets', [name: 'OPEN', value: 'open-to-all-value'])
        http.post('/secrets', [name: 'UNDECLARED', value: 'undeclared-value', project: 'app'])
        http.post('/secrets', [name: 'NEVER_STORED', value: 'stored-at-last', project: 'app'])
        http.post('/secrets', [name: 'NOT_GRANTED', value: 'app-own-value', project: 'app'])

        when:
        def key = trigger('app', 'scopes')
        def run = awaitEnd(key)
        def text = log(key, 'reads')

        then: 'each declared value is given (and masked); one not declared is not'
        run.status == 'succeeded'
        text.contains('shadowed=**** granted=**** notgranted=**** open=**** undeclared=unset')
        !text.contains('project-value')
        !text.contains('global-shadowed-value')
        !text.contains('app-own-value')

        when: 'the project secret is deleted: the global one takes its place'
        http.delete('/secrets/SHADOWED?project=app')
        def again = trigger('app', 'scopes')
        awaitEnd(again)

        then:
        log(again, 'reads').contains('shadowed=****')
        !log(again, 'reads').contains('global-shadowed-value')
    }

    def "a declared secret the project cannot read stops the run before any task, naming it and how to add it"() {
        given: 'ELSEWHERE exists, granted to another project only; NOWHERE does not exist'
        http.post('/secrets', [name: 'ELSEWHERE', value: 'other-only-value', projects: ['other']])

        when:
        def key = trigger('app', 'lacks')
        def run = awaitEnd(key)

        then: 'as stoker run refuses it: the run would otherwise go on and fail later without saying why'
        run.status == 'failed'
        run.reason.contains("job 'lacks' needs the secrets ELSEWHERE, NOWHERE, which project 'app' cannot read")
        run.reason.contains("stoker secret set NAME --project app")
        !Files.exists(dataDir.resolve('workspaces').resolve(key))
        !log(key, 't').contains('ran without them')
    }

    def "a secret value cannot leave the run as a trigger parameter, where it would be stored and shown"() {
        when:
        def key = trigger('app', 'passes')
        def run = awaitEnd(key)

        then:
        run.status == 'failed'
        run.tasks['hands-on'].reason.contains("parameter 'X' of trigger child would carry a secret value")
        log(key, 'hands-on').contains('would carry a secret value')
        !http.get('/runs?project=app').text.contains(TOKEN)
        http.get('/runs?project=app&job=child').json.total == 0
    }

    def "a Vault-backed secret on a server without Vault fails the run with how to configure it"() {
        given:
        freestyle('vaultless', 'job("j") { secrets "FROM_VAULT"; task("t") { sh \'echo "$FROM_VAULT"\' } }')
        http.post('/secrets', [name: 'FROM_VAULT', project: 'vaultless', vault: [path: 'ci/npm', key: 'token']])

        when:
        def run = awaitEnd(trigger('vaultless', 'j'))

        then:
        run.status == 'failed'
        run.reason.contains("secret 'FROM_VAULT' is kept in Vault (ci/npm#token), but no Vault is configured: set STOKER_VAULT_ADDR")
    }
}

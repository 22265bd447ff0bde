package io.stoker.cli.remote

import io.stoker.cli.CliRun

/** {@code stoker secret set|list|remove} against a real server; values come from stdin and are never printed. */
class SecretCommandsSpec extends RemoteCliSpecification {
    def setupSpec() {
        def add = stoker('project', 'add', 'web', '--jobfile', dataDir.resolveSibling(dataDir.fileName.toString() + '.Jobfile').with {
            it.text = "job('show') { secrets 'NPM_TOKEN'; task('t') { sh 'echo \"token=\$NPM_TOKEN\"' } }"
            it
        })
        assert add.exit == 0, add
    }

    def "set reads the value from stdin, stores it, and a run of the project sees it masked"() {
        when:
        def set = stokerWithInput("npm-from-stdin-42\n", 'secret', 'set', 'NPM_TOKEN', '--project', 'web')

        then:
        set.exit == 0
        set.out.trim() == "stored project web's secret NPM_TOKEN"
        !set.out.contains('npm-from-stdin-42')

        when: 'the run prints it'
        def trigger = stokerWithInput('', 'trigger', 'web/show', '--follow')

        then: 'the trailing newline was dropped (the whole value is masked) and the value never shows'
        trigger.exit == 0
        trigger.out.contains('token=****')
        !trigger.out.contains('npm-from-stdin')
    }

    def "a multi-line value such as a key file is stored byte-exact, its final newline kept"() {
        given: 'a project whose job tells how many lines and bytes its key has, without printing it'
        def jobfile = dataDir.resolveSibling(dataDir.fileName.toString() + '-keys.Jobfile')
        jobfile.text = """job('use') { secrets 'DEPLOY_KEY'; task('k') { sh 'printf %s "\$DEPLOY_KEY" > k; echo "lines=\$(wc -l < k) bytes=\$(wc -c < k)"' } }"""
        assert stokerWithInput('', 'project', 'add', 'keys', '--jobfile', jobfile).exit == 0
        // OpenSSH refuses a private key without its final newline ("error in libcrypto")
        String key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'

        when:
        def set = stokerWithInput(key, 'secret', 'set', 'DEPLOY_KEY', '--project', 'keys')
        def run = stokerWithInput('', 'trigger', 'keys/use', '--follow')

        then:
        set.exit == 0
        run.exit == 0
        run.out.readLines().any { it.trim() ==~ /\[k\] lines=\s*3 bytes=\s*${key.length()}/ }
    }

    def "secret set --help says which trailing newline is dropped and which is kept"() {
        expect:
        with(CliRun.of('secret', 'set', '--help').out.replaceAll(/\s+/, ' ')) {
            it.contains('a single-line value loses one trailing newline')
            it.contains('a multi-line value (a key file) is kept byte for byte')
        }
    }

    def "set on an existing name replaces the value; list shows names and scopes, never values"() {
        when:
        def again = stokerWithInput('second-value-77', 'secret', 'set', 'NPM_TOKEN', '--project', 'web')
        def global = stokerWithInput('global-value-88', 'secret', 'set', 'SHARED')
        def list = stokerWithInput('', 'secret', 'list', '--project', 'web')
        def globals = stokerWithInput('', 'secret', 'list')

        then:
        again.exit == 0
        again.out.trim() == "replaced project web's secret NPM_TOKEN"
        global.out.trim() == 'stored global secret SHARED'
        list.out.readLines()[0].split(/\s+/) as List == ['NAME', 'SCOPE', 'SOURCE', 'READABLE', 'BY', 'UPDATED']
        list.out.readLines()[1] ==~ /NPM_TOKEN\s+project\s+stored\s+web\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/ // to the second
        globals.out.readLines()[1] ==~ /SHARED\s+global\s+stored\s+every project\s+\S+/
        !(list.out + globals.out).contains('second-value-77')
        !(list.out + globals.out).contains('global-value-88')
    }

    def "grant changes which projects may read a global secret without its value, which a run still reads"() {
        given:
        assert stokerWithInput('granted-value-31', 'secret', 'set', 'NPM_TOKEN').exit == 0

        when: 'granted to another project only, then to every project; no value on stdin either time'
        def narrowed = stokerWithInput('', 'secret', 'grant', 'NPM_TOKEN', '--to', 'keys')
        def listed = stokerWithInput('', 'secret', 'list')
        def opened = stokerWithInput('', 'secret', 'grant', 'NPM_TOKEN', '--all-projects')

        then:
        narrowed.exit == 0
        narrowed.out.trim() == 'global secret NPM_TOKEN may be read by keys'
        listed.out.readLines().find { it.startsWith('NPM_TOKEN') } ==~ /NPM_TOKEN\s+global\s+stored\s+keys\s+\S+/
        opened.out.trim() == 'global secret NPM_TOKEN may be read by every project'

        and: 'the value is the one it was set with'
        def removed = stokerWithInput('', 'secret', 'remove', 'NPM_TOKEN', '--project', 'web')
        def run = stokerWithInput('', 'trigger', 'web/show', '--follow')
        removed.exit == 0
        run.exit == 0
        run.out.contains('token=****')

        cleanup:
        stokerWithInput('', 'secret', 'remove', 'NPM_TOKEN')
    }

    def "grant needs either --to or --all-projects"() {
        expect:
        with(stokerWithInput('', 'secret', 'grant', 'NPM_TOKEN')) {
            exit == 2
            err.contains('give --to PROJECT (once or more) or --all-projects, not neither')
        }
        with(stokerWithInput('', 'secret', 'grant', 'NPM_TOKEN', '--to', 'web', '--all-projects')) {
            exit == 2
            err.contains('not both')
        }
    }

    def "remove deletes a secret; removing it again is refused with exit 2"() {
        expect:
        stokerWithInput('', 'secret', 'remove', 'SHARED').out.trim() == 'removed global secret SHARED'
        with(stokerWithInput('', 'secret', 'remove', 'SHARED')) {
            exit == 2
            err.contains("no global secret named 'SHARED'")
        }
        stokerWithInput('', 'secret', 'list').out.contains('no global secrets')
    }

    def "bad input is refused with one line and exit 2, before anything is stored"() {
        expect:
        with(stokerWithInput('', 'secret', 'set', 'EMPTY')) {
            exit == 2
            err.trim().startsWith('stoker: no value on standard input for EMPTY')
        }
        with(stokerWithInput('', 'secret', 'set', 'EMPTY', '--project', 'web')) {
            exit == 2
            err.contains('| stoker secret set EMPTY --project web)')
        }
        with(stokerWithInput('v', 'secret', 'set', 'bad name')) {
            exit == 2
            err.trim() == "stoker: NAME must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), not 'bad name'"
        }
        with(stokerWithInput('x' * (64 * 1024 + 10), 'secret', 'set', 'HUGE')) {
            exit == 2
            err.contains('longer than 65536 bytes')
        }
        with(stokerWithInput('v', 'secret', 'set', 'X', '--project', 'nope')) {
            exit == 2
            err.contains("no project 'nope'")
        }
        !stokerWithInput('', 'secret', 'list').out.contains('HUGE')
    }

    def "the value is never taken from the command line"() {
        when:
        def r = stokerWithInput('', 'secret', 'set', 'NPM_TOKEN', 'the-value')

        then:
        r.exit == 2
        r.err.contains("unexpected argument 'the-value'; usage: stoker secret set")
    }

    def "set --vault registers a Vault reference without reading stdin"() {
        when:
        def set = stokerWithInput('ignored', 'secret', 'set', 'FROM_VAULT', '--vault', 'ci/npm#token', '--project', 'web')
        def list = stokerWithInput('', 'secret', 'list', '--project', 'web')
        def bad = stokerWithInput('', 'secret', 'set', 'FROM_VAULT2', '--vault', 'ci/npm')

        then:
        set.exit == 0
        list.out.readLines().find { it.startsWith('FROM_VAULT ') } ==~ /FROM_VAULT\s+project\s+vault ci\/npm#token\s+web\s+\S+/
        bad.exit == 2
        bad.err.contains('--vault must be PATH#KEY')
    }
}

package io.stoker.cli

import spock.lang.Specification

/** What the --help texts promise, read as a user reads them (80 columns). */
class HelpTextSpec extends Specification {

    static final List<List<String>> COMMANDS = [[], ['trigger'], ['rerun'], ['runs'], ['status'], ['logs'], ['cancel'],
                                                ['artifacts'], ['tests'], ['login'], ['logout'], ['project', 'add'], ['jobs']]

    def "no help text breaks a URL across lines: stoker #command --help"() {
        when:
        def help = CliRun.of(*command, '--help')

        then:
        help.exit == 0
        !(help.out =~ /https?:\/*\s*\n/)
        !(help.out =~ /127\.0\.0\.1:\s*\n/)
        !help.out.contains('127.0.0.1') || help.out.contains('http://127.0.0.1:8080')

        where:
        command << COMMANDS
    }

    static final List<List<String>> WITH_SERVER_OPTION = [['project', 'add'], ['project', 'list'], ['jobs'], ['trigger'],
            ['rerun'], ['runs'], ['status'], ['logs'], ['cancel'], ['approve'], ['reject'], ['artifacts'], ['tests'], ['secret', 'set'],
            ['agent', 'add'], ['user', 'add'], ['token', 'create'], ['list'], ['versions'], ['deploy'], ['rollback'],
            ['deployments'], ['targets'], ['caches'], ['cluster'], ['login'], ['logout']]

    def "--server's help wraps as one description, each further line indented under it: stoker #command --help"() {
        when:
        List<String> lines = CliRun.of(*command, '--help').out.readLines()
        int at = lines.findIndexOf { it ==~ /\s+--server=URL\s+.*/ }
        int column = lines[at].indexOf("the Stoker server's URL")
        List<String> wrapped = lines.drop(at + 1).takeWhile { !(it ==~ /\s{0,8}(-\w,)?\s*--?\w.*/) }

        then:
        column > 0
        !wrapped.isEmpty()
        wrapped.every { it.startsWith(' ' * (column + 2)) && it.charAt(column + 2) != ' ' as char }
        ([lines[at]] + wrapped)*.strip().join(' ').endsWith(defaultServer(command))

        where:
        command << WITH_SERVER_OPTION
    }

    /** How --server's help ends: logout forgets the last login's token, so it has no default besides it. */
    private static String defaultServer(List<String> command) {
        command == ['logout'] ? 'else the last login)'
                : command == ['login'] ? 'else the last login, else http://127.0.0.1:8080)'
                : "else the last 'stoker login', else http://127.0.0.1:8080)"
    }

    def "a path in a help text stays on one line: #path in stoker #command --help"() {
        when:
        def help = CliRun.of(*command, '--help').out

        then:
        help.readLines().any { it.contains(path) }
        !help.contains('\uFEFF')

        where:
        command     | path
        []          | 'http://127.0.0.1:8080'
        []          | '(/etc/systemd/system/stoker.service)'
        []          | '(/etc/stoker/stoker.env)'
        ['install'] | '(/etc/systemd/system/stoker.service)'
        ['install'] | '(/etc/stoker/stoker.env)'
        ['install'] | '(/var/lib/stoker)'
        ['run']     | '.git'
        ['login']   | (System.getenv('XDG_CONFIG_HOME') ?: '~/.config') + '/stoker/config.json'
    }

    def "an example in a help text is not wrapped into the next line: stoker #command --help"() {
        when:
        List<String> lines = CliRun.of(*command, '--help').out.readLines()

        then:
        [lines, lines.drop(1)].transpose().every { example, next -> !example.startsWith('  stoker ') || !(next ==~ /[a-z(].*/) }

        where:
        command << [['trigger'], ['project', 'add'], ['project', 'update'], ['secret', 'set'], ['agent', 'add'],
                    ['install'], ['list'], ['versions'], ['deploy'], ['rollback'], ['deployments'], ['targets'], ['caches']]
    }

    def "a help text with a '%' formats without picocli warning about it"() {
        given:
        def warnings = new ByteArrayOutputStream()
        def stderr = System.err
        System.err = new PrintStream(warnings, true)

        when:
        def help = CliRun.of('secret', 'set', '--help')

        then:
        help.out.contains('printf %s "$TOKEN" | stoker secret set NPM_TOKEN')
        !warnings.toString().contains('picocli WARN')

        cleanup:
        System.err = stderr
    }

    def "stoker --help names as local exactly the commands that take no --server: the others are client commands"() {
        given:
        def top = Main.commandLine()
        Closure<Boolean> speaks
        speaks = { picocli.CommandLine c ->
            c.commandSpec.findOption('--server') != null || c.subcommands.values().any { speaks(it) }
        }
        def local = top.subcommands.findAll { name, c -> !speaks(c) }.keySet().sort()

        when:
        def help = CliRun.of('--help').out.replaceAll(/\s+/, ' ')

        then:
        local == ['completion', 'graph', 'install', 'run', 'server', 'store', 'validate']
        help.contains('Client commands (every command but validate, graph, run, server, store, completion and install) speak to')
    }

    def "runs --help lists the statuses a run can have, not a task's"() {
        when:
        def help = CliRun.of('runs', '--help').out

        then:
        help.contains('queued running succeeded failed timedout cancelled')
        !help.contains('pending')
        !help.contains('skipped')

        and: 'it names no REF argument the command does not take, only the column'
        !help.contains('REF is')
        help.contains('The REF column')

        and: '--status takes what the help lists, no more (refused before the server is asked)'
        ['pending', 'skipped'].every { s ->
            def r = CliRun.of('runs', '--status', s, '--server', 'http://127.0.0.1:9', '--token', 'none')
            r.exit == 2 && r.err.readLines()[0] == "stoker: unknown status '$s': a run's status is one of queued, running, succeeded, failed, timedout, cancelled"
        }
    }

    def "project add --help names secrets for git credentials, not the deprecated environment variables"() {
        when:
        def help = CliRun.of('project', 'add', '--help').out

        then:
        help.contains('secret')
        !help.contains('STOKER_GIT_CREDENTIALS')
    }

    def "server --help names the environment variable that sets the server's log level"() {
        when:
        def help = CliRun.of('server', '--help').out

        then:
        help.contains('STOKER_LOG_LEVEL')
    }

    def "stoker #command --help says what --task selects: the task, what it needs, a matrix task's cells"() {
        when:
        def help = CliRun.of(command, '--help').out.replaceAll(/\s+/, ' ')

        then:
        help.contains('--task=TASK')
        help.contains('TASK and what it needs, directly or not')
        help.toLowerCase().contains("a matrix task's name")
        help.contains('repeat for several')

        where:
        command << ['run', 'graph']
    }

    def "commands that take a run accept PROJECT/JOB-number and say so: #command"() {
        expect:
        CliRun.of(command, '--help').out.contains('PROJECT/JOB#N')

        where:
        command << ['status', 'logs', 'cancel', 'artifacts', 'tests', 'rerun', 'approve', 'reject']
    }
}

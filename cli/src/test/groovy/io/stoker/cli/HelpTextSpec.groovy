package io.stoker.cli

import spock.lang.Specification

/** What the --help texts promise, read as a user reads them (80 columns). */
class HelpTextSpec extends Specification {

    static final List<List<String>> COMMANDS = [[], ['trigger'], ['rerun'], ['runs'], ['status'], ['logs'], ['cancel'],
                                                ['artifacts'], ['login'], ['logout'], ['project', 'add'], ['jobs']]

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

    def "runs --help lists the statuses a run can have, not a task's"() {
        when:
        def help = CliRun.of('runs', '--help').out

        then:
        help.contains('queued running succeeded failed timedout cancelled')
        !help.contains('pending')
        !help.contains('skipped')
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

    def "commands that take a run accept PROJECT/JOB-number and say so: #command"() {
        expect:
        CliRun.of(command, '--help').out.contains('PROJECT/JOB#N')

        where:
        command << ['status', 'logs', 'cancel', 'artifacts', 'rerun', 'approve', 'reject']
    }
}

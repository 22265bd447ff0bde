package io.stoker.cli.remote

import io.stoker.cli.CliRun
import spock.lang.Specification

/**
 * A run named as PROJECT/JOB#N whose N is not a run number is refused by every command that takes a run, before
 * the server is asked (the --server given here listens nowhere: asking it would be exit 3).
 */
class RunRefSpec extends Specification {

    static final List<List<String>> COMMANDS = [['status'], ['logs'], ['cancel'], ['artifacts'], ['rerun'],
                                                ['approve', '%', 'gate'], ['reject', '%', 'gate']]

    def "a run number that is not a whole number from 1 is said to be one: stoker #command"() {
        when:
        def r = run(command, 'demo/deploy#abc')

        then:
        r.exit == 2
        r.err.readLines()[0] == "stoker: the run number after '#' must be a whole number from 1, not 'abc'"

        where:
        command << COMMANDS
    }

    def "#ref is refused in words, not as an unknown run"() {
        when:
        def r = run(['status'], ref)

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: $reason".toString(), "Try 'stoker status --help' for more information."]

        where:
        ref               || reason
        'demo/deploy#'    || "the run number after '#' must be a whole number from 1, not ''"
        'demo/deploy#0'   || "the run number after '#' must be a whole number from 1, not '0'"
        'demo/deploy#-1'  || "the run number after '#' must be a whole number from 1, not '-1'"
        'demo/deploy#1#2' || "the run number after '#' must be a whole number from 1, not '1#2'"
        'deploy#3'        || "name a run by its key or as PROJECT/JOB#N, not 'deploy#3'"
    }

    private static CliRun run(List<String> command, String ref) {
        List<String> args = command.contains('%') ? command.collect { it == '%' ? ref : it } : command + [ref]
        CliRun.of(*args, '--server', 'http://127.0.0.1:9', '--token', 'none')
    }
}

package io.stoker.cli

import java.nio.file.Files
import java.nio.file.Path

import picocli.CommandLine
import picocli.CommandLine.Model.OptionSpec
import spock.lang.Specification

/** A command line that does not parse is told in the CLI's words, with exit 2. */
class UsageMistakeSpec extends Specification {

    def "an unknown command names itself and the commands there are"() {
        when:
        def r = CliRun.of('frobnicate')

        then:
        r.exit == 2
        r.err.readLines()[0].startsWith("stoker: unknown command 'frobnicate' for 'stoker' (commands: validate, graph, run")
        !r.err.contains('Unmatched argument')
    }

    def "a command group named without a command shows its commands on stderr and exits 2: stoker #group"() {
        when:
        def r = CliRun.of(*group)

        then: 'a script whose command word came out empty does not pass for a success'
        r.exit == 2
        r.out.isEmpty()
        r.err.startsWith('Usage: ' + (['stoker'] + group).join(' '))
        r.err.readLines().last() == "stoker: '${(['stoker'] + group).join(' ')}' needs one of the commands listed above"

        where:
        group << [[], ['project'], ['project', 'member'], ['agent'], ['agent', 'token'], ['secret'], ['token'], ['user']]
    }

    def "a near miss gets a suggestion"() {
        when:
        def r = CliRun.of('valdate')

        then:
        r.exit == 2
        r.err.readLines()[0] == "stoker: unknown command 'valdate' for 'stoker'; did you mean 'validate'?"
    }

    def "a word users try for a command gets that command, and no list of all commands: stoker #typed"() {
        when:
        def r = CliRun.of(*typed)

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: unknown command '$word' for '$where'; did you mean '$meant'?".toString(),
                              "Try '$where --help' for more information.".toString()]

        where:
        typed                       | word      | where            | meant
        ['draw', 'samples/03-pipe'] | 'draw'    | 'stoker'         | 'graph'
        ['build', 'demo/deploy']    | 'build'   | 'stoker'         | 'trigger'
        ['start', 'demo/deploy']    | 'start'   | 'stoker'         | 'trigger'
        ['log', 'demo/deploy#1']    | 'log'     | 'stoker'         | 'logs'
        ['ls']                      | 'ls'      | 'stoker'         | 'list'
        ['stop']                    | 'stop'    | 'stoker'         | 'cancel'
        ['version']                 | 'version' | 'stoker'         | '--version'
        ['project', 'ls']           | 'ls'      | 'stoker project' | 'list'
        ['token', 'rm', 'ci']       | 'rm'      | 'stoker token'   | 'revoke'
        ['secret', 'rm', 'KEY']     | 'rm'      | 'stoker secret'  | 'remove'
        ['environments', 'shop']    | 'environments' | 'stoker'    | 'targets'
    }

    def "options of a group that exclude each other are named as typed, not as picocli's group: #args"() {
        when:
        def r = CliRun.of(*args)

        then:
        r.exit == 2
        r.err.readLines()[0] == "stoker: $reason"
        !r.err.contains('expected only one match')
        !r.err.contains('Error:')

        where:
        args                                                                        || reason
        ['project', 'add', 'gp4', '--git', 'file:///tmp/x', '--jobfile', 'x']       || '--git and --jobfile cannot be used together'
        ['project', 'update', 'gp4', '--jobfile=x', '--git=file:///tmp/x']          || '--jobfile and --git cannot be used together'
        ['project', 'add', 'gp4', '--branch', 'main', '--jobfile', 'x']             || '--branch and --jobfile cannot be used together'
        ['project', 'add', 'gp4', '--jobfile', 'a', '--jobfile', 'b']               || '--jobfile can be given only once'
        ['project', 'add', 'gp4', '--git', 'a', '--git', 'b']                       || '--git can be given only once'
        ['agent', 'add', 'a1', '--host', 'h', '--user', 'u', '--key', 'k', '--host-key', 'SHA256:x',
         '--trust-on-first-use']                                                    || '--host-key and --trust-on-first-use cannot be used together'
    }

    def "picocli's own 'Error: ' is not said after the CLI's 'stoker: '"() {
        given: 'a refusal that no rewording of ours explains, as picocli words a required group'
        def ex = new picocli.CommandLine.MissingParameterException(Main.commandLine(), [],
                'Error: Missing required argument(s): --git=URL')

        expect:
        UsageMistake.describe(ex, [] as String[]) == 'Missing required argument(s): --git=URL'
    }

    def "a local Jobfile given where a repository URL goes is told to come with --jobfile"() {
        given: 'a Jobfile, and a folder holding one that is no git repository'
        Path dir = Files.createTempDirectory('stoker-cli-jobfile')
        Path jobfile = Files.writeString(dir.resolve('Jobfile'), "job('a') { task('t') { sh 'true' } }")

        expect:
        [jobfile.toString(), dir.toString()].every { String where ->
            def r = CliRun.of('project', 'add', 'demo', where)
            assert r.exit == 2
            assert r.err.readLines()[0] == "stoker: '$where' is a Jobfile here, not a git repository: store its text with --jobfile $where (or give a repository's URL)"
            true
        }

        cleanup:
        dir?.toFile()?.deleteDir()
    }

    def "a group of which one option is needed names its options when none is given"() {
        when:
        def r = CliRun.of('agent', 'add', 'a1', '--host', 'h', '--user', 'u', '--key', 'k')

        then:
        r.exit == 2
        r.err.readLines()[0] == 'stoker: give --host-key or --trust-on-first-use'
    }

    def "an unknown subcommand is told for its parent"() {
        when:
        def r = CliRun.of('project', 'frob')

        then:
        r.exit == 2
        r.err.readLines()[0].startsWith("stoker: unknown command 'frob' for 'stoker project' (commands: add,")
    }

    def "an argument too many is named, with the command's synopsis"() {
        when:
        def r = CliRun.of('validate', 'Jobfile', 'extra')

        then:
        r.exit == 2
        r.err.readLines()[0] ==~ /stoker: unexpected argument 'extra'; usage: stoker validate .*/
        r.err.readLines()[1] == "Try 'stoker validate --help' for more information."
    }

    def "a value of the wrong kind is told in words, not by the Java type it did not parse as: #args"() {
        when:
        def r = CliRun.of(*args)

        then:
        r.exit == 2
        r.err.readLines()[0] == "stoker: $reason".toString()

        where:
        args                                               | reason
        ['deploy', 'shop', '1.0', '--to', 'x', '--timeout', 'soon'] | "--timeout: 'soon' is not a whole number"
        ['versions', 'shop', '--limit', 'all']             | "--limit: 'all' is not a whole number"
        ['run', '--parallel', 'many']                      | "--parallel: 'many' is not a whole number"
        ['run', '--parallel', '99999999999']               | "--parallel: '99999999999' is too large (at most 2147483647)"
        ['server', '--port', '-99999999999']               | "--port: '-99999999999' is too small (at least -2147483648)"
        ['graph', '--format', 'svg']                       | "--format: 'svg' is not one of text, dot, json"
    }

    def "a mistyped option gets the likely one, as a mistyped command does: #args"() {
        when:
        def r = CliRun.of(*args)

        then: 'picocli\'s "Unknown option:" said as every other line of the CLI'
        r.exit == 2
        r.err.readLines() == [message, "Try '$where --help' for more information.".toString()]

        where:
        args                                        | where            | message
        ['trigger', 's01/hello', '--folow']         | 'stoker trigger' | "stoker: unknown option '--folow'; did you mean '--follow'?"
        ['logs', 'RUN', '--rwa']                    | 'stoker logs'    | "stoker: unknown option '--rwa'; did you mean '--raw'?"
        ['trigger', 's01/hello', '--param=x', '--queu=1'] | 'stoker trigger' | "stoker: unknown option '--queu=1'; did you mean '--queue'?"
        ['validate', '--frobnicate']                | 'stoker validate' | "stoker: unknown option '--frobnicate'"
    }

    def "a far-fetched name is not suggested"() {
        expect:
        !CliRun.of('frob').err.contains('did you mean')
        !CliRun.of('project', 'frob').err.contains('did you mean')
    }

    def "every command names an unknown option, before an argument it misses: stoker #command --bogus"() {
        when: 'picocli checks the required arguments first, and would tell "trigger --bogus" its missing PROJECT'
        def r = CliRun.of(*(command + ['--bogus']))

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: unknown option '--bogus'", hint(command)]

        where:
        command << commands()
    }

    def "every option that takes a value, typed without one, says the value it needs: stoker #command #option"() {
        when:
        def r = CliRun.of(*(command + [option]))

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: $option needs a value ($label)".toString(), hint(command)]

        where:
        [command, option, label] << optionsWithValues().collect { c, OptionSpec o -> [c, o.longestName(), o.paramLabel()] }
    }

    def "every whole-number option names itself and its value, not a Java type: stoker #command #option abc"() {
        when:
        def r = CliRun.of(*(command + [option, 'abc']))

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: $option: 'abc' is not a whole number".toString(), hint(command)]

        where:
        [command, option] << optionsWithValues().findAll { c, OptionSpec o -> o.type() in [int, Integer, long, Long] }
                .collect { c, OptionSpec o -> [c, o.longestName()] }
    }

    def "each kind of mistake picocli finds is one line naming the argument or option, and the hint: stoker #args"() {
        when:
        def r = CliRun.of(*args)

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: $reason".toString(), hint(where)]
        !r.err.contains('Missing required') && !r.err.contains('Invalid value') && !r.err.contains('should be specified')

        where:
        args                                              | where                | reason
        ['logs']                                          | ['logs']             | 'missing RUN'
        ['deploy']                                        | ['deploy']           | 'missing PROJECT and VERSION'
        ['deploy', 'shop']                                | ['deploy']           | 'missing VERSION'
        ['user', 'role']                                  | ['user', 'role']     | 'missing NAME and ROLE'
        ['agent', 'run']                                  | ['agent', 'run']     | 'missing --server=URL'
        ['trigger', 'p', '--param', '--follow']           | ['trigger']          | "--param needs a value (KEY=VALUE), but '--follow' is an option"
        ['graph', '--format', 'dot', '--format', 'text']  | ['graph']            | '--format can be given only once'
        ['runs', '--json', '--json']                      | ['runs']             | '--json can be given only once'
        ['logs', 'r', '--raw=maybe']                      | ['logs']             | "--raw: 'maybe' is not true or false"
        ['runs', '--page', '1.5']                         | ['runs']             | "--page: '1.5' is not a whole number"
        ['logs', '-fx', 'r']                              | ['logs']             | "unknown option '-x'"
        ['trigger', '--bogus', '--param']                 | ['trigger']          | "unknown option '--bogus'"
        ['agent', 'add', 'a1', '--bogus']                 | ['agent', 'add']     | "unknown option '--bogus'"
    }

    /** A server nothing listens on and a token: the mistakes below are told before either is used. */
    static final List<String> OFFLINE = ['--server', 'http://127.0.0.1:9', '--token', 'none']

    def "a mistake a command finds in its own options is said as picocli's are, with the hint: stoker #args"() {
        when: 'what the command line alone shows wrong, checked by the command after picocli parsed it'
        def r = CliRun.of(*args)

        then:
        r.exit == 2
        r.err.readLines() == ["stoker: $reason".toString(), hint(where)]

        where:
        args                                                        | where               | reason
        ['runs', '--page', '-1'] + OFFLINE                          | ['runs']            | '--page must be a whole number from 1 to 1000000, not -1'
        ['runs', '--status', 'bogus'] + OFFLINE                     | ['runs']            | "unknown status 'bogus': a run's status is one of queued, running, succeeded, failed, timedout, cancelled"
        ['runs', 'shop/build', '--job', 'test'] + OFFLINE           | ['runs']            | "name the job once: PROJECT/JOB 'shop/build' or --job test"
        ['runs', '--job', 'a/b/c'] + OFFLINE                        | ['runs']            | "--job takes a job's name or PROJECT/JOB, not 'a/b/c'"
        ['versions', 'shop', '--page', '0'] + OFFLINE               | ['versions']        | '--page must be a whole number from 1 to 1000000, not 0'
        ['deployments', 'shop', '--limit', '501'] + OFFLINE         | ['deployments']     | '--limit must be from 1 to 500, not 501'
        ['deploy', 'shop', '1.0', '--to', 'x', '--timeout', '0'] + OFFLINE | ['deploy']   | '--timeout must be at least 1 second, not 0'
        ['secret', 'grant', 'K'] + OFFLINE                          | ['secret', 'grant'] | 'give --to PROJECT (once or more) or --all-projects, not neither'
        ['secret', 'grant', 'K', '--to', 'p', '--all-projects'] + OFFLINE | ['secret', 'grant'] | 'give --to PROJECT (once or more) or --all-projects, not both'
        ['secret', 'set', 'K', '--vault', 'ci/npm'] + OFFLINE       | ['secret', 'set']   | "--vault must be PATH#KEY, e.g. ci/npm#token, not 'ci/npm'"
        ['project', 'add', 'p', '--branch', 'main'] + OFFLINE       | ['project', 'add']  | "--branch needs the repository's URL: GIT_URL or --git URL"
        ['project', 'add', 'p'] + OFFLINE                           | ['project', 'add']  | "give the project's source once: GIT_URL, --git URL or --jobfile FILE"
        ['caches', 'shop', '--delete', ''] + OFFLINE                | ['caches']          | "--delete takes a cache's key as stoker caches shop lists it, not an empty text; --delete-all drops every cache"
        ['trigger', 'shop/'] + OFFLINE                              | ['trigger']         | "expected PROJECT or PROJECT/JOB, not 'shop/'"
        ['trigger', 'shop', 'v1', '--ref', 'main'] + OFFLINE        | ['trigger']         | 'give the revision once: as TAG or with --ref, not both'
        ['trigger', 'shop', '-p', 'greeting'] + OFFLINE             | ['trigger']         | "-p expects KEY=VALUE, got 'greeting'"
        ['trigger', 'shop', '--task', ''] + OFFLINE                 | ['trigger']         | '--task is empty: name a task to run, or leave --task out to run every task'
        ['logs', 'shop/build#x'] + OFFLINE                          | ['logs']            | "the run number after '#' must be a whole number from 1, not 'x'"
        ['artifacts', 'shop/build#1', '--tar'] + OFFLINE            | ['artifacts']       | '--tar needs --download DIR'
        ['user', 'add', 'bob', '--role', 'boss'] + OFFLINE          | ['user', 'add']     | "--role must be admin, developer or viewer, not 'boss'"
        ['user', 'role', 'bob', 'boss'] + OFFLINE                   | ['user', 'role']    | "ROLE must be admin, developer or viewer, not 'boss'"
        ['jobs', '--server', '127.0.0.1:8080', '--token', 'none']   | ['jobs']            | "--server must look like http://HOST:PORT, not '127.0.0.1:8080'"
        ['agent', 'run', '--server', 'ftp://x', '--token', 't']     | ['agent', 'run']    | "--server must be an http:// or https:// URL, not 'ftp://x'"
        ['agent', 'run', '--server', 'http://127.0.0.1:9', '--token', 't', '--executors', '0'] | ['agent', 'run'] | '--executors must be from 1 to 256, not 0'
        ['run', '--parallel', '0']                                  | ['run']             | '--parallel must be at least 1, not 0'
        ['run', '-p', 'greeting']                                   | ['run']             | "-p expects KEY=VALUE, got 'greeting'"
        ['run', '--max-copy', 'lots']                               | ['run']             | "--max-copy: 'lots' is not a size: a number of bytes, or of KiB, MiB or GiB with k, m or g (e.g. 500m)"
        ['server', '--port', '99999']                               | ['server']          | '--port: port must be 0..65535, was 99999'
        ['install', '--print', '--port', '0']                       | ['install']         | '--port must be 1..65535, not 0'
    }

    private static String hint(List<String> command) {
        "Try '${(['stoker'] + command).join(' ')} --help' for more information.".toString()
    }

    /** Every command and command group, each by the words that name it (an alias names no other). */
    private static List<List<String>> commands() {
        List<List<String>> found = []
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>())
        Closure walk
        walk = { CommandLine c, List<String> path ->
            if (!seen.add(c)) return
            found << path
            c.subcommands.values().each { CommandLine sub -> walk(sub, path + [sub.commandName]) }
        }
        walk(Main.commandLine(), [])
        found
    }

    /**
     * The visible options that take a value, each with the first command that has it: one handler says every
     * command's mistakes, and --server on thirty commands would only take thirty times as long.
     */
    private static List<List> optionsWithValues() {
        def root = Main.commandLine()
        commands().collectMany { List<String> path ->
            CommandLine c = path.inject(root) { CommandLine at, String word -> at.subcommands[word] }
            c.commandSpec.options().findAll { !it.hidden() && it.arity().min() > 0 }.collect { [path, it] }
        }.unique { it[1].longestName() + ' ' + it[1].paramLabel() }
    }

    def "edits counts letters changed, added or dropped"() {
        expect:
        UsageMistake.edits(a, b) == n

        where:
        a          | b          || n
        'validate' | 'validate' || 0
        'valdate'  | 'validate' || 1
        'lgoin'    | 'login'    || 2
        'statsu'   | 'status'   || 2
        ''         | 'run'      || 3
        'frob'     | 'refresh'  || 5
    }
}

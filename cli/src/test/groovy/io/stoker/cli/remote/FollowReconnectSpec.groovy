package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.cli.Main
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The commands that follow a run ride out losing the server, as {@code gh run watch} does: a real server is stopped
 * under a real CLI process and started again on the same data directory and port. The follow says once on stderr
 * that it lost the server, resumes where it was (no line lost, none twice), and still ends with the run's exit code;
 * a server that stays away is given up on after {@code STOKER_RECONNECT_WITHIN}.
 */
@Timeout(300)
class FollowReconnectSpec extends Specification {
    static final String LOST = /stoker: lost the server \(.+\); reconnecting…/

    @TempDir Path dataDir
    @TempDir Path files
    StokerServer server
    String token
    List<Process> started = []

    def setup() {
        server = start(0)
        token = server.auth().createApiToken('admin', 'spec', null).token()
    }

    def cleanup() {
        started.each { if (it.alive) it.destroyForcibly() }
        // the tasks' gate loops end once every gate is there
        ['first', 'second', 'again'].each { job -> (1..4).each { gate(job, it) } }
        server?.close()
    }

    /** One slot: a run of 'second' waits in the queue while 'first' runs. Each task prints a line per gate opened. */
    private StokerServer start(int port) {
        StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(port).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword('spec-admin-password')))
    }

    private CliRun stoker(Object... args) {
        CliRun.of(*args, '--server', server.url(), '--token', token)
    }

    private Path gateDir(String job) {
        files.resolve('gates-' + job)
    }

    private void gate(String job, int n) {
        Files.createDirectories(gateDir(job))
        Path f = gateDir(job).resolve(String.valueOf(n))
        if (!Files.exists(f)) Files.createFile(f)
    }

    private void project() {
        // bounded waits (150 s): a task left behind by a failed spec ends on its own
        Closure<String> count = { String job ->
            """sh 'for i in 1 2 3 4; do n=0; while [ ! -e ${gateDir(job)}/\$i ] && [ \$n -lt 3000 ]; do sleep 0.05; n=\$((n+1)); done; echo "line \$i"; done'"""
        }
        Path jobfile = files.resolve('Jobfile')
        jobfile.text = """
job('first') { task('count') { ${count('first')} } }
job('second') { task('count') { ${count('second')} } }
job('again') { retryOnRestart true; task('count') { ${count('again')} } }
"""
        assert stoker('project', 'add', 'p', '--jobfile', jobfile).exit == 0
    }

    /** The CLI as its own process, with {@code env} added, its output in {@code NAME.out} and {@code NAME.err}. */
    private Process cli(String name, Map<String, String> env, String... args) {
        def pb = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name, *args, '--server', server.url(), '--token', token)
                .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
                .redirectOutput(files.resolve(name + '.out').toFile()).redirectError(files.resolve(name + '.err').toFile())
        pb.environment().putAll(env)
        Process p = pb.start()
        started << p
        p
    }

    private String out(String name) { text(files.resolve(name + '.out')) }

    private String err(String name) { text(files.resolve(name + '.err')) }

    private static String text(Path f) { Files.exists(f) ? f.text : '' }

    private void await(String what, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 60_000 * CliRun.TIMEOUT_FACTOR
        while (!condition() && System.currentTimeMillis() < deadline) Thread.sleep(20)
        assert condition(): "$what did not happen within ${60 * CliRun.TIMEOUT_FACTOR} s"
    }

    private int exit(Process p) {
        assert p.waitFor(120 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS): 'the follower did not end'
        p.exitValue()
    }

    private String keyOf(String triggered) {
        (triggered =~ /run (\S+) \(/)[0][1]
    }

    /**
     * Starts a run of {@code job} and follows it with {@code stoker ARGS… KEY FOLLOW…} as process {@code name} until the
     * follow has shown the task's first line; answers the run's key and the follower.
     */
    private Tuple2<String, Process> followed(String job, String name, Map<String, String> env, List<String> follow) {
        project()
        String key = keyOf(stoker('trigger', 'p/' + job).out)
        def follower = cli(name, env, 'logs', key, *follow)
        gate(job, 1)
        await("the follow showing line 1") { out(name).contains('line 1') }
        new Tuple2<>(key, follower)
    }

    /** Stops the server and starts another on its data directory and port, as an upgrade does. */
    private void restart() {
        int port = server.port()
        server.close()
        server = start(port)
    }

    def "logs -f and trigger --follow outlive a restart of the server: every line once, and the run's exit code"() {
        given: "a run of 'first' holds the one slot and has printed two lines; a run of 'second' is queued behind it"
        project()
        String first = keyOf(stoker('trigger', 'p/first').out)
        def logs = cli('logs', [:], 'logs', first, '-f')
        def trigger = cli('trigger', [:], 'trigger', 'p/second', '--follow')
        gate('first', 1)
        gate('first', 2)
        await('the follow of the first run showing line 2') { out('logs').contains('line 2') }
        await('the second run being queued') { out('trigger').contains(') queued') }
        String second = keyOf(out('trigger'))

        when: 'the server stops (the first run is cut short: its job does not retry on restart) and starts again'
        restart()

        and: 'the queued run starts on the new server and prints its lines'
        (1..4).each { gate('second', it) }

        then: 'the follow of the interrupted run got the rest of its log and ended with it: failed, exit 1'
        exit(logs) == 1
        stoker('status', first, '--json').json().status == 'failed'
        List<String> stored = stoker('logs', first).out.readLines()
        out('logs').readLines() == stored + [stoker('status', first).out.readLines().first()]
        stored.findAll { it.contains('line ') } == ['[count] line 1', '[count] line 2']
        stored.any { it.contains('server restarted') }

        and: 'the follow of the queued run got its every line once and its success, exit 0'
        exit(trigger) == 0
        List<String> storedSecond = stoker('logs', second).out.readLines()
        storedSecond.findAll { it.contains('line ') } == (1..4).collect { "[count] line $it".toString() }
        out('trigger').readLines() == [out('trigger').readLines().first()] + storedSecond +
                ["run $second (#1, p/second): succeeded".toString()]

        and: 'each said once that it lost the server, and nothing else'
        err('logs').readLines().size() == 1
        err('logs').readLines()[0] ==~ LOST
        err('trigger').readLines().size() == 1
        err('trigger').readLines()[0] ==~ LOST
    }

    def "a task's log followed across a restart resumes after its last line shown"() {
        given:
        def (String first, Process logs) = followed('first', 'task', [:], ['count', '-f'])

        when:
        restart()

        then: 'the task failed with the restart; its follow showed every stored line once and exits 1'
        exit(logs) == 1
        out('task').readLines() == stoker('logs', first, 'count').out.readLines()
        out('task').readLines().count { it == 'line 1' } == 1
        err('task').readLines().size() == 1
        err('task').readLines()[0] ==~ LOST
    }

    def "a run its job retries on restart is followed through its second attempt to its success, every line once"() {
        given: 'a retrying run has printed its first line'
        def (String key, Process logs) = followed('again', 'again', [:], ['-f'])

        when: 'the server restarts, which queues the run again; the new attempt prints every line'
        restart()
        (1..4).each { gate('again', it) }

        then: 'the follow showed the first attempt, its end, and the second attempt, each line once; the run succeeded'
        exit(logs) == 0
        List<String> stored = stoker('logs', key).out.readLines()
        stored.findAll { it.contains('line ') } == ['[count] line 1'] + (1..4).collect { "[count] line $it".toString() }
        out('again').readLines() == stored + ["run $key (#1, p/again): succeeded".toString()]
        err('again').readLines().size() == 1
        err('again').readLines()[0] ==~ LOST
    }

    def "a server that stays away is given up on after STOKER_RECONNECT_WITHIN, in one line, exit 3"() {
        given:
        def (String first, Process logs) = followed('first', 'gone', [STOKER_RECONNECT_WITHIN: '2s'], ['-f'])

        when: 'the server stops for good'
        long stopped = System.nanoTime()
        server.close()
        server = null

        then: 'the follow tried for two seconds, said so, and ended unavailable'
        exit(logs) == 3
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped) < 60
        err('gone').readLines().size() == 2
        err('gone').readLines()[0] ==~ LOST
        err('gone').readLines()[1] ==~ /stoker: gave up reconnecting to http:\/\/127\.0\.0\.1:\d+ after trying for 2\.\ds \(STOKER_RECONNECT_WITHIN is 2\.0s\): .+/
    }

    def "a refusal is not retried: a follow of a run that is not there ends at once, exit 2"() {
        when:
        def logs = cli('unknown', [:], 'logs', '01J0000000000000000000000Z', '-f')

        then:
        exit(logs) == 2
        err('unknown').readLines().size() == 1
        !(err('unknown') =~ /reconnecting/)
    }

    def "a follow whose token is revoked meanwhile ends with the server's reason, exit 2, without reconnecting"() {
        given:
        def (String first, Process logs) = followed('first', 'revoked', [:], ['-f'])

        when:
        server.auth().revokeApiToken('admin', 'admin', 'spec')

        then:
        exit(logs) == 2
        err('revoked').readLines().size() == 1
        err('revoked').readLines()[0].startsWith('stoker: the server ended the follow: ')
    }

    def "a STOKER_RECONNECT_WITHIN that is no duration is refused in one line, naming it"() {
        given:
        project()
        String first = keyOf(stoker('trigger', 'p/first').out)

        when:
        def logs = cli('bad', [STOKER_RECONNECT_WITHIN: 'soon'], 'logs', first, '-f')

        then:
        exit(logs) == 2
        err('bad').readLines() == ["stoker: STOKER_RECONNECT_WITHIN must be a duration like 500ms, 10s, 2m or 1h, was 'soon'"]
    }
}

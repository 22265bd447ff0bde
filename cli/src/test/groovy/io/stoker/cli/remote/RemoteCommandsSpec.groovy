package io.stoker.cli.remote

import io.stoker.engine.fixtures.ClosedPort
import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.cli.CliRun
import io.stoker.cli.Main
import org.eclipse.jgit.api.Git
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPInputStream
import java.util.zip.ZipInputStream

/**
 * The client commands against a real server started in process on 127.0.0.1, a free port and a temp data
 * directory; every command runs through the real command line with captured output. Features build on each
 * other's runs, hence {@code @Stepwise}.
 */
@Stepwise
class RemoteCommandsSpec extends RemoteCliSpecification {
    static final String JOBFILE = '''
job('build') {
  description 'compiles and tests'
  parameters {
    string 'greeting', defaultValue: 'hello'
  }
  task('compile') {
    sh 'mkdir -p out && printf "%s from ${{ params.greeting }}\\\\n" binary > out/app.txt && echo compiled'
    artifacts 'out/**'
  }
  task('test') {
    needs 'compile'
    sh 'for i in 1 2 3; do echo "line $i"; sleep 0.2; done'
  }
}
job('fail') {
  task('boom') { sh 'echo about to fail; exit 3' }
  task('after') { needs 'boom'; sh 'echo never' }
}
job('single') {
  concurrency 1
  task('wait') {
    sh 'echo started; while [ ! -f "GATE" ]; do sleep 0.05; done; echo released'
  }
}
job('slow') {
  task('sleep') { sh 'echo sleeping; sleep 30' }
}
'''

    static final String ISO_SECOND = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/

    @Shared @TempDir Path work
    @Shared String buildKey
    @Shared String failKey

    @Override
    int slots() {
        4
    }

    def cleanupSpec() {
        gate().toFile().text = 'go'
    }

    /** The file the 'single' job waits for, outside its workspace. */
    Path gate() {
        dataDir.resolve('gate')
    }

    Path jobfile(String name, String text) {
        Path f = work.resolve(name)
        f.text = text
        f
    }

    static <T> T eventually(Closure<T> condition) {
        long deadline = System.currentTimeMillis() + 20_000 * CliRun.TIMEOUT_FACTOR
        while (true) {
            T value = condition()
            if (value) return value
            assert System.currentTimeMillis() < deadline: "condition not met within ${20 * CliRun.TIMEOUT_FACTOR} s"
            Thread.sleep(50)
        }
    }

    /** Triggers a run of a new project's job 'ship' that needs a secret the project cannot read; its key. */
    String unstartableRun(String project, String task = "task('build') { sh 'echo never' }") {
        assert stoker('project', 'add', project, '--jobfile', jobfile(project + '.groovy', """job('ship') {
  secrets 'NO_SUCH_SECRET'
  $task
}
""")).exit == 0
        (stoker('trigger', project + '/ship').out =~ /run ([a-z2-7]{26}) /)[0][1]
    }

    Map status(String key) {
        new ObjectMapper().readValue(stoker('status', key, '--json').out, Map)
    }

    def "a freestyle project is added from a local Jobfile, listed, and its jobs shown with their last status"() {
        when:
        def add = stoker('project', 'add', 'demo', '--jobfile',
                jobfile('Jobfile', JOBFILE.replace('"GATE"', '"' + gate() + '"')))

        then:
        add.exit == 0
        add.out.trim() == 'created project demo (freestyle) with jobs: build, fail, single, slow'

        when:
        def list = stoker('project', 'list')

        then:
        list.exit == 0
        list.out.readLines()[0].split(/\s+/) as List == ['NAME', 'KIND', 'SOURCE', 'BRANCH', 'COMMIT', 'JOBS']
        list.out.readLines()[1] ==~ /demo\s+freestyle\s+Jobfile\s+-\s+-\s+build, fail, single, slow/

        when:
        def jobs = stoker('jobs')

        then:
        jobs.exit == 0
        jobs.out.readLines().find { it.startsWith('demo/build ') } ==~ /demo\/build\s+2\s+any\s+never run\s+-\s+compiles and tests/
        jobs.out.readLines().find { it.startsWith('demo/single ') } ==~ /demo\/single\s+1\s+1\s+never run\s+-\s+-/
    }

    def "an invalid Jobfile is refused with its file:line:col diagnostics and exit 2"() {
        when:
        def add = stoker('project', 'add', 'broken', '--jobfile', jobfile('Broken.groovy', "job('x') {\n  task('t') { nonsense 1 }\n}\n"))

        then:
        add.exit == 2
        add.err.startsWith('stoker: ')
        add.err.readLines().drop(1).any { it ==~ /\s+Broken\.groovy:2:\d+.*/ }
        !add.err.contains('Exception')
    }

    def "trigger --follow streams every task's log live and exits 0 when the run succeeds"() {
        when:
        def run = stoker('trigger', 'demo/build', '-p', 'greeting=spock', '--follow')
        def lines = run.out.readLines()
        buildKey = (lines[0] =~ /^run ([a-z2-7]{26}) \(#1, demo\/build\) queued$/)[0][1]

        then:
        run.exit == 0
        lines.contains('[compile] compiled')
        lines.findAll { it.startsWith('[test] line ') } == ['[test] line 1', '[test] line 2', '[test] line 3']
        lines.last() == "run $buildKey (#1, demo/build): succeeded".toString()
        run.err.isEmpty()
    }

    def "trigger --follow exits 1 when the run fails, and shows why"() {
        when:
        long started = System.currentTimeMillis()
        def run = stoker('trigger', 'demo/fail', '--follow')
        failKey = (run.out =~ /run ([a-z2-7]{26}) /)[0][1]

        then:
        run.exit == 1
        run.out.readLines().contains('[boom] about to fail')
        run.out.readLines().last().startsWith("run $failKey (#1, demo/fail): failed")

        and: 'the follow ends with the run, though the skipped task never wrote a log'
        status(failKey).tasks.after.status == 'skipped'
        // a follow left waiting would never end; a loaded machine may take more than 10 s to compile and run the job
        System.currentTimeMillis() - started < 30_000 * CliRun.TIMEOUT_FACTOR
    }

    def "trigger without a job name runs a project's only job, and lists the jobs when there are several"() {
        given:
        assert stoker('project', 'add', 'solo', '--jobfile', jobfile('solo.groovy', "job('only') { task('t') { sh 'echo alone' } }")).exit == 0

        when:
        def solo = stoker('trigger', 'solo', '-f')

        then:
        solo.exit == 0
        solo.out.readLines().contains('[t] alone')

        when:
        def several = stoker('trigger', 'demo')

        then:
        several.exit == 2
        several.err.readLines() == ['stoker: project demo has 4 jobs; name one as PROJECT/JOB:',
                                    '  demo/build', '  demo/fail', '  demo/single', '  demo/slow']
    }

    def "unknown projects, jobs, parameters and runs are refused with exit 2 and the server's message"() {
        expect:
        with(stoker('trigger', 'nope/build')) { exit == 2 && err.startsWith('stoker: ') && err.contains('nope') }
        with(stoker('trigger', 'demo/nope')) { exit == 2 && err.contains('nope') }
        with(stoker('trigger', 'demo/build', '-p', 'undeclared=1')) { exit == 2 && err.startsWith('stoker: invalid parameters') && err.contains('undeclared') }
        with(stoker('trigger', 'demo/build', '-p', 'greeting')) { exit == 2 && err.readLines()[0] == "stoker: -p expects KEY=VALUE, got 'greeting'" }
        with(stoker('status', 'aaaaaaaaaaaaaaaaaaaaaaaaaa')) { exit == 2 && err.trim() == "stoker: no run 'aaaaaaaaaaaaaaaaaaaaaaaaaa'" }
        with(stoker('runs', '--status', 'bogus')) { exit == 2 && err.startsWith("stoker: unknown status 'bogus'") }
        with(stoker('runs', '--project', 'nope')) { exit == 2 && err.trim() == "stoker: no project 'nope'" }
        with(stoker('runs', '--branch', 'no-such-branch')) { exit == 0 && out == 'no runs\n' }
    }

    def "a concurrency-1 job that is running refuses another trigger as busy, --queue queues it, and logs -f follows it live"() {
        given:
        def first = stoker('trigger', 'demo/single')
        String firstKey = (first.out =~ /run ([a-z2-7]{26}) /)[0][1]
        eventually { stoker('logs', firstKey, 'wait').out.contains('started') }

        when:
        def busy = stoker('trigger', 'demo/single')

        then:
        busy.exit == 2
        busy.err.trim() == 'stoker: job demo/single is busy: it allows 1 run at a time (concurrency 1) and one is going; use --queue to queue this run'

        when: 'a rerun is refused the same way, with the CLI option that queues it'
        def rerun = stoker('rerun', firstKey)

        then:
        rerun.exit == 2
        rerun.err.trim() == "stoker: the job of $firstKey is busy: it allows 1 run at a time (concurrency 1) and one is going; use --queue to queue this rerun".toString()

        when:
        def queued = stoker('trigger', 'demo/single', '--queue')
        String queuedKey = (queued.out =~ /run ([a-z2-7]{26}) /)[0][1]

        then:
        queued.exit == 0
        queued.out.trim() == "run $queuedKey (#2, demo/single) queued".toString()
        stoker('runs', '--job', 'single', '--status', 'queued').out.contains(queuedKey)

        and: 'status names the server running the first run, as GET /cluster lists it, and none for the queued one'
        stoker('status', firstKey).out.readLines()[1] == "  server:     ${server.url()} (${server.serverId()})".toString()
        !stoker('status', queuedKey).out.contains('server:')

        when: 'the waiting task is followed live from another thread'
        def live = new StringWriter()
        def follow = Main.commandLine()
        follow.out = new PrintWriter(live, true)
        follow.err = new PrintWriter(live, true)
        int[] followExit = [-1]
        def follower = Thread.start { followExit[0] = follow.execute('logs', firstKey, 'wait', '-f', '--server', server.url(), '--token', token) }
        eventually { live.toString().contains('started') }

        then: 'the follow shows what was written so far and keeps waiting'
        follower.alive
        !live.toString().contains('released')

        when: 'the first run is let go'
        gate().toFile().text = 'go'
        follower.join(20_000)

        then: 'the follow got the rest and ended with the task'
        !follower.alive
        followExit[0] == 0
        live.toString().readLines().findAll { !it.startsWith('» ') } == ['started', 'released']

        and: 'the queued one follows and both succeed'
        eventually { status(queuedKey).status == 'succeeded' }
        status(firstKey).status == 'succeeded'
    }

    def "runs lists runs newest first and filters them by project, job and status"() {
        when:
        def all = stoker('runs')
        def failed = stoker('runs', '--project', 'demo', '--status', 'failed')
        def build = stoker('runs', '--job', 'build')
        def named = stoker('runs', '--job', 'demo/build')
        def none = stoker('runs', '--project', 'solo', '--status', 'failed')

        then:
        all.exit == 0
        all.out.readLines()[0].split(/\s+/) as List == ['KEY', '#', 'JOB', 'STATUS', 'TRIGGER', 'REF', 'COMMIT', 'CREATED']
        all.out.readLines().last() == 'page 1 of 1 (5 runs)'
        failed.out.readLines().size() == 3
        failed.out.readLines()[1] ==~ /$failKey\s+1\s+demo\/fail\s+failed\s+api\s+-\s+-\s+$ISO_SECOND/ // as every table: to the second
        build.out.readLines()[1].startsWith(buildKey)
        build.out.readLines().last() == 'page 1 of 1 (1 run)'
        none.out.readLines() == ['no runs']

        and: 'a job named as trigger names it, PROJECT/JOB, is that project\'s job'
        named.out == build.out
        with(stoker('runs', '--job', 'nope/build')) { exit == 2 && err.trim() == "stoker: no project 'nope'" }
        with(stoker('runs', '--job', 'demo/build', '--project', 'solo')) {
            exit == 2 && err.readLines()[0] == "stoker: --job demo/build names project 'demo', but --project says 'solo'"
        }
        with(stoker('runs', '--job', 'demo/')) { exit == 2 && err.readLines()[0] == "stoker: --job takes a job's name or PROJECT/JOB, not 'demo/'" }

        and: 'a job the project does not have is refused with the jobs it has, not answered "no runs"'
        with(stoker('runs', '--job', 'demo/biuld')) {
            exit == 2 && err.trim() ==~ /stoker: project 'demo' has no job 'biuld' \(jobs: .*\bbuild\b.*\)/
        }
        with(stoker('runs', '--project', 'demo', '--job', 'biuld')) { exit == 2 && err.contains("has no job 'biuld'") }
    }

    def "runs and jobs take the project, or PROJECT/JOB, as trigger and status name them"() {
        expect: 'runs PROJECT/JOB is --job PROJECT/JOB, runs PROJECT is --project PROJECT'
        with(stoker('runs', 'demo/build')) { exit == 0 && out == stoker('runs', '--job', 'demo/build').out }
        with(stoker('runs', 'demo', '--status', 'failed')) {
            exit == 0 && out == stoker('runs', '--project', 'demo', '--status', 'failed').out && out.contains(failKey)
        }
        with(stoker('runs', 'demo/biuld')) { exit == 2 && err.contains("project 'demo' has no job 'biuld'") }
        with(stoker('runs', 'demo', '--project', 'solo')) {
            exit == 2 && err.readLines()[0] == "stoker: PROJECT[/JOB] names project 'demo', but --project says 'solo'"
        }
        with(stoker('runs', 'demo/build', '--job', 'fail')) {
            exit == 2 && err.readLines()[0] == "stoker: name the job once: PROJECT/JOB 'demo/build' or --job fail"
        }

        and: 'jobs PROJECT lists that project\'s jobs only, and refuses a project that is not there'
        with(stoker('jobs', 'demo')) {
            exit == 0 && out.readLines().drop(1)*.split(/\s+/)*.getAt(0) as Set == ['demo/build', 'demo/fail', 'demo/single', 'demo/slow'] as Set
        }
        with(stoker('jobs', 'nope')) { exit == 2 && err.trim() == "stoker: no project 'nope'" }
    }

    def "runs names a page out of range by the option, and a page past the last by the last one"() {
        expect: 'the option as typed, not the server\'s query parameter'
        with(stoker('runs', '--page', '0')) {
            exit == 2 && err.readLines()[0] == 'stoker: --page must be a whole number from 1 to 1000000, not 0'
        }
        with(stoker('runs', '--page', '-3')) { exit == 2 && err.trim().startsWith('stoker: --page must be') }

        and: 'a page past the end says where the end is, in one line'
        with(stoker('runs', '--page', '2')) { exit == 0 && out.readLines() == ['no runs on page 2: the last page is 1 (5 runs)'] }
    }

    def "status shows the run and a table of its tasks, and --json the server's JSON"() {
        when:
        def shown = stoker('status', buildKey)
        def lines = shown.out.readLines()

        then:
        shown.exit == 0
        lines[0] == "run $buildKey (#1, demo/build): succeeded".toString()
        lines.contains('  parameters: greeting=spock')

        and: 'who started it, next to how: the user whose token triggered it'
        lines[lines.indexOf('  trigger:    api') + 1] == '  started by: admin'

        and: 'its instants to the second, as the tables show them'
        lines.find { it.startsWith('  finished:') } ==~ /  finished: +$ISO_SECOND/

        and:
        lines.find { it.startsWith('TASK') }.split(/\s+/) as List == ['TASK', 'STATUS', 'EXIT', 'ATTEMPTS', 'STARTED', 'FINISHED', 'REASON']
        lines.find { it.startsWith('compile ') } ==~ /compile\s+succeeded\s+0\s+1\s+$ISO_SECOND\s+$ISO_SECOND\s+-/
        lines.find { it.startsWith('test ') } ==~ /test\s+succeeded\s+0\s+1\s+$ISO_SECOND\s+$ISO_SECOND\s+-/

        and:
        def json = status(buildKey)
        json.key == buildKey
        json.parameters == [greeting: 'spock']
        json.tasks.keySet().toList() == ['compile', 'test']
    }

    def "logs prints a run's whole log prefixed by task, one task's log, and the stored lines with --raw"() {
        when:
        def run = stoker('logs', buildKey)
        def task = stoker('logs', buildKey, 'test')
        def raw = stoker('logs', buildKey, 'test', '--raw')

        then:
        run.exit == 0
        run.out.readLines().findAll { !it.contains('» ') } == ['[compile] compiled', '[test] line 1', '[test] line 2', '[test] line 3']
        task.out.readLines().findAll { !it.startsWith('» ') } == ['line 1', 'line 2', 'line 3']
        raw.out.readLines().findAll { it.contains(' out ') }.every { it ==~ /\S+Z out line \d/ }

        and:
        with(stoker('logs', buildKey, 'nosuchtask')) { exit == 2 && err.trim() == "stoker: no task 'nosuchtask' in run $buildKey" }
    }

    def "logs of a matrix task's name shows each cell's log in turn under its name, followed or not"() {
        given:
        assert stoker('project', 'add', 'grid', '--jobfile', jobfile('Grid.groovy', """job('grid') {
  task('test') {
    matrix os: ['linux', 'mac']
    sh 'echo "testing on \${{ matrix.os }}"'
  }
}
""")).exit == 0
        String key = (stoker('trigger', 'grid/grid').out =~ /run ([a-z2-7]{26}) /)[0][1]

        when:
        def followed = stoker('logs', key, 'test', '-f')
        def stored = stoker('logs', key, 'test')

        then: 'as needs \'test\' means every cell'
        [followed, stored].every { run ->
            run.exit == 0 && run.out.readLines().findAll { !it.startsWith('» ') } ==
                    ['==> test[os=linux] <==', 'testing on linux', '==> test[os=mac] <==', 'testing on mac']
        }

        and: 'one cell is named as it always was'
        stoker('logs', key, 'test[os=mac]').out.readLines().findAll { !it.startsWith('» ') } == ['testing on mac']
    }

    def "logs -f follows a running task live until it ends"() {
        given:
        def trigger = stoker('trigger', 'demo/build', '-p', 'greeting=live')
        String key = (trigger.out =~ /run ([a-z2-7]{26}) /)[0][1]

        when: 'followed while it is queued or running'
        def follow = stoker('logs', key, 'test', '-f')

        then: 'every line came, and the task had ended when the follow returned'
        follow.exit == 0
        follow.out.readLines().findAll { !it.startsWith('» ') } == ['line 1', 'line 2', 'line 3']
        status(key).tasks.test.status == 'succeeded'

        when: 'the whole run is followed after it ended'
        eventually { status(key).status == 'succeeded' }
        def after = stoker('logs', key, '--follow')

        then: 'its tasks come one after the other, then the run\'s outcome, as with trigger --follow'
        after.exit == 0
        def shown = after.out.readLines().findAll { !it.contains('» ') }
        shown.init() == ['[compile] compiled', '[test] line 1', '[test] line 2', '[test] line 3']
        shown.last() ==~ /run $key \(#\d+, demo\/build\): succeeded/
    }

    def "cancel stops a long run, logs -f of it ends saying so with exit 1, and a finished run cannot be cancelled"() {
        given:
        def trigger = stoker('trigger', 'demo/slow')
        String key = (trigger.out =~ /run ([a-z2-7]{26}) /)[0][1]
        eventually { stoker('logs', key, 'sleep').out.contains('sleeping') }
        def live = new StringWriter()
        def follow = Main.commandLine()
        follow.out = new PrintWriter(live, true)
        follow.err = new PrintWriter(live, true)
        int[] followExit = [-1]
        def follower = Thread.start { followExit[0] = follow.execute('logs', key, '-f', '--server', server.url(), '--token', token) }
        eventually { live.toString().contains('sleeping') }

        when:
        long started = System.currentTimeMillis()
        def cancel = stoker('cancel', key)
        follower.join(20_000 * CliRun.TIMEOUT_FACTOR)

        then:
        cancel.exit == 0
        cancel.out.trim() ==~ /run $key (cancelling \(its tasks are being stopped\)|cancelled)/
        eventually { status(key).status == 'cancelled' }
        System.currentTimeMillis() - started < 20_000 * CliRun.TIMEOUT_FACTOR

        and: 'the follow ended with the run, as trigger --follow does: its outcome, exit 1'
        !follower.alive
        followExit[0] == 1
        live.toString().readLines().last() ==~ /run $key \(#\d+, demo\/slow\): cancelled.*/

        when:
        def again = stoker('cancel', key)

        then:
        again.exit == 2
        again.err.readLines() == ["stoker: run $key is not queued or running (status: cancelled)".toString()]
    }

    def "status names a run as PROJECT/JOB#N, shows no exit code for a task that did not run, and says each reason once"() {
        when:
        def byNumber = stoker('status', 'demo/fail#1')
        def lines = byNumber.out.readLines()
        def after = lines.find { it.startsWith('after ') }.split(/\s+/) as List
        def boom = lines.find { it.startsWith('boom ') }

        then: 'the same run as its key names'
        byNumber.exit == 0
        lines[0].startsWith("run $failKey (#1, demo/fail): failed")

        and: 'the skipped task shows a dash, not 0, and no reason repeats its status'
        after[0..2] == ['after', 'skipped', '-']
        boom.split(/\s+/)[0..2] == ['boom', 'failed', '3']
        !byNumber.out.contains('failed — failed')
        !byNumber.out.contains('skipped — skipped')
        !(lines[0] =~ /: (\w+) — \1/)

        and: 'a number that is not there is a 404 in plain words'
        with(stoker('status', 'demo/fail#99')) { exit == 2 && err.trim() == 'stoker: no run demo/fail#99' }
    }

    def "rerun runs an earlier run again, named by key or as PROJECT/JOB#N, and --from reruns from a task on"() {
        when:
        def whole = stoker('rerun', 'demo/fail#1', '--follow')
        def from = stoker('rerun', failKey, '--from', 'boom')
        String fromKey = (from.out =~ /run ([a-z2-7]{26}) /)[0][1]

        then:
        whole.exit == 1
        whole.out.readLines()[0] ==~ /run [a-z2-7]{26} \(#\d+\) reruns demo\/fail#1: (queued|running)/
        whole.out.readLines().contains('[boom] about to fail')
        from.exit == 0
        from.out.trim() ==~ /run $fromKey \(#\d+\) reruns $failKey from boom: (queued|running)/
        eventually { status(fromKey).status == 'failed' }

        and: 'an unknown task is refused in one line that names the tasks of the run'
        with(stoker('rerun', failKey, '--from', 'nope')) {
            exit == 2
            err.readLines() == ["stoker: no task 'nope' in run $failKey (tasks: boom, after)".toString()]
        }
    }

    def "rerun --failed reruns the failed tasks and those after them, and status says what the run reran"() {
        when:
        def failed = stoker('rerun', failKey, '--failed')
        String againKey = (failed.out =~ /run ([a-z2-7]{26}) /)[0][1]

        then:
        failed.exit == 0
        failed.out.trim() ==~ /run $againKey \(#\d+\) reruns $failKey, its failed tasks: (queued|running)/
        eventually { status(againKey).status == 'failed' }
        stoker('status', againKey).out.readLines().contains("  rerun of:   $failKey, its failed tasks".toString())

        and: 'with --from it is a usage mistake; a run without a failed task is refused in one line'
        with(stoker('rerun', failKey, '--failed', '--from', 'boom')) {
            exit == 2
            err.readLines()[0] == 'stoker: --failed and --from name two different starts: give one of them'
        }
        with(stoker('rerun', buildKey, '--failed')) {
            exit == 2
            err.readLines() == ["stoker: no task failed in run $buildKey (it succeeded): rerun it whole, or from a task".toString()]
        }
    }

    def "artifacts lists a run's zips and downloads them, per task or as one tar.gz"() {
        given:
        Path dir = work.resolve('downloads')

        when:
        def list = stoker('artifacts', buildKey)

        then:
        list.exit == 0
        list.out.readLines()[1] ==~ /compile\s+compile\.zip\s+\d+\s+yes/
        list.out.readLines().size() == 2

        when:
        def download = stoker('artifacts', buildKey, '--download', dir)

        then:
        download.exit == 0
        download.out.trim() ==~ /.*compile\.zip \(\d+ bytes\)/
        unzip(Files.readAllBytes(dir.resolve('compile.zip'))) == ['out/app.txt': 'binary from spock\n']
        Files.list(dir).withCloseable { it.toList()*.fileName*.toString() } == ['compile.zip']

        when:
        def tar = stoker('artifacts', buildKey, '--download', dir, '--tar')

        then:
        tar.exit == 0
        untarNames(Files.readAllBytes(dir.resolve("$buildKey-artifacts.tar.gz"))) == ["$buildKey/compile.zip".toString()]

        and: 'a failed run has none'
        stoker('artifacts', failKey).out.trim() == "run $failKey has no artifacts".toString()

        and: 'downloading none says so, and leaves neither a directory nor an empty archive behind'
        Path none = work.resolve('no-artifacts')
        with(stoker('artifacts', failKey, '--download', none)) {
            exit == 0 && out.trim() == "run $failKey has no artifacts; nothing downloaded".toString()
        }
        with(stoker('artifacts', failKey, '--download', none, '--tar')) {
            exit == 0 && out.trim() == "run $failKey has no artifacts; nothing downloaded".toString()
        }
        !Files.exists(none)

        and: 'a file where DIR should be is said in words, not as Java names the path again'
        Path file = Files.writeString(work.resolve('not-a-dir'), 'x')
        with(stoker('artifacts', buildKey, '--download', file)) {
            exit == 2
            err.readLines() == ["stoker: cannot download into $file: it is a file, not a directory".toString()]
        }
        with(stoker('artifacts', buildKey, '--download', file.resolve('sub'))) {
            exit == 2
            err.readLines() == ["stoker: cannot download into ${file.resolve('sub')}: $file is a file, not a directory".toString()]
        }
    }

    def "a git project is added from a file:// URL, refreshed after a push, built at a chosen ref, and its branch switched"() {
        given: 'a repository with a Jobfile'
        Path repo = work.resolve('repo')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        String first = commit(git, repo, 'v1')

        when:
        def add = stoker('project', 'add', 'shop', '--git', repo.toUri(), '--branch', 'main')
        def list = stoker('project', 'list')

        then:
        add.exit == 0
        add.out.trim() == 'created project shop (git) with jobs: show'
        list.out.readLines().find { it.startsWith('shop ') } ==~ /shop\s+git\s+file:\S+\s+main\s+${first.take(10)}\s+show/

        when: 'a second commit is pushed and the project refreshed'
        String second = commit(git, repo, 'v2')
        def refresh = stoker('project', 'refresh', 'shop')

        then:
        refresh.exit == 0
        refresh.out.trim() == "refreshed project shop at ${second.take(10)} with jobs: show".toString()

        when: 'the older commit is built'
        def run = stoker('trigger', 'shop', '--ref', first, '--follow')

        then:
        run.exit == 0
        run.out.readLines().contains('[cat] version v1')

        when: 'a tag of it is built: status names the tag, and the run has no branch'
        git.tag().setName('v1').setObjectId(git.repository.parseCommit(git.repository.resolve(first))).setSigned(false)
                .setAnnotated(false).call()
        assert stoker('project', 'refresh', 'shop').exit == 0
        def tagged = stoker('trigger', 'shop', '--ref', 'v1', '--follow')
        String key = new ObjectMapper().readValue(stoker('runs', '--project', 'shop', '--json').out, Map).runs[0].key
        def shown = stoker('status', key).out.readLines()

        then:
        tagged.exit == 0
        shown.contains('  tag:        v1')
        !shown.any { it.startsWith('  branch:') }

        when: 'a ref the repository does not have, and a ref for a freestyle project'
        def unknown = stoker('trigger', 'shop', 'nosuchtag')
        def freestyle = stoker('trigger', 'demo/build', 'v1')

        then: 'the first line says what is wrong: the ref, not reading the repository'
        unknown.exit == 2
        unknown.err.readLines() == ["stoker: project 'shop': no branch, tag or commit named 'nosuchtag' in its repository"]
        freestyle.exit == 2
        freestyle.err.readLines() == ["stoker: a ref (branch, tag or commit) is only for git projects; 'demo' is freestyle"]

        when: 'update --branch alone switches the branch and keeps the URL; a freestyle project is told it has none'
        git.branchCreate().setName('release').call()
        def nosuch = stoker('project', 'update', 'shop', '--branch', 'nosuch')
        def switched = stoker('project', 'update', 'shop', '--branch', 'release')
        def onFreestyle = stoker('project', 'update', 'demo', '--branch', 'main')

        then:
        nosuch.exit == 2
        nosuch.err.readLines() == ["stoker: project 'shop': no branch, tag or commit named 'nosuch' in its repository"]
        switched.exit == 0
        switched.out.trim() == 'updated project shop (git) with jobs: show'
        stoker('project', 'list').out.readLines().find { it.startsWith('shop ') } ==~ /shop\s+git\s+file:\S+\s+release\s+.*/
        onFreestyle.exit == 2
        onFreestyle.err.readLines() == ["stoker: project 'demo' is freestyle: --branch is only for git projects (--git URL makes it one)"]

        when: 'add takes the URL as GIT_URL beside --branch, and without a URL refuses --branch in one plain line'
        def positional = stoker('project', 'add', 'shop2', repo.toUri(), '--branch', 'release')
        def noUrl = stoker('project', 'add', 'shop3', '--branch', 'main')

        then:
        positional.exit == 0
        positional.out.trim() == 'created project shop2 (git) with jobs: show'
        stoker('project', 'list').out.readLines().find { it.startsWith('shop2 ') } ==~ /shop2\s+git\s+file:\S+\s+release\s+.*/
        noUrl.exit == 2
        noUrl.err.readLines() == ["stoker: --branch needs the repository's URL: GIT_URL or --git URL", "Try 'stoker project add --help' for more information."]

        cleanup:
        git?.close()
    }

    private static String commit(Git git, Path repo, String version) {
        Files.writeString(repo.resolve('VERSION'), version + '\n')
        Files.writeString(repo.resolve('Jobfile'), "job('show') { task('cat') { sh 'echo \"version \$(cat VERSION)\"' } }\n")
        git.add().addFilepattern('.').call()
        git.commit().setMessage(version).setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call().name()
    }

    def "a removed project is gone from the lists, and removing it again is refused"() {
        when:
        def remove = stoker('project', 'remove', 'solo')

        then:
        remove.exit == 0
        remove.out.trim() == 'removed project solo'
        !stoker('project', 'list').out.contains('solo')
        !stoker('jobs').out.contains('solo/')

        when:
        def again = stoker('project', 'remove', 'solo')

        then:
        again.exit == 2
        again.err.startsWith('stoker: ')
        again.err.contains('solo')
    }

    def "an unreachable server is one clear line with exit 3"() {
        given: 'a port nothing listens on, held so that nothing can start listening there meanwhile'
        def closed = new ClosedPort()
        int port = closed.port

        when:
        def run = CliRun.of('jobs', '--server', "http://127.0.0.1:$port")

        then:
        run.exit == 3
        run.err.trim() == "stoker: cannot reach the Stoker server at http://127.0.0.1:$port: connection refused — start it with 'stoker server' or set --server / STOKER_SERVER".toString()
        run.out.isEmpty()

        and: 'a trailing slash on the server URL does no harm'
        CliRun.of('jobs', '--server', server.url() + '/', '--token', token).exit == 0

        and: 'a server URL that is not http(s) is a usage error'
        with(CliRun.of('runs', '--server', 'ftp://x')) {
            exit == 2 && err.readLines() == ["stoker: --server must look like http://HOST:PORT, not 'ftp://x'",
                                             "Try 'stoker runs --help' for more information."]
        }

        cleanup:
        closed?.close()
    }

    def "without a valid token a client command prints one line telling how to log in, exit 2"() {
        when:
        def run = CliRun.of(*args, '--server', server.url(), '--token', 'stk_not-a-token')

        then:
        run.exit == 2
        run.err.readLines().size() == 1
        run.err.startsWith("stoker: not logged in to ${server.url()}: run `stoker login`")
        run.out.isEmpty()

        where: 'the commands whose other refusals are worded their own way (a name taken, an option) too'
        args << [['jobs'], ['project', 'list'], ['trigger', 'demo/build'], ['status', 'x'], ['user', 'list'],
                 ['project', 'add', 'late', '--jobfile', jobfile('Unauthorized.Jobfile', JOBFILE).toString()],
                 ['project', 'update', 'late', '--jobfile', jobfile('Unauthorized.Jobfile', JOBFILE).toString()],
                 ['agent', 'add', 'late', '--host', '127.0.0.1', '--user', 'ci', '--key', jobfile('Unauthorized.key', 'no key').toString(),
                  '--trust-on-first-use']]
    }

    def "every client command has help with its options and exit codes"() {
        expect:
        [['project', 'add'], ['project', 'list'], ['project', 'remove'], ['project', 'refresh'], ['jobs'], ['trigger'],
         ['runs'], ['status'], ['logs'], ['cancel'], ['artifacts'], ['user', 'add'], ['user', 'list'], ['token', 'create'],
         ['token', 'list'], ['token', 'revoke']].every { cmd ->
            def help = CliRun.of(*cmd, '--help')
            help.exit == 0 && help.out.contains('--server=URL') && help.out.contains('--token=TOKEN') && help.out.contains('Exit codes:')
        }
        CliRun.of('login', '--help').out.contains('--password-stdin')
    }

    private static Map<String, String> unzip(byte[] bytes) {
        Map<String, String> out = [:]
        new ZipInputStream(new ByteArrayInputStream(bytes)).withCloseable { zip ->
            for (def e = zip.nextEntry; e != null; e = zip.nextEntry) {
                if (!e.directory) out[e.name] = new String(zip.readAllBytes(), 'UTF-8')
            }
        }
        out
    }

    /** Entry names of a tar.gz, read with commons-compress (the server writes POSIX long names and big numbers). */
    private static List<String> untarNames(byte[] bytes) {
        List<String> names = []
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new GZIPInputStream(new ByteArrayInputStream(bytes))).withCloseable { tar ->
            for (def e = tar.nextEntry; e != null; e = tar.nextEntry) names << e.name
        }
        names
    }

    def "a project added again is pointed to update, which replaces its Jobfile and keeps its runs"() {
        given:
        assert stoker('project', 'add', 'edit', '--jobfile', jobfile('Edit1.groovy', "job('one') { task('t') { sh 'echo v1' } }")).exit == 0
        assert stoker('trigger', 'edit/one', '--follow').exit == 0
        def second = jobfile('Edit2.groovy', "job('one') { task('t') { sh 'echo v2' } }\njob('two') { task('t') { sh 'true' } }\n")

        when:
        def again = stoker('project', 'add', 'edit', '--jobfile', second)
        def update = stoker('project', 'update', 'edit', '--jobfile', second)
        def broken = stoker('project', 'update', 'edit', '--jobfile', jobfile('Edit3.groovy', "job('x') {\n  task('t') { nonsense 1 }\n}\n"))
        def rerun = stoker('trigger', 'edit/one', '--follow')

        then:
        again.exit == 2
        again.err.readLines()[0] == "stoker: a project named 'edit' exists already; 'stoker project update edit …' gives it a" +
                ' new Jobfile or repository'
        update.exit == 0
        update.out.trim() == 'updated project edit (freestyle) with jobs: one, two'
        broken.exit == 2
        broken.err.readLines().drop(1).any { it ==~ /\s+Edit3\.groovy:2:\d+.*/ }
        rerun.exit == 0
        rerun.out.contains('v2')
        stoker('runs', '--project', 'edit').out.readLines().last() == 'page 1 of 1 (2 runs)'
    }

    def "logs -f of one task ends with that task, while later tasks of the run go on"() {
        given: 'a run whose second task waits for a file'
        def gate2 = dataDir.resolve('gate2')
        assert stoker('project', 'add', 'steps', '--jobfile', jobfile('Steps.groovy', """job('two') {
  task('a') { sh 'echo first' }
  task('b') { needs 'a'; sh 'n=0; while [ ! -f "$gate2" ] && [ \$n -lt 1200 ]; do sleep 0.05; n=\$((n+1)); done' }
}
""")).exit == 0
        String key = (stoker('trigger', 'steps/two').out =~ /run ([a-z2-7]{26}) /)[0][1]

        when:
        def follow = stoker('logs', key, 'a', '-f')

        then: 'it returned with task a, the run still going'
        follow.exit == 0
        follow.out.contains('first')
        status(key).status == 'running'

        cleanup:
        gate2.toFile().text = 'go'
    }

    def "logs -f of a task that never ran says why on stderr, as its empty log cannot, and exits 1"() {
        given: 'a job that needs a secret its project cannot read: the run fails before any task starts'
        String key = unstartableRun('unsealed')

        when:
        def follow = stoker('logs', key, 'build', '-f')

        then:
        follow.exit == 1
        follow.err.contains("stoker: task build of run $key did not run: cancelled — could not start: job 'ship' needs the secret NO_SUCH_SECRET")
    }

    def "logs without -f of a run that could not start says why on stderr, for the run and for its task, and exits 1"() {
        given: 'a job that needs a secret its project cannot read: the run fails before any task starts'
        String key = unstartableRun('unsealed-too')
        eventually { status(key).status in ['failed', 'cancelled'] }

        when:
        def ofTask = stoker('logs', key, 'build')
        def ofRun = stoker('logs', key)

        then: 'the empty log is not the whole answer'
        ofTask.exit == 1
        ofTask.err.contains("stoker: task build of run $key did not run: cancelled — could not start: job 'ship' needs the secret NO_SUCH_SECRET")
        ofRun.exit == 1
        ofRun.err.contains("stoker: run $key did not run: ")
        ofRun.err.contains("job 'ship' needs the secret NO_SUCH_SECRET")
    }

    def "logs of a matrix task's name says of each cell that did not run why, as of a task, and exits 1, followed or not"() {
        given: 'a matrix task in a run that could not start: none of its cells ran'
        String key = unstartableRun('unsealed-grid', "task('test') { matrix os: ['linux', 'mac']; sh 'echo never' }")
        eventually { status(key).status in ['failed', 'cancelled'] }

        when:
        def stored = stoker('logs', key, 'test')
        def followed = stoker('logs', key, 'test', '-f')

        then: 'each cell under its name, and on stderr why it has no log'
        [stored, followed].every { run ->
            run.exit == 1 && run.out.readLines().findAll { it.startsWith('==> ') } == ['==> test[os=linux] <==', '==> test[os=mac] <==']
        }
        [stored, followed].every { run ->
            ['linux', 'mac'].every { os ->
                run.err.contains("stoker: task test[os=$os] of run $key did not run: cancelled — could not start: job 'ship' needs the secret NO_SUCH_SECRET")
            }
        }
    }

    def "--jobfile takes a directory as validate and run do: the Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json in it"() {
        given: 'a directory holding a YAML Jobfile'
        Path dir = Files.createDirectories(work.resolve('yaml-project'))
        dir.resolve('Jobfile.yaml').text = 'jobs:\n  hello:\n    tasks:\n      greet:\n        sh: echo hi\n'

        when:
        def add = stoker('project', 'add', 'from-dir', '--jobfile', dir)

        then: 'nothing else is beside it, so there is nothing to say'
        add.exit == 0
        add.out.trim() == 'created project from-dir (freestyle) with jobs: hello'
        add.err.isEmpty()

        when: 'the directory holds a Groovy Jobfile instead'
        Files.delete(dir.resolve('Jobfile.yaml'))
        dir.resolve('Jobfile').text = "job('bye') { task('t') { sh 'echo bye' } }\n"
        def update = stoker('project', 'update', 'from-dir', '--jobfile', dir)

        then:
        update.exit == 0
        update.out.trim() == 'updated project from-dir (freestyle) with jobs: bye'

        when: 'scripts sit beside it: only the Jobfile is stored, and the user is told so, with the way to keep them'
        dir.resolve('build.sh').text = 'echo built\n'
        dir.resolve('.hidden').text = 'x'
        def withScripts = stoker('project', 'update', 'from-dir', '--jobfile', dir)

        then:
        withScripts.exit == 0
        withScripts.err.trim() == "stoker: note: only Jobfile's text is stored; what is beside it in ${dir} (build.sh) is not sent," +
                " and this project's runs start in an empty workspace; to build with those files, commit them to a git" +
                " repository and use --git URL"

        when: 'the folder is a git repository'
        Files.createDirectories(dir.resolve('.git'))
        def inRepo = stoker('project', 'update', 'from-dir', '--jobfile', dir)

        then:
        inRepo.exit == 0
        inRepo.err.contains("; to build with those files, add the repository instead: --git ${dir.toUri()}")

        when: 'a directory without one'
        def empty = stoker('project', 'add', 'empty-dir', '--jobfile', Files.createDirectories(work.resolve('empty')))

        then:
        empty.exit == 2
        empty.err.trim() == "stoker: no Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json in ${work.resolve('empty')}"
    }

    def "--jobfile - reads the Jobfile from stdin, its syntax told by its start, and names its problems stdin:LINE:COL"() {
        when: 'a YAML Jobfile comes on stdin, as from git show HEAD:Jobfile.yaml | stoker project add NAME --jobfile -'
        def add = withStdin('jobs:\n  piped:\n    tasks:\n      greet:\n        sh: echo hi\n',
                'project', 'add', 'from-stdin', '--jobfile', '-')

        then:
        add.exit == 0
        add.out.trim() == 'created project from-stdin (freestyle) with jobs: piped'
        add.err.isEmpty()

        when: 'a Groovy one replaces it'
        def update = withStdin("job('again') { task('t') { sh 'echo again' } }\n", 'project', 'update', 'from-stdin', '--jobfile', '-')

        then:
        update.exit == 0
        update.out.trim() == 'updated project from-stdin (freestyle) with jobs: again'

        when: 'an invalid one: its diagnostics name stdin, as validate - does'
        def broken = withStdin("job('x') {\n  task('t') { nonsense 1 }\n}\n", 'project', 'update', 'from-stdin', '--jobfile', '-')

        then:
        broken.exit == 2
        broken.err.readLines().drop(1).any { it ==~ /\s+stdin:2:\d+.*/ }
        !broken.err.contains('Jobfile:')
    }

    /** The command with {@code input} as its standard input. */
    CliRun withStdin(String input, Object... args) {
        InputStream before = System.in
        System.in = new ByteArrayInputStream(input.getBytes('UTF-8'))
        try {
            stoker(args)
        } finally {
            System.in = before
        }
    }

    def "a line with bare carriage returns (a progress bar) stays one line as stored, followed or printed whole"() {
        when:
        def add = stoker('project', 'add', 'progress', '--jobfile', jobfile('Progress.groovy', '''
job('bar') {
  task('w') { sh 'printf "a1\\\\r\\\\nprog:10%%\\\\r20%%\\\\r30%%\\\\nend\\\\n"' }
}
'''))
        def follow = stoker('trigger', 'progress/bar', '--follow')
        String key = (follow.out =~ /^run ([a-z2-7]{26}) /)[0][1]
        def raw = stoker('logs', key, 'w', '--raw')
        List<String> stored = raw.out.split('\n') as List // readLines() would cut at the CRs as well

        then: 'as stoker run prints it: the CR before a newline kept, the bare ones inside their line'
        add.exit == 0
        follow.exit == 0
        follow.out.split('\n').findAll { it.startsWith('[w] ') && !it.startsWith('[w] » ') } ==
                ['[w] a1\r', '[w] prog:10%\r20%\r30%', '[w] end']
        raw.exit == 0
        stored.every { it ==~ /(?s)\S+Z (out|err|system) .*/ }
        stored.findAll { it.contains(' out ') }*.replaceFirst(/^\S+Z /, '') == ['out a1\r', 'out prog:10%\r20%\r30%', 'out end']
    }
}

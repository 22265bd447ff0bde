package io.stoker.engine.exec

import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.exec.local.ProcStat
import io.stoker.engine.fixtures.EngineFixture
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

class LocalExecutorSpec extends ExecutorContract {

    @TempDir
    Path scratch

    Executor executor() {
        new LocalExecutor(scratch)
    }

    def "tasks get a clean base environment, not everything of this process"() {
        given:
        def executor = new LocalExecutor(scratch, [PATH: System.getenv('PATH'), ONLY_BASE: 'yes'])

        when:
        def r = finish(executor.start(launch(['echo "${ONLY_BASE}-${JAVA_HOME:-absent}-${FROM_LAUNCH}"'], [FROM_LAUNCH: 'l'])))

        then:
        r.out == 'yes-absent-l\n'
    }

    def "git in a workspace without its own .git does not find the repository around it"() {
        given: 'a workspace inside a person\'s checkout, as a local run\'s copy is'
        Path checkout = scratch.resolve('checkout')
        Path ws = checkout.resolve('.stoker/runs/r1/workspace')
        Files.createDirectories(ws)
        def git = { String... args -> new ProcessBuilder(['git', '-C', checkout.toString()] + args.toList()).start().waitFor() }
        git('init', '-q')
        def executor = new LocalExecutor(scratch.resolve('attempts'), [PATH: System.getenv('PATH')])

        when:
        def r = finish(executor.start(new TaskLaunch('run-1', 'task', 1, ['git rev-parse --show-toplevel 2>&1'], ws, [:], false)))

        then: 'git says there is no repository, instead of acting on the checkout'
        r.out.contains('not a git repository')
        r.exit == 128
        !r.out.contains(checkout.toString() + '\n')
    }

    def "an environment too large to start a process is said in its words, naming the largest variable"() {
        when: 'one value over the kernel\'s 128 KiB per string'
        executor().start(launch(['true'], [HUGE: 'x' * 200_000, SMALL: 'y']))

        then:
        def e = thrown(IOException)
        e.message.startsWith("the task's environment is too large for the system to start it (a variable may hold at most 128 KiB")
        e.message.endsWith('; the largest is HUGE, 200000 bytes')
        !e.message.contains('Cannot run program')

        and: 'its scratch directory is not left behind'
        Files.list(scratch).withCloseable { it.toList() }.every { dir -> Files.walk(dir).withCloseable { w -> w.noneMatch { Files.isRegularFile(it) } } }
    }

    def "it runs each task in its own process group where setsid exists"() {
        expect:
        new LocalExecutor(scratch).isolatesProcessGroups() == new File('/usr/bin/setsid').canExecute()
    }

    def "a killed task's own processes, still going down after the group kill, are not reported as having left it"() {
        given: 'tasks whose foreground command holds the output, killed as a cancel does, twenty times over'
        def executor = new LocalExecutor(scratch)

        expect:
        (1..20).every { int i ->
            // an attempt of its own each time, as a run's are: the kills' marks must not find each other's processes
            def t = executor.start(new TaskLaunch("run-$i", 'task', 1, ['echo $$; sleep 30'], workspace, [:], false))
            def firstLine = new BufferedReader(new InputStreamReader(t.stdout())).readLine()
            def shell = ProcessHandle.of(firstLine as long)
            long deadline = System.nanoTime() + 10_000_000_000L
            while (shell.map { it.children().findAny().empty }.orElse(false) && System.nanoTime() < deadline) Thread.sleep(5)
            t.kill()
            t.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS)
            assert t.strays() == []: "kill $i reported ${t.strays()}"
            true
        }
    }

    @spock.lang.Requires({ java.nio.file.Files.isDirectory(java.nio.file.Path.of('/proc/self')) && new File('/usr/bin/setsid').canExecute() })
    def "once a task ended, stopBackground ends its group's background jobs and what left the group carrying its mark"() {
        given: 'a task that leaves a job in its group, one in a session of its own, and one there without its STOKER_OUTPUT, all with their output elsewhere'
        def t = new LocalExecutor(scratch).start(launch(['sleep 613 >/dev/null 2>&1 & echo $!; setsid sleep 614 >/dev/null 2>&1 & echo $!; ' +
                'env -u STOKER_OUTPUT setsid sleep 615 >/dev/null 2>&1 & echo $!']))
        def pids = finish(t).out.readLines().collect { it as long }

        and: 'the last two have left the group (setsid runs in the background, after the echo: a kill before it would find them in the group)'
        inOwnSession(pids[1])
        inOwnSession(pids[2])

        and: 'and have become the sleep: between its setsid and its exec each is still the setsid program, named so when stopped'
        assert EngineFixture.await(10_000) { commandOf(pids[1]) == 'sleep' && commandOf(pids[2]) == 'sleep' }

        when: 'it ended on its own'
        t.stopBackground(false)

        then: 'the job in its group is gone, and so is the one that left it carrying its mark, named'
        waitGone(pids[0])
        waitGone(pids[1])
        t.strays() == ["stopped PID ${pids[1]} (sleep), started by this task: it had left the task's process group and still ran when the task ended; start a process meant to outlive its task with env -u STOKER_OUTPUT".toString()]

        and: 'the one started without the mark runs on (a service it started), even once the attempt is stopped after all'
        ProcessHandle.of(pids[2]).map { it.alive }.orElse(false)
        t.kill()
        ProcessHandle.of(pids[2]).map { it.alive }.orElse(false)

        cleanup:
        pids?.each { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
        t?.release()
    }

    @spock.lang.Requires({ java.nio.file.Files.isDirectory(java.nio.file.Path.of('/proc/self')) })
    def "two attempts whose task names give the same file name get marks of their own: one's end leaves the other running"() {
        given: 'two tasks of a run, t[v=a/b] still working and t[v=a_b] ended'
        def executor = new LocalExecutor(scratch)
        def running = executor.start(new TaskLaunch('run-1', 't[v=a/b]', 1, ['echo "$$ $STOKER_OUTPUT"; exec sleep 616'], workspace, [:], false))
        def said = new BufferedReader(new InputStreamReader(running.stdout())).readLine().split(' ', 2)
        long pid = said[0] as long
        def ending = executor.start(new TaskLaunch('run-1', 't[v=a_b]', 1, ['echo "$STOKER_OUTPUT"'], workspace, [:], false))
        String endingMark = finish(ending).out.trim()
        assert EngineFixture.await(10_000) { commandOf(pid) == 'sleep' }

        when: 'the engine ends what the ended one left'
        ending.stopBackground(false)

        then: 'the other one still works: their marks differ'
        ProcStat.read(pid).map { !it.ended() }.orElse(false)
        said[1] != endingMark

        cleanup:
        running?.kill()
        running?.waitFor()
        running?.release()
        ending?.release()
    }

    /** Waits, bounded, until the process leads a session of its own (the 6th field of /proc/PID/stat). */
    private static boolean inOwnSession(long pid) {
        long deadline = System.nanoTime() + 10_000_000_000L
        while (System.nanoTime() < deadline) {
            String text
            try {
                text = new File("/proc/$pid/stat").text
            } catch (IOException ignored) {
                return false // gone
            }
            if (text.substring(text.lastIndexOf(')') + 2).split(' ')[3] as long == pid) return true
            Thread.sleep(5)
        }
        false
    }

    static final String SECRET = 'hunter2-s3cr3t'

    /** Every file and directory under the scratch directory, with its permissions and whether it holds the secret. */
    private List<Map> scanScratch() {
        Files.walk(scratch).withCloseable { walk ->
            walk.filter { it != scratch }.toList().collect { p ->
                [path: scratch.relativize(p).toString(), dir: Files.isDirectory(p),
                 mode: PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                 secret: Files.isRegularFile(p) && new String(Files.readAllBytes(p), 'ISO-8859-1').contains(SECRET)]
            }
        }
    }

    private TaskLaunch secretLaunch(List<String> scripts) {
        new TaskLaunch('run-1', 'task', 1, scripts.collect { it.toString() }, workspace, [TOKEN: SECRET], false, null, ['TOKEN'] as Set)
    }

    def "a step holding a secret value is never written to the scratch directory, which only its owner can read"() {
        given: 'scripts as the engine renders ${{ secrets.TOKEN }}: the value in the text'
        def waitForGo = 'touch started; i=0; while [ ! -f go ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done'
        def scripts = ["echo \"len=\$(printf %s '$SECRET' | wc -c)\"", "#!/bin/sh\necho 'py $SECRET' >/dev/null",
                       "echo plain; $waitForGo", "printf '%s\\n' '$SECRET' | tr a-z A-Z; env | grep -c __STOKER || true"]

        when:
        def t = new LocalExecutor(scratch).start(secretLaunch(scripts))
        Map r = null
        def out = Thread.start { r = finish(t) }
        def deadline = System.nanoTime() + 30_000_000_000L
        while (!Files.exists(workspace.resolve('started')) && System.nanoTime() < deadline) Thread.sleep(10)
        def during = scanScratch()
        Files.createFile(workspace.resolve('go'))
        out.join()
        t.release()

        then: 'the steps ran with the secret where the script put it, and no user process saw the script variables'
        r.exit == 0
        r.out == "len=${SECRET.size()}\nplain\n${SECRET.toUpperCase()}\n0\n"

        and: 'while it ran nothing on disk held the secret, directories were 0700 and files 0600 (0700 executables)'
        Files.exists(workspace.resolve('started'))
        during*.path.containsAll(['run-1', 'run-1/task', 'run-1/task/attempt-1'])
        during.findAll { it.secret } == []
        during.findAll { it.dir }.every { it.mode == 'rwx------' }
        during.findAll { !it.dir }.every { it.mode in ['rw-------', 'rwx------'] }

        and: 'after the attempt is released nothing of the run is left'
        scanScratch() == []
    }

    def "a single shell step holding a secret runs without any script file"() {
        when:
        def t = new LocalExecutor(scratch).start(secretLaunch(["echo \"\$0:$SECRET\" | wc -c; ls \"\$(dirname \"\$STOKER_OUTPUT\")\""]))
        def r = finish(t)

        then:
        r.exit == 0
        r.out == "${'step-1:'.size() + SECRET.size() + 1}\noutput\n"

        cleanup:
        t?.release()
    }

    def "a failing secret step still stops the task with its exit code and leaves no file behind"() {
        when:
        def t = new LocalExecutor(scratch).start(secretLaunch(["#!/bin/sh\n[ '$SECRET' = x ] || exit 7", 'echo never']))
        def r = finish(t)
        def after = scanScratch()

        then:
        r.exit == 7
        r.out == ''
        after.findAll { it.secret } == []

        cleanup:
        t?.release()
    }

    def "a task that cannot start leaves none of its scripts behind"() {
        given: 'a launch whose workspace is gone, with a script step holding a secret'
        def gone = workspace.resolve('gone')
        def launch = new TaskLaunch('run-1', 'task', 1, ["#!/bin/sh\necho '$SECRET'".toString(), 'echo two'], gone,
                [TOKEN: SECRET], false, null, ['TOKEN'] as Set)

        when:
        new LocalExecutor(scratch).start(launch)

        then:
        thrown(IOException)
        !Files.exists(scratch.resolve('run-1/task/attempt-1'))
        scanScratch().findAll { !it.dir } == []
    }

    def "sweeping at start removes what a crashed process left and keeps the scratch directory"() {
        given:
        Files.createDirectories(scratch.resolve('OLDRUN/task/attempt-1'))
        Files.writeString(scratch.resolve('OLDRUN/task/attempt-1/step-1.sh'), "echo $SECRET")

        when:
        new LocalExecutor(scratch).sweepLeftovers()

        then:
        Files.isDirectory(scratch)
        scanScratch() == []
    }

    @spock.lang.Requires({ java.nio.file.Files.isDirectory(java.nio.file.Path.of('/proc/self')) })
    def "sweeping at start stops the tasks a crashed process left running, and not what a task that ended left on purpose"() {
        given: 'an executor whose process "crashes" (is dropped) while a task works, after another task left a service running (in a session of its own) and ended'
        def crashed = new LocalExecutor(scratch)
        def service = crashed.start(new TaskLaunch('run-1', 'deploy', 1, ['setsid sleep 300 >/dev/null 2>&1 & echo $!'], workspace, [:], false))
        long servicePid = finish(service).out.trim() as long
        service.release()
        def interrupted = crashed.start(new TaskLaunch('run-1', 'smoke', 1, ['echo $$; exec sleep 300'], workspace, [:], false))
        long taskPid = new BufferedReader(new InputStreamReader(interrupted.stdout())).readLine() as long
        and: 'its shell has become the sleep: while the kernel swaps a program in, its environment reads as empty'
        EngineFixture.await(10_000) { commandOf(taskPid) == 'sleep' }

        when: 'the next process of this executor sweeps at its start'
        int stopped = new LocalExecutor(scratch).sweepLeftovers()

        then: 'the interrupted task is stopped; the service a finished task started runs on'
        stopped == 1
        interrupted.waitFor() != 0
        !ProcessHandle.of(taskPid).map { it.alive }.orElse(false)
        ProcessHandle.of(servicePid).map { it.alive }.orElse(false)

        cleanup:
        if (servicePid) ProcessHandle.of(servicePid).ifPresent { it.destroyForcibly() }
        if (taskPid) ProcessHandle.of(taskPid).ifPresent { it.destroyForcibly() }
    }

    private static String commandOf(long pid) {
        def comm = Path.of("/proc/$pid/comm")
        try {
            Files.readString(comm).trim()
        } catch (IOException ignored) {
            null
        }
    }
}

package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.params.ResolvedParameters
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Timeout
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.EngineFixture.ms
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** The engine with the real local executor: real processes, real files. */
@Timeout(60) // a hang is a failure, not a stuck build
class LocalRunSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    def "the second step of a task sees the files of the first"() {
        when:
        def run = f.run(job('j', task('a', 'echo hello > f.txt', 'test "$(cat f.txt)" = hello && echo seen')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('a').exitCode() == 0
        f.log(run, 'a').contains(' out seen')
    }

    def "the first failing step fails the task and later steps do not run"() {
        when:
        def run = f.run(job('j', task('a', 'exit 4', 'touch later')))

        then:
        run.state() == RunState.FAILED
        run.task('a').state() == TaskState.FAILED
        run.task('a').exitCode() == 4
        !Files.exists(f.workspace.resolve('later'))
    }

    def "a bash step stops at its first failing command"() {
        when:
        def run = f.run(job('j', task('a', 'false\ntouch reached')))

        then:
        run.task('a').state() == TaskState.FAILED
        !Files.exists(f.workspace.resolve('reached'))
    }

    def "a task starts only after every task it needs has ended"() {
        when:
        def run = f.run(job('j',
                task('a', 'sleep 0.2; date +%s%N > a.end'),
                task('b', 'date +%s%N > b.end'),
                task('c', [needs: ['a', 'b']], 'date +%s%N > c.start')))

        then:
        run.state() == RunState.SUCCEEDED
        nanos('c.start') > nanos('a.end')
        nanos('c.start') > nanos('b.end')
        !run.task('c').startedAt().isBefore(run.task('a').endedAt())
    }

    def "no more tasks run at once than the parallel limit"() {
        given: 'each task waits (bounded) until a second one runs beside it, or until it is the last of the five, and records how many ran then'
        // No fixed sleep: on a loaded machine the second process may start well after a fixed nap has ended.
        def script = """mkdir -p running counts done
touch "running/\$STOKER_TASK"
i=0; while [ "\$(ls running | wc -l)" -lt 2 ] && [ "\$(ls done | wc -l)" -lt 4 ] && [ \$i -lt ${ms(100)} ]; do sleep 0.05; i=\$((i+1)); done
ls running | wc -l > "counts/\$STOKER_TASK"
touch "done/\$STOKER_TASK"
rm "running/\$STOKER_TASK\""""
        def tasks = (1..5).collect { task("t$it", script) }

        when:
        def run = f.run(job('j', [:], tasks as io.stoker.model.Task[]), [parallel: 2])
        def counts = (1..5).collect { Files.readString(f.workspace.resolve("counts/t$it")).trim() as int }

        then:
        run.state() == RunState.SUCCEEDED
        counts.every { it <= 2 }
        counts.max() == 2
    }

    def "a fast writer feeds a slow reader through a pipe without losing data or being killed"() {
        when:
        def run = f.run(job('j',
                task('gen', 'seq 1 200000'),
                task('sum', [input: 'gen'], 'sleep 0.5; awk \'{s+=$1} END {printf "sum=%.0f\\n", s}\' >> "$STOKER_OUTPUT"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('gen').state() == TaskState.SUCCEEDED
        run.task('sum').outputs() == [sum: '20000100000']
        f.log(run, 'gen').contains(' out 200000\n')
    }

    def "a reader exiting early ends the pipe quickly and its writer counts as succeeded"() {
        when:
        long start = System.nanoTime()
        def run = f.run(job('j',
                task('gen', 'seq 1 100000000'),
                task('first', [input: 'gen'], 'head -1')))
        long millis = (System.nanoTime() - start) / 1_000_000

        then:
        run.state() == RunState.SUCCEEDED
        run.task('gen').state() == TaskState.SUCCEEDED
        run.task('gen').exitCode() == 0
        f.log(run, 'first').contains(' out 1\n')
        f.log(run, 'gen').contains('SIGPIPE')
        millis < ms(10_000)
    }

    /**
     * Shell that waits, bounded (20 s unscaled: a spec's limit ends it first), until the process {@code pid} runs
     * {@code sleep}. A background {@code setsid sleep} is a forked shell until it is scheduled: it leaves the task's
     * process group (setsid) and only then becomes sleep (exec), so a task that ends at once, or after a fixed pause
     * on a loaded machine, may still hold it in its group, where the end of the task kills it unnamed.
     */
    static String untilSleeping(String pid) {
        "i=0; while [ \"\$(cat /proc/$pid/comm 2>/dev/null)\" != sleep ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done"
    }

    def "a pipe writer's background process that left its group does not keep the pipe open after the writer ended"() {
        given: 'the writer starts a process in a session of its own that inherits its stdout, then ends while the pump reads'
        def pidFile = 'stray.pid'

        when:
        def run = f.run(job('j',
                task('gen', "echo one; setsid sleep 120 & echo \$! > $pidFile; ${untilSleeping('$!')}"),
                task('cat', [input: 'gen'], 'cat')))
        long pid = Files.readString(f.workspace.resolve(pidFile)).trim() as long

        then: 'both end (well before the stray would: the spec times out at half its life) and the stray is stopped, with a note saying why'
        run.state() == RunState.SUCCEEDED
        f.log(run, 'cat').contains(' out one\n')
        f.log(run, 'gen').contains("stopped PID $pid (sleep)")
        await(5000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
    }

    def "a background process started without the task's STOKER_OUTPUT, its output to a file, outlives its task"() {
        when:
        def run = f.run(job('j', task('a', 'env -u STOKER_OUTPUT setsid sleep 120 > bg.log 2>&1 & echo $! > bg.pid; ' + untilSleeping('$!'))))
        long pid = Files.readString(f.workspace.resolve('bg.pid')).trim() as long

        then:
        run.state() == RunState.SUCCEEDED
        ProcessHandle.of(pid).map { it.alive }.orElse(false)
        !f.log(run, 'a').contains('stopped PID')

        cleanup:
        ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    def "a failing writer fails its reader too"() {
        when:
        def run = f.run(job('j',
                task('gen', 'echo partial; exit 3'),
                task('cat', [input: 'gen'], 'cat')))

        then:
        run.state() == RunState.FAILED
        run.task('gen').exitCode() == 3
        run.task('cat').state() == TaskState.FAILED
        run.task('cat').outcome().reason().contains("pipe writer 'gen' failed")
        f.log(run, 'cat').contains(' out partial')
        f.log(run, 'cat').contains('pipefail')
    }

    def "a pipe writer ends when its own process and output do, not when its reader does"() {
        when: 'the writer prints a line and exits; its reader reads it, then works on for three seconds'
        def run = f.run(job('j',
                task('gen', 'echo one'),
                task('cat', [input: 'gen'], 'cat; sleep 3')))

        then: 'the writer is dated at its own end, well before its reader\'s'
        run.state() == RunState.SUCCEEDED
        run.task('gen').endedAt().isBefore(run.task('cat').endedAt().minusSeconds(1))
        f.log(run, 'cat').contains(' out one\n')
    }

    def "a pipe reader that fails or times out ends at once, while its writer still runs"() {
        given: 'writers that print three lines, then wait (bounded) until the spec releases them'
        def handle = f.engine.start(f.request(job('j',
                task('w', "seq 1 3; ${waitFor('release')}"),
                task('r', [input: 'w'], 'read x; exit 5'),
                task('w2', "seq 1 3; ${waitFor('release')}"),
                task('slow', [input: 'w2', timeout: 500], 'cat'))), RunListener.NONE)

        expect: 'each reader has ended, as its own process did, before its writer could'
        await(20_000) {
            def tasks = handle.snapshot().tasks()
            tasks.r.state() == TaskState.FAILED && tasks.slow.state() == TaskState.TIMEDOUT
        }
        def before = handle.snapshot().tasks()
        before.r.exitCode() == 5
        before.w.state() == TaskState.RUNNING
        before.w2.state() == TaskState.RUNNING

        when: 'the writers are released'
        Files.writeString(f.workspace.resolve('release'), '')
        def run = handle.await()

        then: 'the readers keep their own ends; the writers, whose readers are gone, end as in a shell'
        run.state() == RunState.FAILED
        run.task('r').outcome() == new Outcome.Failed(5, 'exit code 5')
        run.task('slow').state() == TaskState.TIMEDOUT
        run.task('r').endedAt().isBefore(run.task('w').endedAt())
        run.task('slow').endedAt().isBefore(run.task('w2').endedAt())
    }

    def "a pipe reader that succeeded while its writer runs waits for its writer, and fails with it"() {
        when: 'the writer closes its stdout early, then fails once released; the reader has read all and exited 0'
        def handle = f.engine.start(f.request(job('j',
                task('w', "echo one; exec >&-; ${waitFor('release')}; exit 3"),
                task('r', [input: 'w'], 'cat; touch read.done'))), RunListener.NONE)
        assert await(20_000) { Files.exists(f.workspace.resolve('read.done')) }
        Files.writeString(f.workspace.resolve('release'), '')
        def run = handle.await()

        then: 'pipefail: the reader fails with its writer, and is dated no earlier'
        run.task('w').exitCode() == 3
        run.task('r').state() == TaskState.FAILED
        run.task('r').outcome().reason() == "pipe writer 'w' failed (exit code 3)"
        !run.task('r').endedAt().isBefore(run.task('w').endedAt())
    }

    def "a three-stage pipe streams through every stage"() {
        when:
        def run = f.run(job('j',
                task('a', 'seq 1 1000'),
                task('b', [input: 'a'], 'grep 7'),
                task('c', [input: 'b'], 'wc -l | tr -d " " | sed "s/^/n=/" >> "$STOKER_OUTPUT"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('c').outputs().n == '271'
    }

    def "cancel kills the whole process tree of a running task"() {
        given:
        def handle = f.engine.start(f.request(job('j',
                task('a', 'sleep 300 & echo $! > grandchild.pid; wait'),
                task('b', [needs: ['a']], 'echo never'))), RunListener.NONE)
        def pidFile = f.workspace.resolve('grandchild.pid')
        assert await(5000) { Files.exists(pidFile) && Files.readString(pidFile).trim() }
        long pid = Files.readString(pidFile).trim() as long
        assert ProcessHandle.of(pid).map { it.alive }.orElse(false)

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('a').state() == TaskState.CANCELLED
        run.task('b').state() == TaskState.CANCELLED
        await(5000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
    }

    def "a task running past its timeout is killed and timed out"() {
        when:
        long start = System.nanoTime()
        def run = f.run(job('j', task('slow', [timeout: 300], 'sleep 30')))

        then:
        run.state() == RunState.FAILED
        run.task('slow').state() == TaskState.TIMEDOUT
        (System.nanoTime() - start) / 1_000_000 < ms(10_000)
        f.log(run, 'slow').contains('timed out')
    }

    def "the job timeout times out what runs and cancels what has not started"() {
        when:
        def run = f.run(job('j', [timeout: ms(2000)], // long enough for the slow task to have started: else it is cancelled, not timed out
                task('slow', 'sleep 30'),
                task('after', [needs: ['slow']], 'echo never')))

        then:
        run.state() == RunState.TIMEDOUT
        run.task('slow').state() == TaskState.TIMEDOUT
        run.task('after').state() == TaskState.CANCELLED
    }

    def "a failing task is retried and each attempt is logged"() {
        when: 'it fails twice, then succeeds'
        def run = f.run(job('j', task('flaky', [retry: 2],
                'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; test $n -ge 3')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('flaky').attempts() == 3
        def log = f.log(run, 'flaky')
        log.contains('attempt 1 of 3')
        log.contains('attempt 3 of 3')
        log.contains('trying again')
    }

    def "retries stop at the limit"() {
        when:
        def run = f.run(job('j', task('bad', [retry: 1], 'exit 2')))

        then:
        run.task('bad').state() == TaskState.FAILED
        run.task('bad').attempts() == 2
    }

    def "dependants of a failed task are skipped unless their when allows them"() {
        when:
        def run = f.run(job('j',
                task('a', 'exit 1'),
                task('b', [needs: ['a']], 'echo b'),
                task('onFailure', [needs: ['a'], when: 'failure()'], 'echo handling'),
                task('cleanup', [needs: ['b'], when: 'always()'], 'echo cleanup'),
                task('notOnSuccess', [needs: ['a'], when: 'success()'], 'echo no')))

        then:
        run.state() == RunState.FAILED
        run.task('b').state() == TaskState.SKIPPED
        run.task('b').outcome().reason().contains("needed task 'a' failed")
        run.task('onFailure').state() == TaskState.SUCCEEDED
        run.task('cleanup').state() == TaskState.SUCCEEDED
        run.task('notOnSuccess').state() == TaskState.SKIPPED
        f.log(run, 'b').contains('skipped')
    }

    def "a when over parameters and run facts decides whether a task runs"() {
        given:
        def j = job('j',
                task('deploy', [when: 'params.DEPLOY && run.branch == "main"'], 'echo deploying'),
                task('always', 'echo "$NAME ${{ params.NAME }}"'))

        when:
        def yes = f.run(j, [params: new ResolvedParameters([DEPLOY: true, NAME: 'ann']), branch: 'main'])
        def no = f.run(j, [params: new ResolvedParameters([DEPLOY: true, NAME: 'ann']), branch: 'dev'])

        then:
        yes.task('deploy').state() == TaskState.SUCCEEDED
        no.task('deploy').state() == TaskState.SKIPPED
        f.log(yes, 'always').contains(' out ann ann')
    }

    def "a line of \$STOKER_OUTPUT that is no output is named in the task's log"() {
        when:
        def run = f.run(job('j', task('w', 'echo "version 1.2" >> "$STOKER_OUTPUT"; echo "ok=1" >> "$STOKER_OUTPUT"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('w').outputs() == [ok: '1']
        f.log(run, 'w').contains("\$STOKER_OUTPUT line 1: 'version 1.2' is not key=value nor key<<EOF; ignored")
    }

    def "a task that links \$STOKER_OUTPUT to a file outside its workspace gets no outputs from it, and its log says why"() {
        given: 'a file of the server\'s, as the data directory\'s signing key'
        def key = Files.createDirectories(tmp.resolve('server-data')).resolve('jwt.key')
        key.text = 'jwt=MARKER-7f3a\n'

        when:
        def run = f.run(job('j', task('steal', "rm -f \"\$STOKER_OUTPUT\"; ln -s '$key' \"\$STOKER_OUTPUT\"".toString())))

        then: 'the run does not show what the link names'
        run.task('steal').outputs().isEmpty()
        !run.task('steal').outputs().values().any { it.contains('MARKER-7f3a') }
        !f.log(run, 'steal').contains('MARKER-7f3a')
        f.log(run, 'steal').contains('$STOKER_OUTPUT is a symbolic link, not a file: ignored, the task has no outputs')
    }

    def "a task that leaves a FIFO at \$STOKER_OUTPUT does not hold its run forever"() {
        when: 'the run is started aside: reading its outputs used to wait for a writer that never came'
        def running = java.util.concurrent.CompletableFuture.supplyAsync {
            f.run(job('j', task('wedge', 'rm -f "$STOKER_OUTPUT"; mkfifo "$STOKER_OUTPUT"')))
        }

        then: 'it ends, with no outputs and the reason in the log'
        await(30_000) { running.done }
        def run = running.join()
        run.state() == RunState.SUCCEEDED
        run.task('wedge').outputs().isEmpty()
        f.log(run, 'wedge').contains('$STOKER_OUTPUT is a FIFO, socket or device, not a file: ignored, the task has no outputs')
    }

    def "an output whose bytes are not UTF-8 keeps its replaced value, and the task's log says so"() {
        when: 'a Latin-1 é (0xE9), as a tool with the wrong locale writes it'
        def run = f.run(job('j', task('w', 'printf \'name=caf\\351\\nok=1\\n\' >> "$STOKER_OUTPUT"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('w').outputs() == [name: 'caf\uFFFD', ok: '1']
        f.log(run, 'w').contains('$STOKER_OUTPUT: output name held bytes that are not UTF-8; they were replaced by \uFFFD (U+FFFD)')
        !f.log(run, 'w').contains('output ok ')
    }

    def "named outputs flow into a dependant's script and env"() {
        when:
        def run = f.run(job('j',
                task('version', '''echo "version=1.2.3" >> "$STOKER_OUTPUT"
printf 'notes<<EOF\\nline one\\nline two\\nEOF\\n' >> "$STOKER_OUTPUT"'''),
                task('build', [needs: ['version'], env: [V: 'v${{ outputs.version.version }}']],
                        'echo "script ${{ outputs.version.version }} env $V"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('version').outputs() == [version: '1.2.3', notes: 'line one\nline two']
        f.log(run, 'build').contains(' out script 1.2.3 env v1.2.3')
    }

    def "an env value made from an output that holds a NUL fails its task in words that name the variable"() {
        when:
        def run = f.run(job('j',
                task('version', '''printf 'version=1.2\\0003\\n' >> "$STOKER_OUTPUT"'''),
                task('build', [needs: ['version'], env: [V: 'v${{ outputs.version.version }}']], 'echo "$V"')))

        then: 'no process can be given such a variable: said so, not in the JVM\'s words'
        run.state() == RunState.FAILED
        run.task('version').outputs() == [version: '1.2\u00003']
        run.task('build').state() == TaskState.FAILED
        run.task('build').outcome().reason() ==
                'environment variable V holds a NUL character, which no process environment can carry'
        f.log(run, 'build').contains('environment variable V holds a NUL character')
    }

    def "outputs of matrix cells are kept apart"() {
        when:
        def run = f.run(job('j',
                task('test', [matrix: [jdk: '17']], 'echo "v=jdk${{ matrix.jdk }}" >> "$STOKER_OUTPUT"'),
                task('test', [matrix: [jdk: '21']], 'echo "v=jdk${{ matrix.jdk }}" >> "$STOKER_OUTPUT"'),
                task('report', [needs: ['test[jdk=17]', 'test[jdk=21]']],
                        'echo "${{ outputs[\'test[jdk=17]\'].v }} ${{ outputs[\'test[jdk=21]\'].v }}"')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('test[jdk=17]').outputs() == [v: 'jdk17']
        run.task('test[jdk=21]').outputs() == [v: 'jdk21']
        f.log(run, 'report').contains(' out jdk17 jdk21')
    }

    def "secret values are masked in the log, including every line of a multi-line secret"() {
        when:
        def run = f.run(job('j', [secrets: ['TOKEN']],
                task('a', [secrets: ['KEY']], 'echo "env $TOKEN"; echo "tpl ${{ secrets.TOKEN }}"; echo "$KEY"; echo "x" >&2; echo "ab"')),
                [secrets: [TOKEN: 's3cr3t-value', KEY: 'first-line\nsecond-line', SHORT: 'ab', OTHER: 'not-given-to-a']])
        def log = f.log(run, 'a')

        then:
        run.state() == RunState.SUCCEEDED
        !log.contains('s3cr3t-value')
        !log.contains('first-line')
        !log.contains('second-line')
        log.contains(' out env ****')
        log.contains(' out tpl ****')
        log.contains(' out ab')
    }

    def "an output holding a secret is masked in the record but reaches dependants as it is"() {
        when:
        def run = f.run(job('j', [secrets: ['TOKEN']],
                task('a', 'echo "t=$TOKEN" >> "$STOKER_OUTPUT"'),
                task('b', [needs: ['a']], 'test "${{ outputs.a.t }}" = "$TOKEN" && echo same')),
                [secrets: [TOKEN: 'tok-123456']])

        then:
        run.task('a').outputs() == [t: '****']
        f.log(run, 'b').contains(' out same')
    }

    def "an output named by a secret is masked in the record too"() {
        when:
        def run = f.run(job('j', [secrets: ['TOKEN']],
                task('a', 'echo "$TOKEN=1" >> "$STOKER_OUTPUT"; echo "plain=2" >> "$STOKER_OUTPUT"')),
                [secrets: [TOKEN: 'tok-123456']])

        then:
        run.task('a').outputs() == ['****': '1', plain: '2']
    }

    def "a secret a task does not declare is not in its environment"() {
        when:
        def run = f.run(job('j', task('a', 'echo "[${OTHER:-unset}]"')), [secrets: [OTHER: 'hidden-thing']])

        then:
        f.log(run, 'a').contains(' out [unset]')
    }

    def "artifacts are zipped and published when the run succeeds"() {
        when:
        def run = f.run(job('j', task('build', [artifacts: ['dist/**']],
                'mkdir -p dist/sub && echo one > dist/a.txt && echo two > dist/sub/b.txt && echo no > other.txt')))
        def zip = run.task('build').artifacts()

        then:
        run.state() == RunState.SUCCEEDED
        zip.contains('published')
        new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name }.sort() } == ['dist/a.txt', 'dist/sub/b.txt']
    }

    def "a file whose name holds a line break is collected by a ** glob like any other"() {
        when:
        def run = f.run(job('j', task('build', [artifacts: ['out/**']],
                'mkdir -p out && echo a > out/ok.txt && echo b > "out/new\nline.txt" && echo c > "out/$(printf \'cr\\rx\')"')))

        then:
        run.state() == RunState.SUCCEEDED
        new ZipFile(run.task('build').artifacts()).withCloseable { z -> z.entries().collect { it.name }.sort() } ==
                ['out/cr\rx', 'out/new\nline.txt', 'out/ok.txt']
    }

    def "a zip of artifacts named beyond ASCII unzips with its names as written, and an executable stays executable"() {
        when:
        def run = f.run(job('j', task('build', [artifacts: ['out dir/**']],
                'mkdir -p "out dir/ünï" && echo hi > "out dir/ünï/file ä.txt" && printf \'#!/bin/sh\\necho ran\\n\' > "out dir/run.sh"'
                        + ' && chmod 755 "out dir/run.sh"')))
        def zip = Path.of(run.task('build').artifacts())

        then:
        run.state() == RunState.SUCCEEDED
        if (unzipInstalled()) {
            // Info-ZIP's unzip, as a user downloading the zip would run it
            Path dl = Files.createDirectories(tmp.resolve('dl'))
            def unzip = new ProcessBuilder('unzip', '-q', zip.toString(), '-d', dl.toString()).redirectErrorStream(true)
            unzip.environment().put('LANG', 'C.UTF-8')
            def p = unzip.start()
            def said = p.inputStream.text
            assert p.waitFor() == 0: said
            assert Files.walk(dl).withCloseable { files -> files.filter { Files.isRegularFile(it) }
                    .collect { dl.relativize(it).toString() } as Set } == ['out dir/ünï/file ä.txt', 'out dir/run.sh'] as Set
            assert Files.readString(dl.resolve('out dir/ünï/file ä.txt')) == 'hi\n'
            assert Files.isExecutable(dl.resolve('out dir/run.sh'))
            assert !Files.isExecutable(dl.resolve('out dir/ünï/file ä.txt'))
        } else {
            // what unzip reads: entries made on Unix (no code-page translation), with UTF-8 names and their mode
            org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(zip).get().withCloseable { z ->
                def entries = z.entries.toList().collectEntries { [it.name, it] }
                assert entries.keySet() == ['out dir/ünï/file ä.txt', 'out dir/run.sh'] as Set
                entries.values().each { e ->
                    assert e.platform == org.apache.commons.compress.archivers.zip.ZipArchiveEntry.PLATFORM_UNIX
                    assert e.generalPurposeBit.usesUTF8ForNames()
                }
                assert (entries['out dir/run.sh'].unixMode & 0777) == 0755
            }
        }
    }

    private static boolean unzipInstalled() {
        System.getenv('PATH').split(File.pathSeparator).any { Files.isExecutable(Path.of(it, 'unzip')) }
    }

    def "the log names a task's artifacts by the name they are listed and downloaded by, not the file's on disk"() {
        when: 'a task whose name holds characters a file name cannot (a matrix cell with a space in its value)'
        def run = f.run(job('j', task('build[os=mac os]', [artifacts: ['a.txt']], 'echo one > a.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'build[os=mac os]').contains('artifacts: 1 file kept as build[os=mac os].zip')
    }

    def "an artifacts pattern that matches nothing is named in the log even when the others matched"() {
        when:
        def run = f.run(job('j', task('build', [artifacts: ['out/**', '*.txt', 'missing/**', 'nothere.bin']],
                'mkdir -p out/deep/er && echo 1 > out/deep/er/c.log && echo top > top.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        new ZipFile(run.task('build').artifacts()).withCloseable { z -> z.entries().collect { it.name }.sort() } ==
                ['out/deep/er/c.log', 'top.txt']
        f.log(run, 'build').contains('no files matched artifacts [missing/**, nothere.bin]')
    }

    def "artifacts never follow a link out of the workspace; a link to a file inside is zipped as that file"() {
        given: 'a file of the server that a task must not publish (a task in a container cannot read it itself)'
        Path secret = Files.writeString(tmp.resolve('master.key'), 'server secret')
        Path outside = Files.createDirectories(tmp.resolve('outside'))
        Files.writeString(outside.resolve('config'), 'server config')

        when:
        def run = f.run(job('j', task('build', [artifacts: ['dist/**']], "mkdir -p dist/d && echo app > dist/app-1.2 && " +
                "ln -s app-1.2 dist/latest && ln -s $secret dist/key && ln -s $outside dist/d/out && ln -s nowhere dist/gone")))
        def zip = run.task('build').artifacts()
        def entries = new ZipFile(zip).withCloseable { z -> z.entries().collectEntries { [it.name, z.getInputStream(it).text] } }

        then:
        run.state() == RunState.SUCCEEDED
        entries == ['dist/app-1.2': 'app\n', 'dist/latest': 'app\n']
    }

    def "a failed run keeps its artifacts staged and marked unpublished"() {
        when:
        def run = f.run(job('j',
                task('build', [artifacts: ['*.txt']], 'echo one > out.txt'),
                task('test', [needs: ['build']], 'exit 1')))
        def zip = Path.of(run.task('build').artifacts())

        then:
        run.state() == RunState.FAILED
        Files.exists(zip)
        zip.toString().contains('staged')
        Files.readString(zip.resolveSibling('UNPUBLISHED')).contains('failed')
        !Files.exists(f.artifacts.publishedDir(run.key()).resolve('build.zip'))
    }

    def "a step starting with a shebang runs with that interpreter"() {
        when:
        def run = f.run(job('j', task('py', '#!/usr/bin/env python3\nimport sys\nprint("python", sys.version_info[0])\n')))

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'py').contains(' out python 3')
    }

    def "every log line carries a UTC timestamp with milliseconds and its stream"() {
        when:
        def run = f.run(job('j', task('a', 'echo out-line; echo err-line >&2')))
        def lines = f.log(run, 'a').readLines()

        then:
        lines.every { it ==~ /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (out|err|system) .*/ }
        lines.any { it.endsWith(' out out-line') }
        lines.any { it.endsWith(' err err-line') }
    }

    def "tasks get parameters and STOKER variables in their environment"() {
        when:
        def run = f.run(job('j', [env: [GREETING: 'hi']],
                task('a', [env: [WHO: '${{ params.NAME }}']],
                        'echo "$GREETING $WHO $NAME $STOKER_TASK $STOKER_ATTEMPT $STOKER_RUN"; test -f "$STOKER_OUTPUT"; test "$STOKER_WORKSPACE" = "$PWD"')),
                [params: new ResolvedParameters([NAME: 'bob']), key: 'run-7'])

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'a').contains(' out hi bob bob a 1 run-7')
    }

    def "tasks get the CI variables other servers give: CI, run key and number, job, project, branch"() {
        when:
        def run = f.run(job('j', task('a', 'echo "$CI $STOKER_RUN_KEY $STOKER_RUN_NUMBER $STOKER_JOB $STOKER_PROJECT $STOKER_BRANCH ${STOKER_COMMIT-none}"')),
                [key: 'run-8', branch: 'main'])

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'a') =~ / out true run-8 \d+ j p main none\n/
    }

    def "the run's state is saved as run.json on the way"() {
        when:
        def run = f.run(job('j', task('a', 'echo hi')))
        def saved = f.store.load(run.key()).get()

        then:
        Files.exists(f.store.file(run.key()))
        saved.state() == RunState.SUCCEEDED
        saved.task('a').state() == TaskState.SUCCEEDED
        saved.task('a').outcome() instanceof Outcome.Succeeded
    }

    def "followers subscribed before the run see every task's lines live and then its end"() {
        given:
        def j = job('j', task('a', 'echo one; echo two >&2'), task('b', [needs: ['a']], 'exit 1'),
                task('c', [needs: ['b']], 'echo never'))
        def request = f.request(j)
        def seen = new java.util.concurrent.ConcurrentHashMap<String, List<String>>()
        def ended = new java.util.concurrent.CountDownLatch(3)
        j.tasks().each { t ->
            seen[t.name()] = new java.util.concurrent.CopyOnWriteArrayList<String>()
            f.logs.follow(request.context().key(), t.name(), new io.stoker.engine.log.LogFollower() {
                void line(io.stoker.engine.log.LogLine line) { seen[t.name()] << "${line.stream().label()} ${line.text()}".toString() }

                void end() { ended.countDown() }
            })
        }

        when:
        def run = f.engine.run(request, RunListener.NONE)

        then:
        ended.await(ms(5000), java.util.concurrent.TimeUnit.MILLISECONDS)
        seen.a.containsAll(['out one', 'err two'])
        seen.b.last().startsWith('system failed: exit code 1')
        seen.c == ["system skipped: needed task 'b' failed"]
        run.state() == RunState.FAILED
    }

    def "a multi-step task mixes shell and shebang steps in one workspace"() {
        when:
        def run = f.run(job('j', task('a', 'echo 41 > n', '#!/usr/bin/env python3\nprint(int(open("n").read()) + 1)\n', 'echo bash again')))

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'a').contains(' out 42\n')
        f.log(run, 'a').contains(' out bash again')
    }

    def "a pipe reader that times out fails the run but not its writer"() {
        when:
        def run = f.run(job('j', task('gen', 'seq 1 100000000'), task('stuck', [input: 'gen', timeout: 300], 'sleep 30')))

        then:
        run.state() == RunState.FAILED
        run.task('stuck').state() == TaskState.TIMEDOUT
        run.task('gen').state() == TaskState.SUCCEEDED
    }

    /** A shell loop that waits until {@code file} exists in the workspace, bounded (by the scaled spec timeout). */
    private static String waitFor(String file) {
        "i=0; while [ ! -f $file ] && [ \$i -lt ${ms(1000)} ]; do sleep 0.05; i=\$((i+1)); done"
    }

    private long nanos(String file) {
        Files.readString(f.workspace.resolve(file)).trim() as long
    }
}

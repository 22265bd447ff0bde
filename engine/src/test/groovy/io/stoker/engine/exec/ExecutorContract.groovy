package io.stoker.engine.exec

import io.stoker.engine.fixtures.EngineFixture
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.Timeout
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.zip.ZipFile

/**
 * What every real executor must do, as one abstract spec: extend it with {@link #executor()} (local here; the SSH
 * executor's spec extends it too).
 */
@Timeout(60) // a hang is a failure, not a stuck build
abstract class ExecutorContract extends Specification {

    @TempDir
    Path workspace

    /** The executor under test; it runs tasks in {@link #workspace} (or a place mirroring it). */
    abstract Executor executor()

    /**
     * Where a file the task writes into its workspace can be seen on this machine while the task runs: the
     * workspace itself for a local executor, the agent's copy for a remote one (synced back only when it ends).
     */
    protected Path taskFile(String name) {
        workspace.resolve(name)
    }

    /** The text of a started task's stdout and its exit code. */
    protected Map finish(RunningTask t) {
        def out = new ByteArrayOutputStream()
        def err = Thread.start { t.stderr().transferTo(OutputStream.nullOutputStream()) }
        t.stdout().transferTo(out)
        err.join()
        [exit: t.waitFor(), out: out.toString(StandardCharsets.UTF_8)]
    }

    protected TaskLaunch launch(List<String> scripts, Map<String, String> env = [:], boolean piped = false) {
        new TaskLaunch('run-1', 'task', 1, scripts, workspace, env, piped)
    }

    def "steps run in order in the workspace and the first failure stops the task"() {
        when:
        def r = finish(executor().start(launch(['echo one > f; echo first', 'cat f; exit 5', 'echo never'])))

        then:
        r.exit == 5
        r.out == 'first\none\n'
    }

    def "the launch's env and STOKER_OUTPUT reach the task, and its output text comes back"() {
        when:
        def t = executor().start(launch(['echo "x=$GREETING" >> "$STOKER_OUTPUT"'], [GREETING: 'hi']))
        def r = finish(t)

        then:
        r.exit == 0
        t.outputText() == 'x=hi\n'
    }

    def "an output file over the limit comes back one byte longer than the limit, so that the cut can be told"() {
        when: 'a task writes 3 MB to $STOKER_OUTPUT'
        def t = executor().start(launch(['yes big=xxxxxxxxxxxxxxxxxxxxxxxx | head -c 3000000 >> "$STOKER_OUTPUT"'], [:]))
        def r = finish(t)

        then:
        r.exit == 0
        t.outputText().length() == RunningTask.MAX_OUTPUT_BYTES + 1
    }

    /**
     * Whether this executor reads {@code $STOKER_OUTPUT} on the server's machine, where a link to a file the task
     * cannot see itself would hand it the server's secrets; an SSH agent reads it on its own host, as its own user.
     */
    boolean readsOutputOnTheServer() {
        true
    }

    @IgnoreIf(value = { !instance.readsOutputOnTheServer() }, reason = 'the output file is read on the agent\'s host')
    def "a symbolic link left at STOKER_OUTPUT is not followed: the file it names is not read, and why is said"() {
        given: 'a file of the server\'s that the task names but could not read itself (sandboxed, or in a container)'
        def secret = Files.createTempFile('stoker-server-key', '.txt')
        secret.text = 'jwt=SERVER-SIGNING-KEY\n'

        when: 'the task replaces its output file by a link to it'
        def t = executor().start(launch(["rm -f \"\$STOKER_OUTPUT\"; ln -s '$secret' \"\$STOKER_OUTPUT\"".toString()]))
        def r = finish(t)
        t.outputText()

        then:
        r.exit == 0
        def e = thrown(OutputNotAFile)
        e.message == '$STOKER_OUTPUT is a symbolic link, not a file: ignored, the task has no outputs'

        and: 'the link is gone with the attempt, the file it named untouched'
        t.release()
        secret.text == 'jwt=SERVER-SIGNING-KEY\n'

        cleanup:
        Files.deleteIfExists(secret)
    }

    @IgnoreIf(value = { !instance.readsOutputOnTheServer() }, reason = 'the output file is read on the agent\'s host')
    def "a FIFO left at STOKER_OUTPUT is not opened, so reading the outputs cannot block"() {
        when:
        def t = executor().start(launch(['rm -f "$STOKER_OUTPUT"; mkfifo "$STOKER_OUTPUT"']))
        def r = finish(t)
        def read = CompletableFuture.supplyAsync { try { t.outputText() } catch (IOException e) { e } }

        then: 'the read ends at once (opening a FIFO would wait for a writer forever), saying what it found'
        r.exit == 0
        def answer = read.get(EngineFixture.ms(10_000), TimeUnit.MILLISECONDS)
        answer instanceof OutputNotAFile
        answer.message == '$STOKER_OUTPUT is a FIFO, socket or device, not a file: ignored, the task has no outputs'

        cleanup:
        t?.release()
    }

    @IgnoreIf(value = { !instance.readsOutputOnTheServer() }, reason = 'the output file is read on the agent\'s host')
    def "a directory left at STOKER_OUTPUT gives no outputs, and says so"() {
        when:
        def t = executor().start(launch(['rm -f "$STOKER_OUTPUT"; mkdir "$STOKER_OUTPUT"; echo x=1 > "$STOKER_OUTPUT/f"']))
        finish(t)
        t.outputText()

        then:
        def e = thrown(OutputNotAFile)
        e.message == '$STOKER_OUTPUT is a directory, not a file: ignored, the task has no outputs'

        cleanup:
        t?.release()
    }

    def "a task that removes STOKER_OUTPUT has no outputs"() {
        when:
        def t = executor().start(launch(['rm -f "$STOKER_OUTPUT"']))
        finish(t)

        then:
        t.outputText() == ''
    }

    def "stdin is closed unless it is piped"() {
        when: 'not piped: cat sees end of input at once'
        def closed = finish(executor().start(launch(['cat; echo done'])))

        and: 'piped: it reads what is written'
        def piped = executor().start(launch(['tr a-z A-Z'], [:], true))
        piped.stdin().withCloseable { it.write('abc\n'.bytes) }
        def r = finish(piped)

        then:
        closed.out == 'done\n'
        r.out == 'ABC\n'
    }

    def "a shebang step runs with its interpreter"() {
        expect:
        finish(executor().start(launch(['#!/bin/sh\necho "sh $0" | sed "s/ .*//"']))).out == 'sh\n'
    }

    def "kill ends the whole process tree"() {
        given:
        def t = executor().start(launch(['sleep 300 & echo $! > child.pid; wait']))
        def pidFile = taskFile('child.pid')
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EngineFixture.ms(10_000)) // an SSH start on a loaded machine is slow
        while (!(Files.exists(pidFile) && Files.readString(pidFile).trim()) && System.nanoTime() < deadline) Thread.sleep(10)
        long pid = seenFromHere(Files.readString(pidFile).trim() as long)

        when:
        t.kill()
        t.onExit().get(EngineFixture.ms(10_000), TimeUnit.MILLISECONDS)

        then:
        processGone(pid)
    }

    def "artifacts matching the globs are zipped"() {
        given:
        def t = executor().start(launch(['mkdir -p out/x && echo a > out/x/a.txt && echo b > b.log && echo c > c.txt']))
        finish(t)
        def zip = workspace.resolveSibling('a.zip')

        when:
        int n = t.collectArtifacts(['out/**', '**/*.log'], zip, { false }).files()

        then:
        n == 2
        new ZipFile(zip.toFile()).withCloseable { z -> z.entries().collect { it.name }.sort() } == ['b.log', 'out/x/a.txt']

        cleanup:
        Files.deleteIfExists(zip)
    }

    def "the files of a task whose step failed are zipped too (artifacts when: on-failure or always)"() {
        given: 'a test step that writes its report, then fails'
        def t = executor().start(launch(['mkdir -p reports && echo failed-case > reports/junit.xml && exit 3']))
        def r = finish(t)
        def zip = workspace.resolveSibling('failed.zip')

        when:
        int n = t.collectArtifacts(['reports/**'], zip, { false }).files()

        then:
        r.exit == 3
        n == 1
        new ZipFile(zip.toFile()).withCloseable { z -> z.getInputStream(z.getEntry('reports/junit.xml')).text } == 'failed-case\n'

        cleanup:
        Files.deleteIfExists(zip)
    }

    /**
     * Whether the task's child with this pid (as the task saw it) ended within a deadline: a host process here; an
     * executor whose tasks see other pids (a container's namespace) overrides it.
     */
    /** The PID on this machine of the process a task knows as {@code pid} (its own PID namespace may number it differently). */
    protected long seenFromHere(long pid) {
        pid
    }

    protected boolean processGone(long pid) {
        waitGone(pid)
    }

    protected static boolean waitGone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EngineFixture.ms(10_000))
        while (ProcessHandle.of(pid).map { it.alive }.orElse(false) && System.nanoTime() < deadline) Thread.sleep(10)
        !ProcessHandle.of(pid).map { it.alive }.orElse(false)
    }
}

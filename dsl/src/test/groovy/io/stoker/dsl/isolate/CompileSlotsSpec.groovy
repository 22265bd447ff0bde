package io.stoker.dsl.isolate

import io.stoker.dsl.CompileResult
import spock.lang.Specification

import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors

/**
 * Each isolated compile is a worker JVM: six asked for at once pinned two cores, took ~640 MB and all ran out of
 * their wall-clock time. The pool runs at most N at once; a few more wait their turn, and the wait is not part of
 * their time limit; beyond that a compile is refused at once, saying when to try again.
 */
class CompileSlotsSpec extends Specification {
    static final long FACTOR = TimeoutFactor.FACTOR
    static final String VALID = 'jobs:\n  web:\n    tasks:\n      a: {sh: x}\n'

    def "one compile at a time: the second waits its turn and still gets its whole time limit, the third is refused"() {
        given: 'workers that never answer, killed after 2 s; one compile at a time, one more may wait'
        def compiler = sleepingCompiler(new CompileSlots(1, 1, Duration.ofSeconds(7)))
        def threads = Executors.newFixedThreadPool(2)

        when: 'two compiles are asked for together'
        long start = System.nanoTime()
        def first = CompletableFuture.supplyAsync({ compiler.compile('Jobfile.yaml', VALID) }, threads)
        def second = CompletableFuture.supplyAsync({ timed { compiler.compile('Jobfile.yaml', VALID) } }, threads)
        awaitQueued(compiler, 1)

        and: 'a third comes while one runs and one waits'
        compiler.compile('Jobfile.yaml', VALID)

        then: 'it is refused at once, saying when to try again'
        CompilerBusy busy = thrown()
        busy.retryAfter() == Duration.ofSeconds(7)
        busy.message == 'the server is compiling 1 Jobfile at once and 1 more is waiting its turn: try again in 7 s'

        when:
        def waited = second.get()
        long all = (System.nanoTime() - start).intdiv(1_000_000)

        then: 'the waiting one ran after the first, and its own 2 s started only then'
        first.get().diagnostics()*.message() == [timedOut()]
        waited.result.diagnostics()*.message() == [timedOut()]
        all >= 4000
        compiler.slots().queued() == 0

        cleanup:
        threads?.shutdownNow()
        compiler?.close()
    }

    def "the server's own compiles (a push's, a poll's) wait their turn where a request would be refused"() {
        given: 'workers that never answer, killed after 2 s; one compile at a time, none may wait'
        def compiler = sleepingCompiler(new CompileSlots(1, 0, Duration.ofSeconds(7)))
        def threads = Executors.newFixedThreadPool(2)

        when: "one compile runs and a push's compile comes"
        def running = CompletableFuture.supplyAsync({ compiler.compile('Jobfile.yaml', VALID) }, threads)
        awaitFree(compiler, 0)
        def push = CompletableFuture.supplyAsync({ compiler.compileInTurn('Jobfile.yaml', VALID) }, threads)
        awaitQueued(compiler, 1)

        and: 'a request comes meanwhile'
        compiler.compile('Jobfile.yaml', VALID)

        then: 'the request is refused, as none may wait'
        thrown(CompilerBusy)

        and: "the push's compile waited for its turn, and got it"
        running.get().diagnostics()*.message() == [timedOut()]
        push.get().diagnostics()*.message() == [timedOut()]
        compiler.slots().queued() == 0

        cleanup:
        threads?.shutdownNow()
        compiler?.close()
    }

    def "by default a pool runs as many compiles at once as the CPUs, at most two, and four wait per one"() {
        expect:
        CompileSlots.DEFAULT_CONCURRENT == Math.min(2, Runtime.runtime.availableProcessors())
        with(CompileSlots.of(2, Duration.ofSeconds(20))) {
            concurrent() == 2
            waiting() == 8
        }
    }

    /** Workers that never answer, killed after 2 s, held to {@code slots}. */
    private static IsolatedJobfileCompiler sleepingCompiler(CompileSlots slots) {
        def settings = WorkerSettings.defaults().withMainClass(SleepingWorker.name)
                .withTimeout(Duration.ofSeconds(2 * FACTOR)).withPoolSize(0)
        new IsolatedJobfileCompiler(settings, slots)
    }

    private static Map timed(Closure<CompileResult> compile) {
        long start = System.nanoTime()
        CompileResult result = compile.call()
        [result: result, millis: (System.nanoTime() - start).intdiv(1_000_000)]
    }

    private static void awaitFree(IsolatedJobfileCompiler compiler, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L * FACTOR
        while (compiler.slots().free() != n) {
            assert System.nanoTime() < deadline: "no compile took a slot"
            Thread.sleep(20)
        }
    }

    private static void awaitQueued(IsolatedJobfileCompiler compiler, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L * FACTOR
        while (compiler.slots().queued() < n) {
            assert System.nanoTime() < deadline: "no compile waited"
            Thread.sleep(20)
        }
    }

    private static String timedOut() {
        "Jobfile evaluation took longer than ${2 * FACTOR} s of wall-clock time (its CPU budget of 5.0 s had not run out: is the machine very busy?)".toString()
    }
}

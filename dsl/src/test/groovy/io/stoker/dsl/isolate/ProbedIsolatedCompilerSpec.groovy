package io.stoker.dsl.isolate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch

/**
 * A server does not wait for the Jobfile sandbox probe (a Jobfile compiled in a cold worker JVM under each wrapper):
 * the isolated compiler is made when the probe ends, a compile asked for meanwhile waits for it, and a warm-up or a
 * close asked for meanwhile is done then. The probe here is the real one, held back by a gate until the spec has
 * asked; the worker JVMs are real.
 */
class ProbedIsolatedCompilerSpec extends Specification {
    static final String VALID = 'jobs:\n  web:\n    tasks:\n      a: {sh: x}\n      b: {needs: a, sh: y}\n'
    static final long FACTOR = TimeoutFactor.FACTOR

    def gate = new CountDownLatch(1)
    def probeStarted = new CountDownLatch(1)
    ProbedIsolatedCompiler compiler

    def setup() {
        compiler = ProbedIsolatedCompiler.start({
            probeStarted.countDown()
            gate.await()
            Sandbox.detected()
        }, { Sandbox sandbox ->
            WorkerSettings.defaultsWith(sandbox).withTimeout(Duration.ofSeconds(30 * FACTOR))
        })
        probeStarted.await()
    }

    def cleanup() {
        gate.countDown()
        compiler?.close()
    }

    def "a compile asked for while the probe runs waits for it, then answers as in process"() {
        when:
        def answer = CompletableFuture.supplyAsync { compiler.compile('Jobfile.yaml', VALID) }

        then: 'nothing is made while the probe runs'
        !compiler.probed()
        !answer.done

        when:
        gate.countDown()

        then:
        answer.get() instanceof CompileResult.Compiled
        answer.get() == new JobfileCompiler().compile('Jobfile.yaml', VALID)
        compiler.made().get().settings().sandbox() == Sandbox.detected()
    }

    def "a warm-up asked for while the probe runs returns at once and starts the warm worker when it ends"() {
        when:
        compiler.warmUp()

        then:
        !compiler.probed()

        when:
        gate.countDown()

        then:
        await { compiler.made().map { it.idlePids().size() == 1 }.orElse(false) }
    }

    def "a close asked for while the probe runs closes the compiler it makes, which starts no worker"() {
        when:
        compiler.warmUp()
        compiler.close()
        gate.countDown()

        then:
        await { compiler.probed() }

        when:
        compiler.compile('Jobfile.yaml', VALID)

        then:
        def closed = thrown(IllegalStateException)
        closed.message == 'the isolated compiler is closed'
        compiler.made().get().idlePids().isEmpty()
    }

    def "without a warm-up the probe's end starts no worker; the first compile starts one"() {
        when:
        gate.countDown()

        then:
        await { compiler.probed() }
        compiler.made().get().idlePids().isEmpty()
        compiler.compile('Jobfile.yaml', VALID) instanceof CompileResult.Compiled
    }

    private static boolean await(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30 * FACTOR).toNanos()
        while (!condition() && System.nanoTime() < deadline) Thread.sleep(20)
        condition()
    }
}

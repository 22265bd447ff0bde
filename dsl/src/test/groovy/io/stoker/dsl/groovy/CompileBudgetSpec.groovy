package io.stoker.dsl.groovy

import spock.lang.Specification
import spock.lang.Timeout

import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.concurrent.CountDownLatch

/**
 * The compile backstop counts the compiling thread's CPU time: a thread that waits for a core (a loaded machine)
 * keeps its budget, one that burns it is stopped, and one stuck past the wall-clock net is stopped too.
 */
@Timeout(60)
class CompileBudgetSpec extends Specification {

    CountDownLatch release = new CountDownLatch(1)
    volatile boolean spin = true

    def cleanup() {
        release.countDown()
        spin = false
    }

    /** Asks the budget as the frontend does, until it is spent or 30 s have passed. */
    static boolean awaitSpent(CompileBudget budget) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos()
        while (System.nanoTime() < giveUp) {
            if (budget.spent(System.nanoTime())) return true
            Thread.sleep(budget.waitNanos(System.nanoTime()).intdiv(1_000_000) as long)
        }
        false
    }

    Thread waiting() {
        Thread.start { release.await() }
    }

    def "a compile that gets no CPU for four times its budget is not abandoned"() {
        given: 'a compiling thread that waits (as on a machine whose cores are all busy)'
        def worker = waiting()
        long started = System.nanoTime()
        def budget = new CompileBudget(worker, Duration.ofMillis(100), Duration.ofSeconds(30), started)

        when: 'four budgets of wall time pass'
        List<Boolean> seen = [budget.spent(System.nanoTime())]
        while (System.nanoTime() - started < Duration.ofMillis(400).toNanos()) {
            Thread.sleep(10)
            seen << budget.spent(System.nanoTime())
        }

        then: 'a wall-clock limit would have given up after the first; the CPU budget never does'
        System.nanoTime() - started >= Duration.ofMillis(400).toNanos()
        !seen.any()
    }

    def "a compile that burns its CPU budget is stopped"() {
        given:
        def worker = Thread.start { long n = 0; while (spin) n++ }
        long started = System.nanoTime()
        def budget = new CompileBudget(worker, Duration.ofMillis(100), Duration.ofSeconds(30), started)

        when:
        boolean spent = awaitSpent(budget)

        then: 'it was stopped once it had used the budget, by its own CPU time'
        spent
        ManagementFactory.threadMXBean.getThreadCpuTime(worker.threadId()) >= Duration.ofMillis(100).toNanos()
    }

    def "a compile stuck past the wall-clock net is stopped although it used no CPU"() {
        given:
        def worker = waiting()
        long started = System.nanoTime()
        def budget = new CompileBudget(worker, Duration.ofSeconds(10), Duration.ofMillis(200), started)

        when:
        boolean spent = awaitSpent(budget)

        then:
        spent
        System.nanoTime() - started >= Duration.ofMillis(200).toNanos()
    }

    def "the default limits allow ten seconds of compiler CPU and a wall-clock net twelve times that"() {
        expect:
        GroovyLimits.DEFAULTS.compileTimeout() == Duration.ofSeconds(10)
        GroovyLimits.DEFAULTS.compileWallLimit() == Duration.ofSeconds(120)
    }
}

package io.stoker.dsl.groovy

import spock.lang.Specification
import spock.lang.Timeout

import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicLong

/**
 * Evaluating a Jobfile is limited by the evaluating thread's CPU time, checked at statement boundaries: a thread that
 * waits for a core (a loaded machine) keeps its budget, one that burns it is stopped at its statement, and one that
 * stays past the wall-clock net is stopped too.
 */
@Timeout(60)
class EvaluationBudgetSpec extends Specification {

    static Evaluation started(Duration timeout) {
        def evaluation = new Evaluation('Jobfile', GroovyLimits.DEFAULTS.withTimeout(timeout))
        evaluation.startEvaluating()
        evaluation
    }

    /** Runs statements at 3:5 until the evaluation stops it or 30 s have passed. */
    static DslStop burnUntilStopped(Evaluation evaluation) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos()
        while (System.nanoTime() < giveUp) {
            try {
                evaluation.at(3, 5)
            } catch (DslStop stop) {
                return stop
            }
        }
        null
    }

    def "an evaluation that gets no CPU for four times its budget is not stopped"() {
        given: 'an evaluation with a 100 ms budget'
        def evaluation = started(Duration.ofMillis(100))
        long begun = System.nanoTime()

        when: 'four budgets of wall time pass without CPU (as on a machine whose cores are all busy), then a statement'
        Thread.sleep(400)
        evaluation.at(1, 1)

        then: 'a wall-clock limit would have stopped it; the CPU budget does not'
        System.nanoTime() - begun >= Duration.ofMillis(400).toNanos()
        notThrown(DslStop)
    }

    def "an evaluation that burns its CPU budget is stopped at its statement, saying it was CPU time"() {
        given:
        def bean = ManagementFactory.threadMXBean
        long cpuBefore = bean.currentThreadCpuTime
        def evaluation = started(Duration.ofMillis(200))

        when:
        def stop = burnUntilStopped(evaluation)
        long cpuUsed = bean.currentThreadCpuTime - cpuBefore

        then:
        stop != null
        stop.pos.toString() == '3:5'
        stop.message == 'the Jobfile took longer than 0.2 s of CPU time to evaluate — is there an endless loop?'
        cpuUsed >= Duration.ofMillis(200).toNanos()
    }

    def "an evaluation past the wall-clock net is stopped although it used no CPU"() {
        given: 'a 50 ms budget, so a wall-clock net of 600 ms'
        def evaluation = started(Duration.ofMillis(50))
        long begun = System.nanoTime()

        when:
        Thread.sleep(700)
        evaluation.at(2, 1)

        then:
        System.nanoTime() - begun >= Duration.ofMillis(600).toNanos()
        thrown(DslStop)
    }

    def "the backstop counts only the CPU the worker used after evaluation started"() {
        given: 'a worker that burned CPU compiling, then waits'
        def bean = ManagementFactory.threadMXBean
        def waiting = new CountDownLatch(1)
        def baseline = new AtomicLong(-1)
        def worker = Thread.start {
            long until = bean.currentThreadCpuTime + Duration.ofMillis(150).toNanos()
            while (bean.currentThreadCpuTime < until) { }
            baseline.set(bean.currentThreadCpuTime)
            waiting.await()
        }
        while (baseline.get() < 0 && worker.alive) Thread.onSpinWait()

        when:
        def budget = new CompileBudget(worker, Duration.ofMillis(100), Duration.ofSeconds(30), System.nanoTime(),
                baseline.get())

        then: 'the 150 ms spent before the baseline do not spend a 100 ms budget'
        !budget.spent(System.nanoTime())

        cleanup:
        waiting.countDown()
    }

    def "the default evaluation limit is five seconds of CPU with a wall-clock net twelve times that"() {
        expect:
        GroovyLimits.DEFAULTS.timeout() == Duration.ofSeconds(5)
        GroovyLimits.DEFAULTS.evaluationWallLimit() == Duration.ofSeconds(60)
    }
}

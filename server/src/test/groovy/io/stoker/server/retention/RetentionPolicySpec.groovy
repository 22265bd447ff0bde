package io.stoker.server.retention

import spock.lang.Specification

import java.time.Duration
import java.time.Instant

/** Which finished runs a policy discards: by count, by age, either; never a job's newest run. */
class RetentionPolicySpec extends Specification {
    static final Instant NOW = Instant.parse('2026-11-25T12:00:00Z')

    /** Finished runs #n…#1, newest first, #k finished k days ago… reversed: the newest (highest) is the most recent. */
    static List<FinishedRun> runs(int n) {
        (n..1).collect { int i -> new FinishedRun("run-$i", i, NOW.minus(Duration.ofDays(n - i))) }
    }

    def "#policy discards #discarded"() {
        expect:
        policy.discard(runs(5), 5, NOW) == discarded

        where:
        policy                                          | discarded
        RetentionPolicy.KEEP_ALL                        | []
        new RetentionPolicy(2, null)                    | ['run-3', 'run-2', 'run-1']
        new RetentionPolicy(0, Duration.ofDays(2))      | ['run-2', 'run-1']
        new RetentionPolicy(4, Duration.ofDays(3))      | ['run-1']
        new RetentionPolicy(1, Duration.ofDays(30))     | ['run-4', 'run-3', 'run-2', 'run-1']
    }

    def "a job's newest run stays even when every rule would discard it (its numbers never start again)"() {
        given: 'the newest run (#6) is still running; #5, the newest finished, is old'
        def finished = [new FinishedRun('old', 5, NOW.minus(Duration.ofDays(90)))]

        expect:
        new RetentionPolicy(0, Duration.ofDays(1)).discard(finished, 6, NOW) == ['old']
        new RetentionPolicy(0, Duration.ofDays(1)).discard(finished, 5, NOW) == []
    }

    def "the environment sets it; a value that is not a count is a start error naming the variable"() {
        expect:
        RetentionPolicy.fromEnv([:]) == RetentionPolicy.KEEP_ALL
        RetentionPolicy.fromEnv([STOKER_KEEP_RUNS: '20', STOKER_KEEP_RUNS_DAYS: '30']) == new RetentionPolicy(20, Duration.ofDays(30))

        when:
        RetentionPolicy.fromEnv([STOKER_KEEP_RUNS: '0'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "STOKER_KEEP_RUNS must be a whole number from 1 (unset: keep all), not '0'"
    }
}

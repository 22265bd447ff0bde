package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/**
 * A timeout written as text ({@code timeout '30m'}, YAML {@code timeout: 1h 30m}), as GitLab writes one and as
 * approval timeouts are written here, besides {@code timeout minutes: 30}.
 */
class TimeoutTextSpec extends Specification {
    def compiler = new JobfileCompiler()

    def "a task's and a job's timeout may be text in every syntax"() {
        when:
        def result = compiler.compile(file, text)

        then:
        result instanceof CompileResult.Compiled
        def job = result.jobfile().jobs()[0]
        job.timeoutMillis() == 2 * 3_600_000
        job.tasks()[0].timeoutMillis() == 90 * 60_000

        where:
        file           | text
        'Jobfile'      | "job('a') {\n  timeout '2h'\n  task('t') { timeout '1h30m'; sh 'x' }\n}\n"
        'Jobfile.yaml' | "jobs:\n  a:\n    timeout: 2h\n    tasks:\n      t: {timeout: 1h 30m, sh: x}\n"
        'Jobfile.json' | '{"jobs": {"a": {"timeout": "120m", "tasks": {"t": {"timeout": "5400s", "sh": "x"}}}}}'
    }

    def "text that is no duration is an error at its line and column, saying what a duration looks like"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == [message]

        where:
        file           | text                                                     || message
        'Jobfile'      | "job('a') {\n  task('t') { timeout '5 min'; sh 'x' }\n}\n" || "Jobfile:2:15: timeout '5 min': takes a duration like '30m', '1h30m' or '90s' (or timeout minutes: 30)"
        'Jobfile'      | "job('a') {\n  task('t') { timeout '0s'; sh 'x' }\n}\n"    || "Jobfile:2:15: timeout '0s': takes a duration like '30m', '1h30m' or '90s' (or timeout minutes: 30)"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      t: {timeout: soon, sh: x}\n"   || "Jobfile.yaml:4:20: timeout 'soon' must be a duration like 30m, 1h30m or 90s, or a map like {minutes: 30}"
    }

    def "a duration too long to be a timeout is told the longest there is, not what a duration looks like"() {
        expect:
        compiler.compile(file, text).diagnostics()*.toString() == [message]

        where:
        file           | text                                                                      || message
        'Jobfile'      | "job('a') {\n  task('t') { timeout '99999999999999999h'; sh 'x' }\n}\n"    || "Jobfile:2:15: timeout '99999999999999999h' is too long: at most 999999h"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      t: {timeout: 99999999999999999h, sh: x}\n" || "Jobfile.yaml:4:20: timeout '99999999999999999h' is too long: at most 999999h"
        'Jobfile.json' | '{"jobs": {"a": {"tasks": {"t": {"timeout": "1000000h", "sh": "x"}}}}}'   || "Jobfile.json:1:44: timeout '1000000h' is too long: at most 999999h"
    }

    def "a number of more than 40 digits is no duration: a hostile Jobfile's long run of digits is not read as one"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  a:\n    tasks:\n      t: {timeout: ${'9' * digits}h, sh: x}\n")
                .diagnostics()*.toString()*.contains(toldTooLong ? 'is too long' : 'must be a duration') == [true]

        where:
        digits || toldTooLong
        40     || true
        41     || false
    }

    def "the longest timeout text says is taken"() {
        expect:
        compiler.compile('Jobfile.yaml', "jobs:\n  a:\n    tasks:\n      t: {timeout: 999999h, sh: x}\n")
                .jobfile().jobs()[0].tasks()[0].timeoutMillis() == 999_999L * 3_600_000L
    }
}

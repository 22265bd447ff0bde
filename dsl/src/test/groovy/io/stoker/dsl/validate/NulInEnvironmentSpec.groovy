package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.Specification

/**
 * A value that becomes an environment variable of a task cannot hold U+0000: no process environment can. The
 * Jobfile is refused where the value is, instead of validating and then failing each task at its start.
 */
class NulInEnvironmentSpec extends Specification {

    static final String HOLDS = "a NUL character (\\u0000), which no environment variable can hold"

    def "a NUL character in #what is refused at its line and column"() {
        when:
        def result = new JobfileCompiler().compile(file, text)

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.error }*.toString() == [problem]

        where:
        what                        | file           | text                                                                                   || problem
        "a job's env value"         | 'Jobfile'      | "job('a') {\n  env A: 'x\\u0000y'\n  task('t') { sh 'true' }\n}"                      || "Jobfile:2:3: environment variable 'A' holds $HOLDS"
        "a task's env value (YAML)" | 'Jobfile.yaml' | 'jobs:\n  a:\n    tasks:\n      t: {sh: "true", env: {A: "x\\0y"}}\n'                 || "Jobfile.yaml:4:32: environment variable 'A' holds $HOLDS"
        'a matrix value'            | 'Jobfile'      | "job('a') {\n  task('t') { matrix os: ['a\\u0000b']; sh 'true' }\n}"                 || "Jobfile:2:15: a value of matrix axis 'os' holds $HOLDS"
        "a parameter's default"     | 'Jobfile'      | "job('a') {\n  parameters { string 'P', defaultValue: 'a\\u0000b' }\n  task('t') { sh 'echo \$P' }\n}" || "Jobfile:2:16: parameter 'P' has a value with $HOLDS"
    }
}

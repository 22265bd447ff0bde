package io.stoker.dsl.validate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.draft.JobfileDraft
import spock.lang.Specification

import static io.stoker.dsl.validate.Drafts.*

class ValidatorExpressionSpec extends Specification {

    def validator = new JobfileValidator()

    /** The warning for free-text parameter $P pasted into a script whose step is on line $LINE. */
    static final String PASTED = 'Jobfile:$LINE:5: warning: parameter \'$P\' is pasted into the shell script as it is, so a' +
            ' value with a quote, \';\' or \'$( )\' in it runs as shell code; read it as "$$P" (parameters are also' +
            ' environment variables)'

    List<String> problems(JobfileDraft draft) {
        def result = validator.validate(draft)
        assert result instanceof CompileResult.Rejected
        result.diagnostics().findAll { it.error }*.toString()  // warnings have their own features
    }

    def "expressions reading declared names compile"() {
        when:
        def result = validator.validate(file(job('web', 1,
                task('version', 2, sh: 'echo version=1 >> "$STOKER_OUTPUT"'),
                task('test', 4, matrix: [jdk: ['17', '21']], sh: 'echo ${{ matrix.jdk }}'),
                task('build', 6, needs: ['version', 'test'], secrets: ['TOKEN'],
                        when: 'params.DEPLOY && run.branch == "main"',
                        env: [V: '${{ outputs.version.version }}'],
                        sh: 'echo ${{ outputs["test[jdk=17]"].x }} ${{ secrets.TOKEN }} ${{ env.HOME }} ${{ params.NAME }}'),
                params: [param('bool', 'DEPLOY', 2, false), param('string', 'NAME', 3)])))

        then: 'only the free-text parameter pasted into the script is worth a warning'
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [PASTED.replace('$LINE', '7').replace('$P', 'NAME')]
    }

    def "a malformed when is an error at the element"() {
        expect:
        problems(file(job('web', 1, task('a', 2, when: 'params.X &&'), params: [param('bool', 'X', 1)])))
                .every { it.startsWith('Jobfile:2:15: malformed when condition \'params.X &&\': ') }
    }

    def "a malformed template in the third line of a script points at that line and column"() {
        when:
        def found = problems(file(job('web', 1, task('a', 2, sh: 'echo one\necho two\necho ${{ params. }}'))))

        then:
        found.size() == 1
        found[0].startsWith('Jobfile:5:17: malformed ${{ }} in sh script: ')
    }

    def "references must name declared parameters, axes, secrets and run properties"() {
        expect:
        problems(file(job('web', 1,
                task('a', 2, sh: 'echo ${{ params.NAEM }}\necho ${{ matrix.jdk }}\necho ${{ secrets.TOKEN }}\necho ${{ run.brnch }}'),
                task('m', 8, matrix: [jdk: ['17']], sh: 'echo ${{ matrix.jkd }}'),
                params: [param('string', 'NAME', 1)]))) == [
                "Jobfile:3:5: unknown parameter 'params.NAEM' — did you mean 'NAME'?",
                "Jobfile:4:10: 'matrix.jdk' is only known inside a matrix task",
                "Jobfile:5:10: secret 'TOKEN' is not declared — add it to the job's or task's secrets",
                "Jobfile:6:10: unknown run property 'run.brnch' (known: branch, commit, number, key, trigger, job, project, pr, targetBranch, tag) — did you mean 'branch'?",
                "Jobfile:9:5: task 'm' has no matrix axis 'jkd' — did you mean 'jdk'?"]
    }

    def "outputs may be read only from tasks that certainly finished before"() {
        expect:
        problems(file(job('web', 1,
                task('version', 2),
                task('gen', 4, needs: 'version'),
                task('build', 6, sh: 'echo ${{ outputs.version.v }}'),
                task('sum', 8, input: 'gen', when: 'outputs.gen.n == "1"', env: [V: '${{ outputs.version.v }}']),
                task('self', 10, sh: 'echo ${{ outputs.self.x }}'),
                task('far', 12, needs: 'gen', sh: 'echo ${{ outputs.version.v }} ${{ outputs.nope.v }}')))) == [
                "Jobfile:7:5: task 'build' reads outputs of 'version' but does not need it",
                "Jobfile:8:15: task 'sum' reads outputs of 'gen' but does not need it (a pipe writer runs at the same time)",
                "Jobfile:11:5: task 'self' reads its own outputs",
                "Jobfile:13:5: task 'far' reads outputs of unknown task 'nope'"]
    }

    def "outputs of a matrix must name a cell"() {
        expect:
        problems(file(job('web', 1,
                task('test', 2, matrix: [jdk: ['17', '21'], db: ['h2']]),
                task('report', 4, needs: 'test', sh: 'echo ${{ outputs.test.k }}\necho ${{ outputs["test[jdk=18,db=h2]"].k }}')))) == [
                "Jobfile:5:5: 'test' is a matrix: name a cell, e.g. outputs['test[jdk=17,db=h2]'].k",
                "Jobfile:6:10: unknown cell 'test[jdk=18,db=h2]' in outputs — did you mean 'test[jdk=17,db=h2]'?"]
    }

    def "job env cannot read outputs; after-trigger parameters must be declared"() {
        expect:
        problems(file(job('web', 1, task('a', 2), env: [X: '${{ outputs.a.k }}'],
                after: [[job: 'other', parameters: [NAEM: '${{ run.number }}']]],
                params: [param('string', 'NAME', 1)]), job('other', 20, task('o', 21)))) == [
                "Jobfile:1:30: outputs are only known inside a task (its when, sh and env) and in an after trigger's parameters",
                "Jobfile:1:36: after trigger sets unknown parameter 'NAEM' of job 'web' — did you mean 'NAME'?"]
    }

    def "an after trigger's parameters read the outputs of the upstream job's tasks"() {
        expect: 'a task of the upstream job, which is one of this Jobfile'
        validator.validate(file(job('build', 1, task('version', 2)),
                job('deploy', 10, task('a', 11), params: [param('string', 'V', 10)],
                        after: [[job: 'build', parameters: [V: '${{ outputs.version.v }}']]]))) instanceof CompileResult.Compiled

        and: 'a task the upstream job lacks is named, with the one it has'
        problems(file(job('build', 1, task('version', 2)),
                job('deploy', 10, task('a', 11), params: [param('string', 'V', 10)],
                        after: [[job: 'build', parameters: [V: '${{ outputs.verison.v }}']]]))) == [
                "Jobfile:10:36: after trigger reads outputs of unknown task 'verison' of job 'build' — did you mean 'version'?"]
    }

    def "a when that is always false is a warning, not an error"() {
        when:
        def result = validator.validate(file(job('web', 1, task('a', 2, when: 'false'), task('b', 4, when: 'always()'))))

        then:
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == ["Jobfile:2:15: warning: task 'a' never runs: its when condition is always false"]
    }

    def "a when that needs cancelled() is a warning: after a cancel no task starts"() {
        when:
        def result = validator.validate(file(job('web', 1, task('a', 2, when: 'cancelled()'),
                task('b', 4, when: 'failure() || cancelled()'), task('c', 6, when: "cancelled() && params.X == 'y'"),
                params: [param('string', 'X', 8)])))

        then: 'only the conditions that cannot hold at any start are named'
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [
                "Jobfile:2:15: warning: task 'a' never runs: its when condition needs cancelled(), which is true only once the run is being cancelled, and then no task starts (use failure() or always() for a task that cleans up)",
                "Jobfile:6:15: warning: task 'c' never runs: its when condition needs cancelled(), which is true only once the run is being cancelled, and then no task starts (use failure() or always() for a task that cleans up)"]
    }

    def "a parameter read neither as an expression nor as a variable is a warning"() {
        when:
        def result = validator.validate(file(job('web', 1, task('a', 5, sh: 'echo $USED ${BRACED} ${{ params.EXPR }}'),
                params: [param('string', 'USED', 2), param('string', 'BRACED', 3), param('string', 'EXPR', 4),
                         param('bool', 'IDLE', 4), param('string', 'USEDX', 4)])))

        then:
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [
                'Jobfile:4:5: warning: parameter \'IDLE\' is never used — read it as ${{ params.IDLE }} or $IDLE',
                'Jobfile:4:5: warning: parameter \'USEDX\' is never used — read it as ${{ params.USEDX }} or $USEDX',
                PASTED.replace('$LINE', '6').replace('$P', 'EXPR')]
    }

    def "a step reading a MATRIX_ variable that no axis of its task sets is a warning, with the closest name"() {
        when:
        def result = validator.validate(file(job('web', 1,
                task('test', 2, matrix: [jdk: ['17', '21'], 'node-version': ['20']],
                        sh: 'echo $MATRIX_JDK ${MATRIX_NODE_VERSION} $MATRIX_JKD $MATRIX_JKD'),
                task('lint', 4, sh: 'echo $MATRIX_JDK'),
                task('own', 6, env: [MATRIX_MODE: 'fast'], sh: 'echo $MATRIX_MODE'))))

        then: 'each unknown name once per task, at its step; a name the env sets is the Jobfile\'s own'
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [
                "Jobfile:3:5: warning: \$MATRIX_JKD is not set in task 'test': no axis of its matrix sets it — did you mean \$MATRIX_JDK? (its axes set \$MATRIX_JDK, \$MATRIX_NODE_VERSION)",
                "Jobfile:5:5: warning: \$MATRIX_JDK is not set in task 'lint': it has no matrix (a matrix axis sets one: jdk sets \$MATRIX_JDK)"]
    }

    def "a free-text parameter pasted into a shell script is a warning: its value would run as shell code"() {
        when:
        def result = validator.validate(file(job('web', 1,
                task('a', 5, sh: 'echo "hello ${{ params.NAME }}"; echo ${{ params.NAME }} ${{ params.ENV }}'),
                task('b', 6, sh: 'echo "$NAME" ${{ params.DEPLOY }}', env: [GREETING: 'hi ${{ params.NAME }}']),
                params: [param('string', 'NAME', 2), param('choice', 'ENV', 3, null, ['a', 'b']), param('bool', 'DEPLOY', 4, false)])))

        then: 'once per parameter, at its first ${{ }}; choices, bools, the environment and env values are left alone'
        result instanceof CompileResult.Compiled
        result.diagnostics()*.toString() == [PASTED.replace('$LINE', '6').replace('$P', 'NAME')]
    }
}

package io.stoker.dsl.approval

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.Approval
import spock.lang.Shared
import spock.lang.Specification

/** Approval gates through the Groovy DSL, YAML and JSON front ends and the validator. */
class ApprovalGateSpec extends Specification {

    @Shared
    JobfileCompiler compiler = new JobfileCompiler()

    Approval gate(String file, String text, String task = 'ship') {
        def result = compiler.compile(file, text)
        assert result instanceof CompileResult.Compiled: result.diagnostics()*.toString()
        result.jobfile().jobs()[0].task(task).get().approval()
    }

    List<String> errors(String file = 'Jobfile', String text) {
        compiler.compile(file, text).diagnostics().findAll { it.error }*.toString()
    }

    def "the Groovy DSL declares a question, its approvers and a timeout"() {
        expect:
        gate('Jobfile', '''\
job('deploy') {
  task('build') { sh 'true' }
  task('ship') { needs 'build'; approval 'Deploy to prod?', approvers: ['alice', 'admin'], timeout: '1h30m'; sh 'true' }
}''') == new Approval('Deploy to prod?', ['alice', 'admin'], 90 * 60_000L)
    }

    def "without approvers anyone who may change the run decides, and the gate waits 24 hours"() {
        expect:
        gate('Jobfile', '''\
job('deploy') {
  task('ship') { approval 'Go?'; sh 'true' }
}''') == new Approval('Go?', [], Approval.DEFAULT_TIMEOUT_MILLIS)
    }

    def "YAML and JSON write the gate as a map, or just its question"() {
        expect:
        gate('Jobfile.yaml', '''\
jobs:
  deploy:
    tasks:
      ship:
        approval: {question: 'Deploy to prod?', approvers: [release-managers], timeout: 2h}
        sh: 'true'
''') == new Approval('Deploy to prod?', ['release-managers'], 2 * 3_600_000L)
        gate('Jobfile.json', '{"jobs": {"deploy": {"tasks": {"ship": {"approval": "Go?", "sh": "true"}}}}}') ==
                new Approval('Go?', [], Approval.DEFAULT_TIMEOUT_MILLIS)
    }

    def "a bad gate is an error at its line and column: #why"() {
        expect:
        errors(file, text).any { it.contains(where) && it.contains(message) }

        where:
        why                   | file           | text                                                                                       | where   | message
        'no question'         | 'Jobfile'      | "job('j') {\n  task('t') { approval approvers: ['a']; sh 'x' }\n}"                         | ':2:'   | "approval needs a question"
        'blank question'      | 'Jobfile'      | "job('j') {\n  task('t') { approval '  '; sh 'x' }\n}"                                      | ':2:15' | "needs a question"
        'unknown option'      | 'Jobfile'      | "job('j') {\n  task('t') { approval 'Go?', approver: ['a']; sh 'x' }\n}"                  | ':2:'   | "unknown option 'approver' for approval — did you mean"
        'bad timeout'         | 'Jobfile'      | "job('j') {\n  task('t') { approval 'Go?', timeout: '2 days'; sh 'x' }\n}"                | ':2:'   | "timeout '2 days' must be a positive duration"
        'zero timeout'        | 'Jobfile'      | "job('j') {\n  task('t') { approval 'Go?', timeout: '0m'; sh 'x' }\n}"                    | ':2:'   | "must be a positive duration"
        'bad approver'        | 'Jobfile'      | "job('j') {\n  task('t') { approval 'Go?', approvers: ['a b']; sh 'x' }\n}"               | ':2:'   | "approver 'a b' is not a user or role name"
        'two gates'           | 'Jobfile'      | "job('j') {\n  task('t') {\n    approval 'A?'\n    approval 'B?'\n    sh 'x'\n  }\n}"      | ':4:5'  | "has an approval already"
        'gate in a pipe'      | 'Jobfile'      | "job('j') {\n  task('w') { sh 'x' }\n  task('r') { input from: 'w'; approval 'Go?'; sh 'y' }\n}" | ':3:' | "a task joined by input cannot wait for approval"
        'YAML unknown key'    | 'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        approval: {question: 'Go?', who: [a]}\n        sh: x\n" | ':5:37' | "unknown key 'who' in approval"
        'YAML no question'    | 'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        approval: {approvers: [a]}\n        sh: x\n"   | ':5:19' | "approval needs a question"
        'YAML bad timeout'    | 'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        approval: {question: 'Go?', timeout: soon}\n        sh: x\n" | ':5:' | "timeout 'soon' must be a positive duration"
    }

    def "the question's templates are checked as a step's are, in both syntaxes: #why"() {
        expect:
        errors(file, text) == [message]

        where:
        why                  | file           | text | message
        'unknown parameter'  | 'Jobfile'      | "job('j') {\n  parameters { choice 'TARGET', choices: ['a'] }\n  task('t') { approval 'To \${{ params.TARGTE }}?'; sh 'x \$TARGET' }\n}" | "Jobfile:3:15: unknown parameter 'params.TARGTE' — did you mean 'TARGET'?"
        'output not upstream'| 'Jobfile'      | "job('j') {\n  task('b') { sh 'x' }\n  task('t') { approval 'Ship \${{ outputs.b.v }}?'; sh 'x' }\n}" | "Jobfile:3:15: task 't' reads outputs of 'b' but does not need it"
        'YAML unknown param' | 'Jobfile.yaml' | "jobs:\n  j:\n    tasks:\n      t:\n        approval: 'To \${{ params.X }}?'\n        sh: x\n" | "Jobfile.yaml:5:19: unknown parameter 'params.X'"
    }

    def "a parameter read only by a question is used: no warning says otherwise"() {
        expect:
        compiler.compile('Jobfile', "job('j') {\n  parameters { choice 'TARGET', choices: ['a'] }\n"
                + "  task('t') { approval 'Deploy to \${{ params.TARGET }}?'; sh 'x' }\n}").diagnostics().isEmpty()
    }
}

package io.stoker.dsl.deploy

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.model.DeployTarget
import io.stoker.model.Pos
import spock.lang.Specification

/** {@code deploy('name') { … }} targets in the three syntaxes, and what validation says about them. */
class DeployTargetSpec extends Specification {
    static final String JOB = "job('app') { task('t') { sh 'x' } }\n"
    static final String YAML_JOB = "jobs: {app: {tasks: {t: {sh: x}}}}\n"
    def compiler = new JobfileCompiler()

    def "a deploy target in Groovy becomes a record with everything it said and where"() {
        when:
        def result = compiler.compile('Jobfile', '''\
job('app') {
  publish()
  task('build') { sh 'make' }
}
deploy('staging') {
  agent 'web-1'
  run 'java -jar {file}'
  file 'app-*.jar'
  healthcheck 'curl -fsS localhost:8081/health', within: 30
}
deploy('batch') { run './import.sh' }
''')

        then:
        result instanceof CompileResult.Compiled
        result.jobfile().targets() == [
                new DeployTarget('staging', 'web-1', 'java -jar {file}', 'app-*.jar', 'curl -fsS localhost:8081/health', 30, new Pos(5, 1)),
                new DeployTarget('batch', null, './import.sh', null, null, DeployTarget.DEFAULT_WITHIN_SECONDS, new Pos(11, 1))]
        result.jobfile().target('staging').get().isService()
        !result.jobfile().target('batch').get().isService()
    }

    def "a healthcheck without a window waits the default 60 seconds"() {
        expect:
        compiler.compile('Jobfile', "deploy('web') { run 'x'; healthcheck 'true' }\n" + JOB)
                .jobfile().targets()[0].withinSeconds() == 60
    }

    def "YAML and JSON say the same"() {
        given:
        def expected = new DeployTarget('staging', 'linux && web', 'java -jar {file}', 'app-*.jar', 'curl -fsS x', 20, Pos.NONE)

        expect:
        compiler.compile('Jobfile.yaml', '''\
jobs:
  app:
    tasks: {build: {sh: make}}
deploy:
  staging:
    agent: linux && web
    run: java -jar {file}
    file: app-*.jar
    healthcheck: curl -fsS x
    within: 20
''').jobfile().targets()[0].with { new DeployTarget(it.name(), it.agent(), it.run(), it.file(), it.healthcheck(), it.withinSeconds(), Pos.NONE) } == expected
        compiler.compile('Jobfile.json', '{"jobs": {"app": {"tasks": {"t": {"sh": "x"}}}}, "deploy": {"staging": '
                + '{"agent": "linux && web", "run": "java -jar {file}", "file": "app-*.jar", "healthcheck": "curl -fsS x", "within": 20}}}')
                .jobfile().targets()[0].with { new DeployTarget(it.name(), it.agent(), it.run(), it.file(), it.healthcheck(), it.withinSeconds(), Pos.NONE) } == expected
    }

    def "mistakes are reported at their line and column"() {
        expect:
        compiler.compile(file, text + (file == 'Jobfile' ? JOB : YAML_JOB)).diagnostics()*.toString() == messages

        where:
        file           | text                                                                                || messages
        'Jobfile'      | "deploy('web') {\n  file 'app-*.jar'\n}\n"                                          || ["Jobfile:1:1: deploy target 'web' needs a command: run 'java -jar {file}'"]
        'Jobfile'      | "deploy('web') {\n  run 'java -jar {file}'\n}\n"                                    || ["Jobfile:2:3: deploy target 'web' runs {file} but names no file: add file 'app-*.jar'"]
        'Jobfile'      | "deploy('web') {\n  run 'x'\n  healthcheck 'true', within: 0\n}\n"                  || ["Jobfile:3:3: deploy target 'web' healthcheck within: must be 1 to 3600 seconds, got 0"]
        'Jobfile'      | "deploy('web') {\n  run 'x'\n  healthcheck 'true', witin: 5\n}\n"                   || ["Jobfile:3:3: unknown option 'witin' for healthcheck — did you mean 'within'? (known: within)"]
        'Jobfile'      | "deploy('web') {\n  run 'x'\n  healthcheck 'true', within: '5'\n}\n"                || ["Jobfile:3:3: healthcheck within: takes a whole number of seconds, not text"]
        'Jobfile'      | "deploy('web') {\n  run 'x'\n  agent 'a &&'\n}\n"                                   || ["Jobfile:3:3: agent of deploy target 'web': expected a label, '!' or '(' but the expression ended at column 5 of 'a &&'"]
        'Jobfile'      | "deploy('web') { run 'x' }\ndeploy('web') { run 'y' }\n"                            || ["Jobfile:2:1: deploy target 'web' is declared twice"]
        'Jobfile'      | "deploy('../web') { run 'x' }\n"                                                    || ["Jobfile:1:1: deploy target name '../web' must start with a letter or digit and hold only letters, digits, '.', '_', '-' (at most 64)"]
        'Jobfile'      | "deploy('web') {\n  run 'x'\n  restart true\n}\n"                                   || ["Jobfile:3:3: unknown word 'restart' in deploy"]
        'Jobfile.yaml' | "deploy:\n  web:\n    run: x\n    within: 5\n"                                      || ["Jobfile.yaml:4:13: deploy target 'web' has a healthcheck window (within) but no healthcheck"]
        'Jobfile.yaml' | "deploy:\n  web:\n    run: x\n    restart: true\n"                                  || ["Jobfile.yaml:4:5: unknown key 'restart' in deploy target 'web' (known: agent, run, file, healthcheck, within)"]
    }

    def "a deploy command's or healthcheck's templates are checked like a task's sh, at its line and column"() {
        expect:
        compiler.compile('Jobfile', text + JOB).diagnostics()*.toString() == messages

        where:
        text                                                                                       || messages
        "deploy('oneshot') {\n  run 'echo \"foo=\${{ foo.bar }}\"'\n}\n"                          || ["Jobfile:2:3: malformed \${{ }} in deploy target 'oneshot' run: unknown name 'foo': use params., env., outputs., run., matrix. or secrets."]
        "deploy('web') {\n  run 'x'\n  healthcheck 'curl \${{ run.brnch }}'\n}\n"                  || ["Jobfile:3:3: unknown run property 'run.brnch' (known: branch, commit, number, key, trigger, job, project, pr, targetBranch, tag) — did you mean 'branch'?"]
        "deploy('web') {\n  run 'echo \"deploying with \${{ secrets.DEPLOY_TOKEN }}\"'\n}\n"       || ["Jobfile:2:3: secrets are not available in deploy commands: 'secrets.DEPLOY_TOKEN' would be empty when the target runs; keep what the service needs on the target itself"]
        "deploy('web') {\n  run 'echo \${{ outputs.build.v }}'\n}\n"                              || ["Jobfile:2:3: outputs are only known inside a task (its when, sh and env) and in an after trigger's parameters"]
        "deploy('web') {\n  run 'echo \${{ run.branch }} \${{ env.HOME }}'\n}\n"                   || []
    }
}

package io.stoker.server

import org.eclipse.jgit.api.Git
import spock.lang.Shared
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

/**
 * The {@code trigger} step on a real server: the triggered job is queued as an {@code upstream} run of the same
 * project (or {@code project/job}), the waiting task follows it to its end, and a cancel travels down the chain.
 */
@Timeout(120)
class JobTriggerStepSpec extends ServerSpecification {
    @Shared Path gates

    def setupSpec() {
        gates = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-gates'))
    }

    /** A deploy job that waits (at most 60 s) for a gate file the spec creates, then fails when asked to. */
    static String deploy(Path gate) {
        """
job('deploy') {
  parameters { string 'VERSION'; bool 'BREAK', defaultValue: false }
  task('ship') {
    sh 'i=0; while [ ! -e "$gate" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i+1)); done; echo "ship \$VERSION"; test "\$BREAK" = false'
  }
}"""
    }

    Path gate(String name, boolean open) {
        Path p = gates.resolve(name)
        if (open) Files.createFile(p)
        p
    }

    List<Map> runsOf(String project, String job) {
        http.get("/runs?project=$project&job=$job").json.runs as List<Map>
    }


    def "a waiting trigger queues an upstream run with the rendered parameters and succeeds when it succeeds"() {
        given:
        freestyle('tw', """
job('build') {
  task('version') { sh 'echo "v=1.2.3" >> "\$STOKER_OUTPUT"' }
  task('publish') {
    needs 'version'
    trigger 'deploy', parameters: [VERSION: '\${{ outputs.version.v }}']
  }
}""" + deploy(gate('tw', true)))

        when:
        String build = trigger('tw', 'build')
        def run = awaitEnd(build)

        then:
        run.status == 'succeeded'
        def deploys = runsOf('tw', 'deploy')
        deploys.size() == 1
        def d = http.get("/runs/${deploys[0].key}").json
        d.status == 'succeeded'
        d.trigger == 'upstream'
        d.parameters.VERSION == '1.2.3'
        d.metadata.upstream.run == build
        d.metadata.upstream.project == 'tw'
        d.metadata.upstream.job == 'build'
        d.metadata.upstream.task == 'publish'
        d.metadata.upstream.chain == 1
        log(d.key as String, 'ship').contains('ship 1.2.3')
        log(build, 'publish').contains("triggered deploy run ${d.key}")
        log(build, 'publish').contains("deploy run ${d.key} succeeded")
    }

    def "a triggered run that fails fails the waiting task and the run"() {
        given:
        freestyle('tf', """
job('build') {
  task('publish') { trigger 'deploy', parameters: [VERSION: '2', BREAK: 'true'] }
  task('after') { needs 'publish'; sh 'echo never' }
}""" + deploy(gate('tf', true)))

        when:
        def run = awaitEnd(trigger('tf', 'build'))

        then:
        run.status == 'failed'
        def d = runsOf('tf', 'deploy')[0]
        d.status == 'failed'
        run.tasks.publish.status == 'failed'
        run.tasks.publish.reason == "triggered run ${d.key} of 'deploy' failed"
        run.tasks.after.status == 'skipped'
        log(run.key as String, 'publish').contains("deploy run ${d.key} failed")
    }

    def "without wait the task goes on at once while the triggered run is still going"() {
        given:
        Path gate = gate('tn', false)
        freestyle('tn', """
job('build') {
  task('publish') { trigger 'deploy', parameters: [VERSION: '3'], wait: false }
}""" + deploy(gate))

        when:
        def run = awaitEnd(trigger('tn', 'build'))

        then: 'build is done while deploy still waits for its gate'
        run.status == 'succeeded'
        def d = runsOf('tn', 'deploy')[0]
        http.get("/runs/${d.key}").json.status in ['queued', 'running']
        http.get("/runs/${d.key}").json.metadata.upstream.wait == false

        when:
        Files.createFile(gate)

        then:
        awaitEnd(d.key as String).status == 'succeeded'
    }

    def "cancelling the triggering run cancels the run it waits for"() {
        given:
        freestyle('tc', """
job('build') {
  task('publish') { trigger 'deploy', parameters: [VERSION: '4'] }
}""" + deploy(gate('tc', false)))
        String build = trigger('tc', 'build')
        Map d = Http.eventually { runsOf('tc', 'deploy').find { it.status == 'running' } }

        when:
        def reply = http.delete("/runs/$build")

        then:
        reply.status == 202
        awaitEnd(build).status == 'cancelled'
        awaitEnd(d.key as String).status == 'cancelled'
    }

    def "a bad parameter and a cycle each fail the step with a clear log line"() {
        given:
        freestyle('tu', """
job('bad') { task('t') { trigger 'deploy', parameters: [BREAK: 'maybe'] } }
job('a') { task('t') { trigger 'b' } }
job('b') { task('u') { trigger 'a' } }""" + deploy(gate('tu', true)))

        when:
        def bad = awaitEnd(trigger('tu', 'bad'))
        def a = awaitEnd(trigger('tu', 'a'))

        then:
        bad.status == 'failed'
        log(bad.key as String, 't').contains("cannot trigger deploy: invalid parameters for job 'deploy': ")
        runsOf('tu', 'deploy').isEmpty()
        a.status == 'failed'
        def b = runsOf('tu', 'b')[0]
        b.status == 'failed'
        log(b.key as String, 'u').contains("cannot trigger a: job 'a' is already in this chain of triggered runs (a → b → a)")
        runsOf('tu', 'a').size() == 1
    }

    def "a job of another project is addressed as project/job and runs there, once that project accepts it"() {
        given:
        freestyle('tp-target', deploy(gate('tp', true)))
        freestyle('tp', """
job('build') { task('t') { trigger 'tp-target/deploy', parameters: [VERSION: '5'] } }
job('lost') { task('t') { trigger 'tp-none/deploy' } }""")

        when: 'the target has not said it accepts trigger steps from tp'
        def refused = awaitEnd(trigger('tp', 'build'))

        then: 'the step fails with the sentence that names the setting, and nothing runs there'
        refused.status == 'failed'
        log(refused.key as String, 't').contains("cannot trigger tp-target/deploy: project 'tp-target' does not accept "
                + "trigger steps from project 'tp': a member of 'tp-target' allows it with PUT "
                + '/api/v1/projects/tp-target/trigger-access {"from": ["tp"]}')
        runsOf('tp-target', 'deploy').isEmpty()

        when: 'it does'
        def allowed = http.put('/projects/tp-target/trigger-access', [from: ['tp']])
        def run = awaitEnd(trigger('tp', 'build'))
        def lost = awaitEnd(trigger('tp', 'lost'))

        then:
        allowed.status == 200
        allowed.json.from == ['tp']
        http.get('/projects/tp-target/trigger-access').json.from == ['tp']
        run.status == 'succeeded'
        def d = runsOf('tp-target', 'deploy')[0]
        d.status == 'succeeded'
        http.get("/runs/${d.key}").json.metadata.upstream.project == 'tp'
        lost.status == 'failed'
        log(lost.key as String, 't').contains("cannot trigger tp-none/deploy: no project 'tp-none'")

        and: 'a malformed setting is a 400 naming the field, and keeps the one stored'
        http.put('/projects/tp-target/trigger-access', [from: 'tp']).with { status == 400 && json.message.contains('from') }
        http.put('/projects/tp-target/trigger-access', [from: ['no such!']]).with { status == 400 && json.message.contains("'from'") }
        http.get('/projects/tp-target/trigger-access').json.from == ['tp']

        and: 'a name no project has is refused: whoever took it later would be trusted'
        http.put('/projects/tp-target/trigger-access', [from: ['tp', 'tp-later']]).with {
            status == 404 && json.message.contains("'from' names no project 'tp-later'") && json.details == ['field: from']
        }
        http.get('/projects/tp-target/trigger-access').json.from == ['tp']

        when: 'tp is deleted and a new project takes its name'
        freestyle('tp-other', "job('j') {\n  task('t') { sh 'true' }\n}\n")
        assert http.put('/projects/tp-target/trigger-access', [from: ['tp', 'tp-other']]).status == 200
        assert http.delete('/projects/tp').status == 204

        then: 'the name left the list: the new tp is not trusted'
        http.get('/projects/tp-target/trigger-access').json.from == ['tp-other']
    }

    def "a triggered job whose concurrency is used up is queued, not refused as busy"() {
        given:
        Path gate = gate('tq', false)
        freestyle('tq', """
job('build') {
  task('t') {
    trigger 'deploy', parameters: [VERSION: 'a'], wait: false
    trigger 'deploy', parameters: [VERSION: 'b'], wait: false
  }
}""" + deploy(gate).replace("job('deploy') {", "job('deploy') {\n  concurrency 1"))

        when:
        def run = awaitEnd(trigger('tq', 'build'))

        then: 'both are there, one of them waiting in the queue'
        run.status == 'succeeded'
        Http.eventually { runsOf('tq', 'deploy')*.status.sort() == ['queued', 'running'] }

        when:
        Files.createFile(gate)

        then:
        runsOf('tq', 'deploy').collect { awaitEnd(it.key as String).status } == ['succeeded', 'succeeded']
    }

    def "in a git project the triggered job runs at the triggering run's commit and branch, not the branch head"() {
        given: 'a repository whose second commit changes the version'
        Path repo = dataDir.resolveSibling(dataDir.fileName.toString() + '-repo')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        Closure<String> commit = { String version ->
            Files.writeString(repo.resolve('VERSION'), version + '\n')
            Files.writeString(repo.resolve('Jobfile'), """
job('build') { task('t') { trigger 'deploy' } }
job('deploy') { task('ship') { sh 'echo "shipping \$(cat VERSION)"' } }
""")
            git.add().addFilepattern('.').call()
            git.commit().setMessage(version).setAuthor('spec', 'spec@example.org')
                    .setCommitter('spec', 'spec@example.org').setSign(false).call().name()
        }
        String first = commit('v1')
        assert http.post('/projects', [name: 'tg', gitUrl: repo.toUri().toString(), branch: 'main']).status == 201
        commit('v2')

        when: 'build runs at the first commit'
        def run = awaitEnd(trigger('tg', 'build', [ref: first]))

        then:
        run.status == 'succeeded'
        def d = http.get("/runs/${runsOf('tg', 'deploy')[0].key}").json
        d.commit == first
        d.branch == run.branch
        log(d.key as String, 'ship').contains('shipping v1')

        cleanup:
        git?.close()
    }
}

package io.stoker.server

/**
 * A trigger that names tasks ({@code "tasks": [...]}) runs them and what they need, as {@code stoker run --task}
 * does: the job's other tasks end skipped and the run publishes no version. The run keeps the selection while it
 * waits in the queue and when it is rerun.
 */
class TriggerTasksSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('ci') {
  parameters { string 'V', defaultValue: '0.0.0' }
  publish version: '${{ params.V }}'
  task('build') { sh 'echo built; echo "built" > built.txt'; artifacts 'built.txt' }
  task('lint') { sh 'echo linted' }
  task('test') { needs 'build'; sh 'test -f built.txt && echo tested' }
  task('deploy') { needs 'test'; sh 'echo deployed' }
}
job('single') {
  concurrency 1
  task('wait') { sh 'while [ ! -f "$GATE" ]; do sleep 0.05; done; echo released' }
  task('after') { needs 'wait'; sh 'echo after' }
  task('side') { sh 'echo side' }
}
'''

    def setupSpec() {
        // the gate is a file outside the workspace, so the spec releases the 'single' job's run
        freestyle('sel', JOBFILE.replace('$GATE', dataDir.resolve('gate').toString()))
    }

    def cleanup() {
        dataDir.resolve('gate').toFile().delete()
    }

    def "a run of a task runs it and what it needs; the job's other tasks end skipped and no version is published"() {
        when:
        String key = trigger('sel', 'ci', [parameters: [V: '1.0.0'], tasks: ['test']])
        def run = awaitEnd(key)

        then:
        run.status == 'succeeded'
        run.selectedTasks == ['test']
        run.tasks.collectEntries { name, t -> [name, t.status] } ==
                [build: 'succeeded', lint: 'skipped', test: 'succeeded', deploy: 'skipped']
        run.tasks.lint.reason == 'not selected for this run'
        run.tasks.deploy.reason == 'not selected for this run'
        log(key, 'test').contains('tested')

        and: 'the listing says which tasks were asked for too'
        http.get('/runs?project=sel&job=ci').json.runs.find { it.key == key }.selectedTasks == ['test']

        and: 'a version stands for the whole job: none is published, and a log says why'
        http.get('/projects/sel/versions/1.0.0').status == 404
        run.tasks.keySet().any { log(key, it).contains("publish: nothing published, as the run is of some of the job's tasks only (asked for: test)") }

        when: 'the whole job runs'
        def whole = awaitEnd(trigger('sel', 'ci', [parameters: [V: '1.0.1']]))

        then: 'every task runs, the run names no selection, and it publishes'
        whole.status == 'succeeded'
        !whole.containsKey('selectedTasks')
        whole.tasks.values()*.status.every { it == 'succeeded' }
        http.get('/projects/sel/versions/1.0.1').status == 200
    }

    def "a rerun keeps the tasks its run was asked for, and refuses to start from a task that was not selected"() {
        given:
        String key = trigger('sel', 'ci', [parameters: [V: '2.0.0'], tasks: ['lint', 'build']])
        assert awaitEnd(key).status == 'succeeded'

        when:
        def again = http.post("/runs/$key/rerun", [:])
        def rerun = awaitEnd(again.json.key as String)

        then:
        again.status == 201
        rerun.selectedTasks == ['lint', 'build']
        rerun.tasks.collectEntries { name, t -> [name, t.status] } ==
                [build: 'succeeded', lint: 'succeeded', test: 'skipped', deploy: 'skipped']
        http.get('/projects/sel/versions/2.0.0').status == 404

        when:
        def outside = http.post("/runs/$key/rerun", [from: 'deploy'])

        then:
        outside.status == 422
        outside.json.message == "task 'deploy' was not selected in run $key (its trigger asked for lint, build and what they need)"
        outside.json.details == ['field: from', 'task: build', 'task: lint']
    }

    def "a task name that is not the job's is a 400 naming the field tasks, the name and the job's tasks; nothing is queued"() {
        given:
        int before = http.get('/runs?project=sel&job=ci').json.total as int

        when:
        def unknown = http.post('/projects/sel/jobs/ci/runs', [tasks: ['test', 'tset']])

        then:
        unknown.status == 400
        unknown.json.message == "tasks: job 'ci' has no task 'tset' — did you mean 'test'? (tasks: build, lint, test, deploy)"
        unknown.json.details == ['field: tasks']

        expect: 'tasks must be a list of names'
        [[tasks: 'test'], [tasks: [1]], [tasks: ['']], [tasks: null]].every { body ->
            def r = http.post('/projects/sel/jobs/ci/runs', body)
            r.status == 400 && r.json.details == ['field: tasks']
        }
        http.get('/runs?project=sel&job=ci').json.total == before
    }

    def "a run queued behind a busy job keeps its selection and runs only it when it starts"() {
        given: 'the job allows one run at a time and one is running'
        String first = trigger('sel', 'single')
        Http.eventually { http.get("/runs/$first").json.tasks.wait.status == 'running' }

        when:
        String queued = trigger('sel', 'single', [tasks: ['side']], '?queue=true')

        then: 'it waits, already saying what it will run'
        with(http.get("/runs/$queued").json) {
            status == 'queued'
            selectedTasks == ['side']
        }

        when: 'the first run ends'
        dataDir.resolve('gate').toFile().text = 'go'

        then:
        awaitEnd(first).status == 'succeeded'
        with(awaitEnd(queued)) {
            status == 'succeeded'
            selectedTasks == ['side']
            tasks.collectEntries { name, t -> [name, t.status] } == [wait: 'skipped', after: 'skipped', side: 'succeeded']
        }
        log(queued, 'side').contains('side')
    }
}

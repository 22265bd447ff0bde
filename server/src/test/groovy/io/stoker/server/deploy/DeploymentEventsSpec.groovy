package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.auth.OpenStream

/**
 * A real server tells each verdict it records on a deployment on {@code /events} as {@code event: deployment}: a good
 * one, a failed one with the automatic rollback it started, and that rollback's own. What it names is saved by the
 * time it is sent, so a client that reads the deployments on hearing it sees the verdict.
 */
class DeploymentEventsSpec extends ServerSpecification {
    OpenStream stream

    def cleanup() {
        stream?.close()
    }

    /** The deployment event of {@code run}'s deployment, once it came. */
    Map verdictOf(String run) {
        Http.eventually { stream.events('deployment').find { it.run == run } }
    }

    def "a good deployment, a failed one and the automatic rollback it started are each told with their verdict"() {
        given: 'versions 1 and 2 of a project whose target takes every version but 2'
        freestyle('told', '''
job('release') {
  parameters { string 'V', defaultValue: '1' }
  publish version: '${{ params.V }}'
  task('build') { sh 'echo "app $V" > app.txt'; artifacts 'app.txt' }
}
deploy('web') { run 'test "$STOKER_DEPLOY_VERSION" != 2' }
''')
        ['1', '2'].each { assert awaitEnd(trigger('told', 'release', [parameters: [V: it]])).status == 'succeeded' }
        stream = OpenStream.open(http, '/events')

        when: 'version 1 is deployed'
        def one = http.post('/projects/told/deployments', [version: '1', target: 'web'])
        assert one.status == 202, one.text
        def good = verdictOf(one.json.run)

        then: 'it is told good, with what was deployed where; the deployment reads good already'
        good.project == 'told'
        good.job == 'deploy-web'
        good.target == 'web'
        good.version == '1'
        good.deployment == one.json.id
        good.verdict == 'good'
        good.reason == 'deploy'
        good.containsKey('rollback') && good.rollback == null
        good.time
        http.get("/projects/told/deployments/$one.json.id").json.state == 'good'

        when: 'version 2 is deployed, and fails'
        def two = http.post('/projects/told/deployments', [version: '2', target: 'web'])
        assert two.status == 202, two.text
        def bad = verdictOf(two.json.run)

        then: 'it is told bad, with the automatic rollback to 1 it started, both on record already'
        bad.version == '2'
        bad.deployment == two.json.id
        bad.verdict == 'bad'
        bad.reason == 'deploy'
        bad.rollback.version == '1'
        http.get("/projects/told/deployments/$two.json.id").json.state == 'bad'
        def rollback = http.get("/projects/told/deployments/$bad.rollback.deployment").json
        rollback.reason == 'auto-rollback'
        rollback.run == bad.rollback.run

        and: "the rollback's own verdict is told in turn: 1 good again, an automatic rollback that started none"
        def back = verdictOf(bad.rollback.run)
        back.version == '1'
        back.deployment == bad.rollback.deployment
        back.verdict == 'good'
        back.reason == 'auto-rollback'
        back.rollback == null
    }
}

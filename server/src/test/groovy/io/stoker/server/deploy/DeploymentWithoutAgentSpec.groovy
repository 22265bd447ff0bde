package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/**
 * A deployment to a target whose agent no longer exists on a real server: its task cannot be started, so the version
 * was never tried there. It is closed interrupted with the reason, the version keeps its status, and the target keeps
 * what it ran (nothing was stopped, so nothing is rolled back).
 */
class DeploymentWithoutAgentSpec extends ServerSpecification {

    static String jobfile(String agentLine) {
        """
job('release') {
  parameters { string 'V', defaultValue: '1' }
  publish version: '\${{ params.V }}'
  task('build') { sh 'echo "app \$V" > app.txt'; artifacts 'app.txt' }
}
deploy('web') { $agentLine run 'cat {file}'; file 'app.txt' }
"""
    }

    def judged(String project) {
        Http.eventually {
            def d = http.get("/projects/$project/deployments").json.deployments[0]
            d.state == 'running' ? null : d
        }
    }

    def "a deployment whose agent is gone is interrupted, not a bad version, and nothing is rolled back"() {
        given: 'version 1 deployed good while the target ran on this machine'
        freestyle('retired', jobfile(''))
        assert awaitEnd(trigger('retired', 'release', [parameters: [V: '1']])).status == 'succeeded'
        assert awaitEnd(trigger('retired', 'release', [parameters: [V: '2']])).status == 'succeeded'
        assert http.post('/projects/retired/deployments', [version: '1', target: 'web']).status == 202
        assert judged('retired').state == 'good'

        and: 'the target moved to an agent that has since been removed'
        assert http.put('/projects/retired', [jobfile: jobfile("agent 'retired-box';")]).status == 200

        when:
        assert http.post('/projects/retired/deployments', [version: '2', target: 'web']).status == 202
        def deployment = judged('retired')

        then: 'interrupted, saying why its task could not start'
        deployment.version == '2'
        deployment.state == 'interrupted'
        deployment.detail.startsWith("the deployment run could not start: no agent matches 'retired-box': version 2 was not tried")

        and: 'version 2 is as it was (not bad), and no rollback was started'
        def version = http.get('/projects/retired/versions').json.versions.find { it.version == '2' }
        version.status == 'new'
        version.failedOn == null
        http.get('/projects/retired/deployments').json.deployments*.version == ['2', '1']
    }
}

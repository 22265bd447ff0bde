package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/** A deployment run on a real server masks the secrets its project can read, though it is given none of them. */
class DeploymentSecretsSpec extends ServerSpecification {

    static final String JOBFILE = '''
job('build') {
  secrets 'DEPLOY_TOKEN'
  publish version: '3'
  task('build') {
    sh 'echo "token=$DEPLOY_TOKEN" > conf.txt'
    artifacts 'conf.txt'
  }
}
deploy('leak') { run 'cat {file}; echo "global=GlobalKeyValue9"'; file 'conf.txt' }
'''

    def "a deployment's log masks every secret its project can read, its own and the global ones granted to it"() {
        given: 'a project secret its build writes into a published file, and a global secret granted to every project'
        freestyle('sec', JOBFILE)
        assert http.post('/secrets', [name: 'DEPLOY_TOKEN', value: 'S3cretTokenValue', project: 'sec']).status == 201
        assert http.post('/secrets', [name: 'GLOBAL_KEY', value: 'GlobalKeyValue9']).status == 201
        String build = trigger('sec', 'build')
        assert awaitEnd(build).status == 'succeeded'
        assert !log(build, 'build').contains('S3cretTokenValue')

        when: 'the version is deployed to a target that prints the file and the global value'
        assert http.post('/projects/sec/deployments', [version: '3', target: 'leak']).status == 202
        def deployment = Http.eventually {
            def d = http.get('/projects/sec/deployments').json.deployments[0]
            d.state == 'running' ? null : d
        }
        String text = log(deployment.run, 'deploy')

        then:
        deployment.state == 'good'
        text.contains('token=****')
        text.contains('global=****')
        !text.contains('S3cretTokenValue')
        !text.contains('GlobalKeyValue9')
    }
}

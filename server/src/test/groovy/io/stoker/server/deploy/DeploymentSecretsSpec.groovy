package io.stoker.server.deploy

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import io.stoker.server.secret.VaultFixture
import spock.lang.Shared

import java.time.Clock

/**
 * A deployment run on a real server masks the secrets its project can read, though it is given none of them; one
 * that cannot read them does not start, and says so without a verdict on the version.
 */
class DeploymentSecretsSpec extends ServerSpecification {
    @Shared VaultFixture vault

    @Override
    StokerServer startServer(ServerConfig config) {
        vault = new VaultFixture()
        vault.role('stoker-role', 'stoker-secret-id', ['secret/data/ci/'], 3600)
        vault.put('secret/other/key', [token: 'NotForThisServer'])
        StokerServer.start(MigratedDatabase.into(config), Clock.systemUTC(), SuiteEnv.with([STOKER_VAULT_ADDR: vault.address,
                STOKER_VAULT_ROLE_ID: 'stoker-role', STOKER_VAULT_SECRET_ID: 'stoker-secret-id']))
    }

    def cleanupSpec() {
        vault?.close()
    }

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

    def "a deployment whose run cannot read a secret of its project does not start: no verdict on the version, nothing rolled back"() {
        given: 'a published version, and a project secret kept at a Vault path the server may not read'
        freestyle('vsec', """
job('build') {
  publish version: '1'
  task('build') { sh 'echo app > app.txt'; artifacts 'app.txt' }
}
deploy('prod') { run 'cat {file}'; file 'app.txt' }
""")
        assert http.post('/secrets', [name: 'DENIED_KEY', vault: [path: 'other/key', key: 'token'], project: 'vsec']).status == 201
        assert awaitEnd(trigger('vsec', 'build')).status == 'succeeded'
        String before = http.get('/projects/vsec/versions').json.versions[0].status

        when:
        assert http.post('/projects/vsec/deployments', [version: '1', target: 'prod']).status == 202
        def deployment = Http.eventually {
            def d = http.get('/projects/vsec/deployments').json.deployments[0]
            d.state == 'running' ? null : d
        }

        then: 'it is interrupted, saying why its run could not start'
        deployment.state == 'interrupted'
        deployment.detail.startsWith('the deployment run could not start: ')
        deployment.detail.contains('other/key')
        deployment.detail.contains('version 1 was not tried (its status is unchanged)')
        awaitEnd(deployment.run).status == 'failed'

        and: 'the version is as it was, and no rollback was started'
        def version = http.get('/projects/vsec/versions').json.versions[0]
        version.status == before
        version.failedOn == null
        http.get('/projects/vsec/deployments').json.deployments.size() == 1
    }
}

package io.stoker.server.agent

import io.stoker.server.MigratedDatabase
import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.container.fixtures.Podman
import io.stoker.container.fixtures.Registry
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Timeout

import java.nio.file.Path
import java.time.Clock

/**
 * A task with an image routed to an SSH agent in persistent mode (an in-process SSH server on this machine, whose
 * agent program uses this host's Podman): its image and its service's image are pulled from a private registry
 * with the task's {@code registryCredentials}, and the service is reachable by its name once ready. The agent
 * program inherits this JVM's environment, so {@code CONTAINERS_CONF} must be set (run-tests sets it).
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() || !System.getenv('CONTAINERS_CONF') },
        reason = Podman.SKIP + '; ' + Registry.SKIP + '; and CONTAINERS_CONF must be set for the agent program (run-tests sets it)')
class AgentContainerSpec extends ServerSpecification {
    static final String SERVICE_COMMAND = "['sh', '-c', 'mkdir -p /www && echo \"\$GREETING\" > /www/index.html && exec httpd -f -p 8080 -h /www']"

    @Shared @AutoCleanup Registry registry = Registry.start()
    @Shared @AutoCleanup SshTestServer ssh = SshTestServer.start()
    @Shared Path agentDirs = ScratchDirectory.removedAtExit('AgentContainerSpec') // agents may still clean up here as the spec ends
    @Shared String image

    StokerServer startServer(ServerConfig config) {
        Podman.engine() // imports the busybox test image once
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), System.getenv())
    }

    def setupSpec() {
        image = "${registry.host()}/org/agent-base:1"
        assert Podman.podman('tag', Podman.IMAGE, image).exit == 0
        def pushed = Podman.podman('push', '--tls-verify=false', '--creds', Registry.credentials(), image)
        assert pushed.exit == 0, pushed.out
        def r = http.post('/agents', [name: 'engine-box', host: ssh.host(), port: ssh.port(), user: ssh.user(),
                                      privateKey: ssh.clientKeys().privateKeyText(), labels: ['linux'], executors: 2,
                                      workDir: agentDirs.resolve('engine-box').toString(), hostKey: ssh.hostKeyFingerprint()])
        assert r.status == 201, r.text
        Http.eventually(60_000) { http.get('/agents/engine-box').json.status == 'online' }
        def installed = http.install('engine-box') // records tool:podman, which image tasks need
        assert installed.status == 200, installed.text
        Map seen = null
        try {
            Http.eventually(120_000) {
                seen = http.get('/agents/engine-box').json
                seen.status == 'online' && seen.mode == 'persistent' && seen.labels.any { it in ['tool:podman', 'tool:docker'] } ? seen : null
            }
        } catch (AssertionError e) {
            throw new AssertionError("the agent did not come online in persistent mode with an engine: $seen", e)
        }
    }

    def cleanupSpec() {
        Podman.podman('rmi', '-f', image)
    }

    String jobfile(String secret) {
        """
job('j') {
  task('c') {
    agent 'linux'
    image '${image}'
    pull 'always'
    registryCredentials '${secret}'
    services { web image: '${image}', env: [GREETING: 'hello-from-the-service'], command: ${SERVICE_COMMAND}, ready: 'wget -qO- http://127.0.0.1:8080/' }
    sh 'wget -qO- http://web:8080/'
  }
}"""
    }

    def "a task on an agent pulls its private image and its service's with registryCredentials and reaches the service"() {
        given:
        freestyle('agent-img', jobfile('REGISTRY_BOT'))
        assert http.post('/secrets', [name: 'REGISTRY_BOT', value: Registry.credentials(), project: 'agent-img']).status == 201

        when:
        def run = awaitEnd(trigger('agent-img', 'j'), CONTAINER_RUN)
        def log = http.get("/runs/${run.key}/tasks/c/log").text

        then:
        log.contains("running on agent 'engine-box'")
        run.status == 'succeeded'
        log.contains('hello-from-the-service')
        log =~ /service web is ready after \d+ ms/
        !log.contains(Registry.PASSWORD)
    }

    def "a wrong login on an agent fails the task naming the registry and user, never the password"() {
        given:
        freestyle('agent-img-wrong', jobfile('WRONG_BOT'))
        assert http.post('/secrets', [name: 'WRONG_BOT', value: "${Registry.USER}:Wr0ng-on-agent".toString(), project: 'agent-img-wrong']).status == 201

        when:
        def run = awaitEnd(trigger('agent-img-wrong', 'j'), CONTAINER_RUN)
        def log = http.get("/runs/${run.key}/tasks/c/log").text

        then:
        run.status == 'failed'
        log.contains("cannot pull image '${image}': the registry ${registry.host()} refused the login of user '${Registry.USER}'")
        // the task's reason says it as on the server's own machine, not the agent's bare 'exit code 125'
        run.tasks.c.reason.contains("refused the login of user '${Registry.USER}'")
        !log.contains('Wr0ng-on-agent')
        !http.get("/runs/${run.key}").text.contains('Wr0ng-on-agent')
    }
}

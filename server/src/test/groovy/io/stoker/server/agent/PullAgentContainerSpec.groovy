package io.stoker.server.agent

import io.stoker.server.MigratedDatabase
import io.stoker.server.ScratchDirectory
import io.stoker.agent.pull.PullAgentProgram
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
import java.time.Duration
import java.util.concurrent.CompletableFuture

/**
 * A task with an image routed to a pull agent (in this JVM, dialling the server over loopback, labelled
 * {@code tool:podman} as its operator would label a machine with Podman): the image is pulled there from a private
 * registry with the task's {@code registryCredentials}, which travel in the task's start frame; a wrong login fails
 * the task naming the registry and user, and the password shows nowhere. The agent uses this JVM's environment, so
 * {@code CONTAINERS_CONF} must be set (run-tests sets it).
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() || !System.getenv('CONTAINERS_CONF') },
        reason = Podman.SKIP + '; ' + Registry.SKIP + '; and CONTAINERS_CONF must be set for the agent (run-tests sets it)')
class PullAgentContainerSpec extends ServerSpecification {
    @Shared @AutoCleanup Registry registry = Registry.start()
    @Shared Path agentDir = ScratchDirectory.removedAtExit('PullAgentContainerSpec') // agents may still clean up here as the spec ends
    @Shared PullAgentProgram program
    @Shared String image

    StokerServer startServer(ServerConfig config) {
        Podman.engine() // imports the busybox test image once
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), System.getenv())
    }

    def setupSpec() {
        image = "${registry.host()}/org/pull-base:1"
        assert Podman.podman('tag', Podman.IMAGE, image).exit == 0
        def pushed = Podman.podman('push', '--tls-verify=false', '--creds', Registry.credentials(), image)
        assert pushed.exit == 0, pushed.out
        Podman.podman('rmi', '-f', image) // only the registry has it: the task's pull must log in
        def token = http.post('/agent-tokens', [name: 'image-pullers'])
        assert token.status == 201, token.text
        program = new PullAgentProgram(new PullAgentProgram.Settings(URI.create(server.url()), token.json.token as String,
                'puller-img', ['imgbox', 'tool:podman'], 2, agentDir, Duration.ofSeconds(1), Duration.ofMillis(500)), { })
        CompletableFuture.runAsync({ program.run() }, { r -> Thread.ofPlatform().daemon().start(r) })
        Http.eventually { http.get('/agents/puller-img').json?.status == 'online' }
    }

    def cleanupSpec() {
        program?.close()
        Podman.podman('rmi', '-f', image)
    }

    String jobfile(String secret) {
        """
job('j') {
  task('c') {
    agent 'imgbox'
    image '${image}'
    pull 'always'
    registryCredentials '${secret}'
    sh 'echo "inside the image: \$(cat /etc/hostname)"'
  }
}"""
    }

    /** Runs the image task of a new project whose registry login secret holds {@code login}; the run and the log. */
    List runWithLogin(String project, String login) {
        freestyle(project, jobfile('REGISTRY_BOT'))
        assert http.post('/secrets', [name: 'REGISTRY_BOT', value: login, project: project]).status == 201
        def run = awaitEnd(trigger(project, 'j'), CONTAINER_RUN)
        [run, http.get("/runs/${run.key}/tasks/c/log").text]
    }

    def "a task on a pull agent pulls its private image with registryCredentials and runs in it"() {
        when:
        def (run, log) = runWithLogin('pull-img', Registry.credentials())

        then:
        log.contains("running on agent 'puller-img'")
        run.status == 'succeeded'
        log.contains('inside the image: ')
        !log.contains(Registry.PASSWORD)
    }

    def "a wrong login on a pull agent fails the task naming the registry and user, never the password"() {
        when:
        def (run, log) = runWithLogin('pull-img-wrong', "${Registry.USER}:Wr0ng-on-puller".toString())

        then:
        log.contains("running on agent 'puller-img'")
        run.status == 'failed'
        log.contains("cannot pull image '${image}': the registry ${registry.host()} refused the login of user '${Registry.USER}'")
        !log.contains('Wr0ng-on-puller')
        !http.get("/runs/${run.key}").text.contains('Wr0ng-on-puller')
    }
}

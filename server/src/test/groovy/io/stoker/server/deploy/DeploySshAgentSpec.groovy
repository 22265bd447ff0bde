package io.stoker.server.deploy

import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.engine.fixtures.FreePort
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Requires
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * A deploy target on an SSH agent, end to end: Debian's sshd on 127.0.0.1 is registered as agent 'web-1', the
 * sample web app is published as version 1.0 and deployed to {@code deploy('web') { agent 'web-1' … }}; the
 * deployment's run goes to the agent, the app starts there and passes its healthcheck, and the history says good.
 */
@Requires({ OpenSshServer.available() })
class DeploySshAgentSpec extends ServerSpecification {
    @Shared Path sshDir = ScratchDirectory.removedAtExit('DeploySshAgentSpec') // agents may still clean up here as the spec ends
    @Shared OpenSshServer sshd
    // the agent's user is this one: an agent target lives under its home (~/.stoker/deployments/PROJECT/TARGET)
    @Shared String project = 'ssh-deploy-' + UUID.randomUUID().toString().substring(0, 8)
    @Shared Path targetDir = Path.of(System.getProperty('user.home'), '.stoker', 'deployments', project, 'web')

    def setupSpec() {
        sshd = OpenSshServer.start(sshDir.resolve('sshd'))
    }

    def cleanupSpec() {
        // the app the deployment started on the agent: stopped by its PID, its directory removed
        Path pidFile = targetDir.resolve('service.pid')
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).first().trim())).ifPresent { p ->
                p.descendants().forEach { it.destroyForcibly() }
                p.destroyForcibly()
            }
        }
        targetDir.parent.deleteDir()
        sshd?.stop()
    }

    def "a version deployed to a target on an SSH agent runs there, passes its healthcheck and is recorded good"() {
        given: 'the agent, online'
        def agent = http.post('/agents', [name: 'web-1', host: sshd.host(), port: sshd.port(), user: sshd.user(),
                privateKey: sshd.clientKeys().privateKeyText(), labels: ['web'], executors: 1,
                workDir: sshDir.resolve('work').toString(), hostKey: sshd.hostKeyFingerprint()])
        assert agent.status == 201, agent.text
        // a login through OpenSSH runs the user's shell rc files: a loaded machine takes a while for the first
        Http.eventually(60_000) { http.get('/agents/web-1').json.status == 'online' }

        and: 'version 1.0 of the sample app, and a target on that agent'
        int port = FreePort.pick()
        String app = Files.readString(Path.of('..', 'samples', '11-deploy', 'app.py'))
                .replace('@VERSION@', '1.0').replace('@HEALTHY@', 'true')
        Path source = Files.createDirectories(sshDir.resolve('source'))
        Files.writeString(source.resolve('app.py'), app)
        freestyle(project, """
job('release') {
  publish version: '1.0'
  task('build') { sh 'cp ${source.resolve('app.py')} app-1.0.py'; artifacts 'app-*.py' }
}
deploy('web') {
  agent 'web-1'
  run 'python3 {file} $port'
  file 'app-*.py'
  healthcheck 'curl -fsS http://127.0.0.1:$port/health', within: 60
}
""")
        assert awaitEnd(trigger(project, 'release')).status == 'succeeded'

        when:
        def started = http.post("/projects/$project/deployments", [version: '1.0', target: 'web'])
        def ended = Http.eventually(180_000) {
            http.get("/projects/$project/deployments").json.deployments.find { it.state != 'running' }
        }

        then: 'the history says good, and the version is marked good'
        started.status == 202
        ended.id == started.json.id
        ended.startedAt == started.json.startedAt // to the microsecond the database keeps, in the answer too
        ended.state == 'good'
        ended.detail == 'version 1.0 works on web'
        http.get("/projects/$project/versions/1.0").json.status == 'good'

        and: 'the deployment ran on the agent, and the app answers from the agent\'s target directory'
        String log = http.get("/runs/$ended.run/tasks/deploy/log").text
        log.contains("running on agent 'web-1'")
        log.contains('healthcheck passed')
        new URL("http://127.0.0.1:$port/").getText(connectTimeout: 5000, readTimeout: 5000).trim() == 'app version 1.0'
        Files.exists(targetDir.resolve('releases/1.0/app-1.0.py'))
    }
}

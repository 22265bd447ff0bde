package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.engine.approval.ApprovalPort
import io.stoker.engine.cache.FileCacheStore
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.image.ImageSteps
import io.stoker.engine.run.TaskState
import io.stoker.engine.trigger.JobTrigger
import io.stoker.engine.version.DeployedVersions
import io.stoker.model.Cache
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.fast
import static io.stoker.agent.ssh.AgentFixture.on
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A task's cache on an SSH agent (an in-process SSH server, shell mode): restored into the server's workspace before
 * the attempt uploads it, saved from the agent's files through the executor as artifacts are.
 */
@Timeout(90)
class AgentCacheSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup('stop')
    SshTestServer server = SshTestServer.start()

    SshAgent agent

    def cleanup() {
        agent?.close()
        AgentDaemons.stopUnder(tmp)
        AgentDaemons.stopTasksUnder(tmp)
    }

    def "a second run on an agent finds what the first one saved there"() {
        given:
        agent = new SshAgent(server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('agent-a1')),
                fast(12_000).withJava('none'), new AgentFixture.Events())
        agent.start()
        assert await(15000) { agent.status() == AgentStatus.ONLINE }, agent.statusReason()
        def caches = FileCacheStore.server(tmp.resolve('caches'), 1 << 20, p -> Optional.of('main'), Clock.systemUTC())
        def f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: agent.executor()]),
                JobTrigger.UNAVAILABLE, ApprovalPort.UNAVAILABLE, ImageSteps.UNAVAILABLE, DeployedVersions.NONE, caches)
        def j = job('ci', on('a', task('build', [cache: new Cache('deps', ['deps'], ['lock.txt'])],
                'if [ ! -d deps ]; then echo downloading; mkdir deps; cat lock.txt > deps/x.jar; fi; echo "using $(cat deps/x.jar)"')))
        def workspaces = (1..2).collect {
            def ws = Files.createDirectories(tmp.resolve("ws-$it"))
            ws.resolve('lock.txt').text = 'v1'
            ws
        }

        when:
        def first = f.run(j, [workspace: workspaces[0], branch: 'main'])
        def second = f.run(j, [workspace: workspaces[1], branch: 'main'])

        then:
        first.task('build').state() == TaskState.SUCCEEDED
        f.log(first, 'build').contains('downloading')
        f.log(first, 'build') =~ /cache deps-[0-9a-f]{8} saved: 1 file/
        second.task('build').state() == TaskState.SUCCEEDED
        f.log(second, 'build') =~ /cache deps-[0-9a-f]{8} restored: 1 file/
        !f.log(second, 'build').contains('downloading')
        f.log(second, 'build').contains('using v1')

        cleanup:
        f?.close()
    }
}

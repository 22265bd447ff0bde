package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.engine.exec.Executor
import io.stoker.engine.exec.ExecutorContract
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** The executor contract every executor passes, run against an agent on the in-process SSH server. */
class SshExecutorContractSpec extends ExecutorContract {

    @Shared
    SshTestServer server
    @Shared
    Path agentDir
    @Shared
    SshAgent agent

    def setupSpec() {
        server = SshTestServer.start()
        agentDir = Files.createTempDirectory('stoker-agent-')
        // the contract is not about losing an agent: a first connection slowed by a loaded machine (the agent's
        // program starts a JVM on the host) must not count as lost, so the lost timeout is generous here
        agent = new SshAgent(server.endpoint('contract', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), agentDir),
                new SshAgent.Settings(Duration.ofSeconds(1), Duration.ofSeconds(120), Duration.ofSeconds(10)), null)
        agent.start()
    }

    def cleanupSpec() {
        agent?.close()
        server?.stop()
        agentDir?.toFile()?.deleteDir()
    }

    Executor executor() {
        agent.executor()
    }

    // overrides ExecutorContract: the agent's host reads the output file as the agent's own user, who runs the task
    boolean readsOutputOnTheServer() {
        false
    }

    // overrides ExecutorContract.taskFile (no @Override: a stale engine test-jar then fails one feature, not the build)
    protected Path taskFile(String name) {
        agentDir.resolve('runs/run-1/ws').resolve(name) // the agent's copy of the run workspace (same machine here)
    }
}

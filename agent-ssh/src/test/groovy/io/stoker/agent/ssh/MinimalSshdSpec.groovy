package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.OpenSshServer
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path

import static io.stoker.agent.ssh.AgentFixture.await

/**
 * A host whose sshd_config has no {@code Subsystem sftp} line (the minimal configuration some images ship) cannot
 * take workspaces. The agent says so in one sentence that names the fix, instead of the SSH library's channel
 * classes.
 */
@Requires({ OpenSshServer.available() })
@Timeout(60)
class MinimalSshdSpec extends Specification {

    @TempDir
    Path tmp

    def "an agent on a host without SFTP is offline with a reason that names the sshd_config line to add"() {
        given:
        def sshd = OpenSshServer.startWithoutSftp(tmp.resolve('sshd'))
        def agent = new SshAgent(sshd.endpoint('bare', new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()),
                tmp.resolve('work')), OpenSshEndToEndSpec.openSshSettings(4000), new AgentFixture.Events())

        when:
        agent.start()

        then:
        await(30000) { agent.statusReason()?.contains('SFTP') }
        agent.status() == AgentStatus.OFFLINE
        agent.statusReason() == "cannot connect: the host offers no SFTP subsystem, which the agent needs to copy" +
                " workspaces: add 'Subsystem sftp internal-sftp' to 127.0.0.1's sshd_config and reload sshd"

        cleanup:
        agent?.close()
        sshd?.stop()
    }
}

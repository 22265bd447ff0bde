package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.OpenSshServer
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.agent.ssh.AgentFixture.await

/**
 * Hosts whose SSH set-up the agent cannot work with: an sshd_config without a {@code Subsystem sftp} line (the
 * minimal configuration some images ship), or a login that prints a greeting for every session (an {@code echo} in
 * {@code ~/.bashrc}, which lands in front of SFTP's first packet and of every command's answer). The agent says
 * what is wrong in one sentence that names the fix, instead of the SSH library's channel classes or its "Closing
 * while await init message".
 */
@Requires({ OpenSshServer.available() })
@Timeout(60)
class MinimalSshdSpec extends Specification {

    @TempDir
    Path tmp

    def "an agent on a host without SFTP is offline with a reason that names the sshd_config line to add"() {
        given:
        def sshd = OpenSshServer.startWithoutSftp(tmp.resolve('sshd'))
        def agent = agentOn(sshd)

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

    @Requires({ Files.isExecutable(OpenSshServer.SFTP_SERVER) })
    def "an agent whose login prints a greeting is offline with a reason that quotes it and says what to change"() {
        given:
        def sshd = OpenSshServer.startPrintingGreeting(tmp.resolve('sshd'), 'Welcome to the build farm!')
        def agent = agentOn(sshd)

        when:
        agent.start()

        then:
        await(30000) { agent.statusReason()?.startsWith('cannot connect:') }
        agent.status() == AgentStatus.OFFLINE
        agent.statusReason() == "cannot connect: the login of ${sshd.user()}@127.0.0.1 prints text before each" +
                " command ('Welcome to the build farm!'), which breaks SFTP and would mix into the agent's answers:" +
                " make its shell print nothing when not interactive (in ~/.bashrc, put '[[ \$- == *i* ]] || return'" +
                " before any echo)"

        cleanup:
        agent?.close()
        sshd?.stop()
    }

    private SshAgent agentOn(OpenSshServer sshd) {
        new SshAgent(sshd.endpoint('bare', new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()), tmp.resolve('work')),
                OpenSshEndToEndSpec.openSshSettings(4000), new AgentFixture.Events())
    }
}

package io.stoker.cli.remote

import io.stoker.agent.ssh.SshAgent
import spock.lang.Specification

import java.time.Duration

/**
 * {@code stoker agent install} waits for the server's answer as long as the server's install may take: first the
 * SSH login (two connection attempts), then the host's check. With the usual 60 s request limit a slow host's
 * install was reported as "the Stoker server did not answer" while the server still ran it (and then recorded it).
 */
class AgentInstallAnswerSpec extends Specification {

    def "the install's answer is waited for longer than the server's install may take"() {
        given:
        Duration server = SshAgent.Settings.DEFAULTS.installLimit()

        expect: 'the login wait (2 x 15 s) and the host check (60 s)'
        server == Duration.ofSeconds(90)

        and: 'the command waits longer, with room for the server to store what it found'
        AgentInstallCommand.ANSWER_WITHIN > server
        AgentInstallCommand.ANSWER_WITHIN >= server.plusSeconds(30)
    }
}

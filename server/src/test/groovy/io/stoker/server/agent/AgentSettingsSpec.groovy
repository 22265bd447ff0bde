package io.stoker.server.agent

import io.stoker.agent.ssh.SshAgent
import io.stoker.server.ServerConfig
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration

/** The agent heartbeat and lost timeout: defaults from the SSH side, a file, the environment. */
class AgentSettingsSpec extends Specification {
    @TempDir Path dir

    def "the defaults are the SSH agent's"() {
        expect:
        ServerConfig.defaults().agentHeartbeat() == SshAgent.Settings.DEFAULTS.heartbeat()
        ServerConfig.defaults().agentLostTimeout() == SshAgent.Settings.DEFAULTS.lostTimeout()
        ServerConfig.defaults().agentSettings() == SshAgent.Settings.DEFAULTS
    }

    def "the environment sets them as #text"() {
        when:
        def c = ServerConfig.load(null, [STOKER_AGENT_HEARTBEAT: text, STOKER_AGENT_LOST_TIMEOUT: '2m'])

        then:
        c.agentHeartbeat() == expected
        c.agentLostTimeout() == Duration.ofMinutes(2)

        where:
        text    | expected
        '500ms' | Duration.ofMillis(500)
        '3s'    | Duration.ofSeconds(3)
        '1m'    | Duration.ofMinutes(1)
        'PT15S' | Duration.ofSeconds(15)
    }

    def "a properties file sets them and the environment wins"() {
        given:
        def file = dir.resolve('server.properties')
        file.text = 'agentHeartbeat=2s\nagentLostTimeout=20s\n'

        when:
        def c = ServerConfig.load(file, [STOKER_AGENT_LOST_TIMEOUT: '30s'])

        then:
        c.agentHeartbeat() == Duration.ofSeconds(2)
        c.agentLostTimeout() == Duration.ofSeconds(30)
    }

    def "a bad value names its source"() {
        when:
        ServerConfig.load(null, [STOKER_AGENT_HEARTBEAT: value])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('STOKER_AGENT_HEARTBEAT: ')
        e.message.contains(words)

        where:
        value   | words
        'soon'  | 'must be a duration like 500ms'
        '10ms'  | 'at least 100ms'
    }
}

package io.stoker.cli.logging

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.LoggerContext
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.cli.CliRun
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import org.slf4j.LoggerFactory
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration

/**
 * An agent whose host has no SFTP subsystem is retried every few seconds. Its status says why in one sentence; the
 * server's log must not also fill with the SSH library's warnings, which name its channel and session classes and
 * come again on every retry. Debian's OpenSSH on 127.0.0.1, a server in process, the JVM's own Logback set up by
 * {@link ConsoleLogging}.
 */
@Requires({ OpenSshServer.available() })
class SshLibraryLogSpec extends Specification {
    @TempDir Path dir

    def "an agent host without SFTP leaves no SSH library warnings in the server's log"() {
        given: 'what reaches the log, from now on'
        def root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME)
        def seen = new ListAppender<ILoggingEvent>()
        seen.start()
        root.addAppender(seen)
        def sshd = OpenSshServer.startWithoutSftp(dir.resolve('sshd'))
        def server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword('spec-admin-password')
                .withAgentTimes(Duration.ofMillis(300), Duration.ofSeconds(30))))
        def token = server.auth().createApiToken('admin', 'spec', null).token()
        def key = dir.resolve('agent_key')
        key.text = sshd.clientKeys().privateKeyText()
        def stoker = { Object... args -> CliRun.of(*args, '--server', server.url(), '--token', token) }

        when: 'the agent is added, and its connections fail for want of SFTP'
        def added = stoker('agent', 'add', 'bare', '--host', sshd.host(), '--port', sshd.port(), '--user', sshd.user(),
                '--key', key, '--work-dir', dir.resolve('work').toString(), '--host-key', sshd.hostKeyFingerprint())
        assert added.exit == 0, added.err
        long deadline = System.currentTimeMillis() + 60_000 * CliRun.TIMEOUT_FACTOR
        while (!stoker('agent', 'list').out.contains("add 'Subsystem sftp internal-sftp'")) {
            assert System.currentTimeMillis() < deadline, 'the agent never said it lacks SFTP'
            Thread.sleep(100)
        }

        then: 'the agent list says why; the log holds no warning of the SSH library'
        seen.list.findAll { it.loggerName.startsWith('org.apache.sshd') && it.level.isGreaterOrEqual(Level.WARN) }
                .collect { "$it.loggerName: $it.formattedMessage" } == []

        cleanup:
        root?.detachAppender(seen)
        server?.close()
        sshd?.stop()
    }
}

package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.agent.ssh.fixtures.TestKeys
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.fast

/** Connecting to an agent: host key checks, status, reconnects and the install check, on the in-process server. */
@Timeout(60)
class SshAgentSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup('stop')
    SshTestServer server = SshTestServer.start()

    List<SshAgent> agents = []

    def cleanup() {
        agents*.close()
    }

    SshAgent agent(HostKeyCheck check, AgentFixture.Events events = new AgentFixture.Events(), String key = null,
                   long lostMillis = 3000) {
        def endpoint = server.endpoint('a1', check, tmp.resolve('work'))
        if (key != null) endpoint = new AgentEndpoint('a1', endpoint.host(), endpoint.port(), endpoint.user(), key, check, endpoint.workDir())
        def a = new SshAgent(endpoint, fast(lostMillis), events)
        agents << a
        a.start()
        a
    }

    def "an agent whose host key matches the pinned fingerprint comes online"() {
        given:
        def events = new AgentFixture.Events()

        when:
        def a = agent(new HostKeyCheck.Pinned(server.hostKeyFingerprint()), events)

        then: 'the listener hears of it just after the status changes'
        await(20_000) { a.status() == AgentStatus.ONLINE && !events.statuses.isEmpty() }
        a.statusReason() == null
        a.hostKeyFingerprint() == server.hostKeyFingerprint()
        events.statuses.join(',') == 'ONLINE'
    }

    def "a pin the host never matched blocks the agent with a reason naming both keys, not a changed key, and it stops trying"() {
        given: "a fingerprint pinned by hand that is not the host's"
        def wrong = TestKeys.generate().fingerprint()

        when:
        def a = agent(new HostKeyCheck.Pinned(wrong))

        then: 'nothing changed on the host: the pin was wrong from the start'
        await(20_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason() == "host key never matched its pin: expected $wrong, got ${server.hostKeyFingerprint()}".toString()

        when: 'it is asked to run something'
        a.executor().start(new io.stoker.engine.exec.TaskLaunch('r', 't', 1, ['true'], tmp, [:], false))

        then: 'it refuses at once, and no connection stays open (the server drops the refused one)'
        def e = thrown(IOException)
        e.message.contains('blocked: host key never matched its pin')
        await(20_000) { server.sessionCount() == 0 }
    }

    def "trust on first use learns the key, then a changed key blocks the agent"() {
        given:
        def events = new AgentFixture.Events()
        def a = agent(new HostKeyCheck.TrustOnFirstUse(), events)

        expect:
        await(20_000) { a.status() == AgentStatus.ONLINE }
        events.learned == [server.hostKeyFingerprint()]

        when: 'the machine comes back with another host key'
        def first = server.hostKeyFingerprint()
        server.restart(true)

        then: 'the listener hears of it just after the status changes'
        await(30_000) { a.status() == AgentStatus.BLOCKED && events.statuses.last().startsWith('BLOCKED') }
        a.statusReason() == "host key changed: expected $first, got ${server.hostKeyFingerprint()}".toString()
        events.learned == [first]
        events.statuses.last().startsWith('BLOCKED: host key changed')
    }

    def "a pinned key the host showed, then replaced, reads as changed"() {
        given:
        def first = server.hostKeyFingerprint()
        def a = agent(new HostKeyCheck.Pinned(first))

        expect:
        await(20_000) { a.status() == AgentStatus.ONLINE }

        when: 'the machine comes back with another host key'
        server.restart(true)

        then:
        await(30_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason() == "host key changed: expected $first, got ${server.hostKeyFingerprint()}".toString()
    }

    def "a pin the caller knows matched before reads as changed from the first connection"() {
        given: 'as after a restart of the server: the stored pin had matched, and the host now shows another key'
        def before = TestKeys.generate().fingerprint()

        when:
        def a = agent(new HostKeyCheck.Pinned(before, true))

        then:
        await(20_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason() == "host key changed: expected $before, got ${server.hostKeyFingerprint()}".toString()
    }

    def "a known_hosts file is checked strictly"() {
        given:
        def known = server.writeKnownHosts(tmp.resolve('known_hosts'))
        def a = agent(new HostKeyCheck.KnownHosts(known))

        expect:
        await(20_000) { a.status() == AgentStatus.ONLINE }

        when:
        def before = server.hostKeyFingerprint()
        server.restart(true)

        then:
        await(30_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason().startsWith("host key changed: expected $before, got ${server.hostKeyFingerprint()}")
    }

    def "a host missing from known_hosts is refused"() {
        given:
        def known = tmp.resolve('known_hosts')
        known.text = "[127.0.0.1]:1 ${TestKeys.generate().publicKeyLine()}\n"

        when:
        def a = agent(new HostKeyCheck.KnownHosts(known))

        then:
        await(20_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason().startsWith("host key not in $known: got ${server.hostKeyFingerprint()}")
    }

    def "a key the agent does not accept blocks it"() {
        when:
        def a = agent(new HostKeyCheck.Pinned(server.hostKeyFingerprint()), new AgentFixture.Events(),
                TestKeys.generate().privateKeyText())

        then:
        await(20_000) { a.status() == AgentStatus.BLOCKED }
        a.statusReason().startsWith('public key rejected by')
    }

    def "a login that does not answer in time is a loaded host, not a refused key: the agent retries and comes online"() {
        given: 'a host whose first logins are accepted only after the agent stopped waiting'
        // 2 s, not 0.5 s: the login that comes in time (key exchange, login, the work directory's command, the look
        // for Java) must fit in it on a loaded machine too; the slow ones stay well past it
        def settings = new SshAgent.Settings(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(2))
        server.slowLogins(2, 5000)
        def events = new AgentFixture.Events()
        def a = new SshAgent(server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work')),
                settings, events)
        agents << a

        when:
        a.start()

        then: 'it is never blocked (a person would have to act), and it connects once the host answers in time'
        await(20_000) { a.status() == AgentStatus.ONLINE }
        !events.statuses.any { it.startsWith('BLOCKED') }
        events.statuses.any { it.startsWith('OFFLINE') }
    }

    def "an agent nobody answers for is offline with a sentence, not the SSH library's type names"() {
        given: 'a loopback port that is bound but never listened on, so it refuses'
        def closed = new Socket()
        closed.bind(new InetSocketAddress(InetAddress.loopbackAddress, 0))
        def endpoint = server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work'))
        def a = new SshAgent(new AgentEndpoint('a1', '127.0.0.1', closed.localPort, endpoint.user(), endpoint.privateKeyPem(),
                endpoint.hostKey(), endpoint.workDir()), fast(), new AgentFixture.Events())
        agents << a

        when:
        a.start()

        then:
        await(20_000) { a.status() == AgentStatus.OFFLINE && a.statusReason()?.startsWith('cannot connect') }
        a.statusReason() == "cannot connect: connection refused by 127.0.0.1:${closed.localPort} (is sshd running there?)".toString()

        cleanup:
        closed.close()
    }

    def "an agent whose host name does not resolve is offline saying so, not 'Failed to execute: null'"() {
        given:
        def endpoint = server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work'))
        def a = new SshAgent(new AgentEndpoint('a1', 'nosuch.invalid', 22, endpoint.user(), endpoint.privateKeyPem(),
                endpoint.hostKey(), endpoint.workDir()), fast(), new AgentFixture.Events())
        agents << a

        when:
        a.start()

        then:
        await(30_000) { a.status() == AgentStatus.OFFLINE && a.statusReason()?.startsWith('cannot connect') }
        a.statusReason() == "cannot connect: unknown host 'nosuch.invalid' (the name does not resolve)"
    }

    def "an agent address where something other than SSH answers (a wrong port) says so, not 'Session is being closed'"() {
        given: 'a port where a web server answers and hangs up'
        def web = new ServerSocket(0, 5, InetAddress.loopbackAddress)
        Thread.startDaemon {
            while (!web.closed) {
                try (def c = web.accept()) {
                    c.outputStream.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'.bytes)
                    c.outputStream.flush()
                } catch (IOException ignored) {
                }
            }
        }
        def endpoint = server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work'))
        def a = new SshAgent(new AgentEndpoint('a1', '127.0.0.1', web.localPort, endpoint.user(), endpoint.privateKeyPem(),
                endpoint.hostKey(), endpoint.workDir()), fast(), new AgentFixture.Events())
        agents << a

        when:
        a.start()

        then:
        Set<String> seen = [] as Set
        String reason = null
        assert await(30_000) {
            reason = a.statusReason()
            seen << "${a.status()}: $reason".toString()
            a.status() == AgentStatus.OFFLINE && reason?.startsWith('cannot connect')
        }, "the agent was only ever $seen"
        reason == "cannot connect: the connection to 127.0.0.1:${web.localPort} closed before SSH began (is that port an SSH server's?)".toString()

        and: 'however the other end hung up (before the login, or during it with a broken pipe), never blocked for good'
        !seen.any { it.startsWith('BLOCKED') }

        cleanup:
        web.close()
    }

    def "a dropped connection makes the agent offline, and it reconnects by itself"() {
        given:
        def events = new AgentFixture.Events()
        def a = agent(new HostKeyCheck.Pinned(server.hostKeyFingerprint()), events)
        assert await(20_000) { a.status() == AgentStatus.ONLINE }

        when:
        server.stop()

        then:
        await(20_000) { a.status() == AgentStatus.OFFLINE }
        a.statusReason() != null

        when:
        server.restart(false)

        then:
        await(30_000) { a.status() == AgentStatus.ONLINE }
        // the listener hears of a change after the status is set (outside the agent's lock): waited for, not assumed
        await(10_000) { events.statuses.last() == 'ONLINE' }
        events.statuses.first() == 'ONLINE'
        events.statuses.any { it.startsWith('OFFLINE') }
    }

    def "install reports the host's facts and prepares the work directory"() {
        given: 'an agent given as long as the product gives a first connection (it uploads and starts the agent program):'
        // its connect timeout too, which install waits twice over; the fixture's short one failed on a loaded machine
        def endpoint = server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work'))
        def a = new SshAgent(endpoint, new SshAgent.Settings(Duration.ofMillis(AgentFixture.ms(300)),
                Duration.ofMillis(AgentFixture.ms(30_000)), SshAgent.Settings.DEFAULTS.connectTimeout()),
                new AgentFixture.Events())
        agents << a
        a.start()

        when:
        def facts = a.install()

        then:
        facts.os() == 'linux'
        facts.arch() == HostProbe.arch(['uname', '-m'].execute().text.trim())
        facts.cpus() == Runtime.runtime.availableProcessors()
        facts.freeDiskBytes() > 0
        facts.shell() in ['/bin/bash', '/bin/sh']
        facts.tools().containsKey('git') == (['sh', '-c', 'command -v git'].execute().waitFor() == 0)
        facts.tools().containsKey('setsid')
        facts.tools().values().every { !(it =~ /\p{Cntrl}/) && !it.contains('caution') }
        !facts.tools().containsKey('unzip') || facts.tools().unzip.startsWith('UnZip')
        facts.labels().containsAll(['os:linux', "arch:${facts.arch()}".toString(), 'tool:setsid'])
        tmp.resolve('work').toFile().isDirectory()
    }

    def "install labels only the tools that run, and says why those on the PATH that do not run got no label"() {
        given: 'a host whose mvn finds no Java, whose gradle works, and whose make never answers'
        def bin = Files.createDirectories(tmp.resolve('bin'))
        tool(bin, 'mvn', 'echo "The JAVA_HOME environment variable is not defined correctly," >&2\n'
                + 'echo "this environment variable is needed to run this program" >&2\nexit 1')
        tool(bin, 'gradle', 'echo\necho "Gradle 8.7"')
        tool(bin, 'make', 'exec sleep 60')
        server.putFirstOnPath(bin)
        def a = new SshAgent(server.endpoint('a1', new HostKeyCheck.Pinned(server.hostKeyFingerprint()), tmp.resolve('work')),
                new SshAgent.Settings(Duration.ofMillis(AgentFixture.ms(300)), Duration.ofMillis(AgentFixture.ms(30_000)),
                        SshAgent.Settings.DEFAULTS.connectTimeout()), new AgentFixture.Events())
        agents << a
        a.start()

        when:
        def facts = a.install()

        then: 'a tool is labelled when its version command exits 0'
        facts.tools().gradle == 'Gradle 8.7'
        facts.labels().contains('tool:gradle')

        and: 'mvn is on the PATH but does not run: no label, and the first line of its error'
        !facts.tools().containsKey('mvn')
        !facts.labels().contains('tool:mvn')
        facts.toolsNotRunning().mvn == 'The JAVA_HOME environment variable is not defined correctly,'

        and: 'make did not answer in time: the install went on without it'
        !facts.labels().contains('tool:make')
        facts.toolsNotRunning().make == "no answer within ${HostProbe.TOOL_TIME_LIMIT.toSeconds()}s".toString()
    }

    private static void tool(Path dir, String name, String body) {
        def f = dir.resolve(name)
        Files.writeString(f, "#!/bin/sh\n$body\n")
        f.toFile().setExecutable(true)
    }
}

package io.stoker.cli.remote

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.cli.CliRun
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code stoker agent add|list|install|pin|remove} through the real command line against a real server in process,
 * with an in-process SSH server as the agent. Features build on each other, hence {@code @Stepwise}.
 */
@Stepwise
class AgentCommandsSpec extends RemoteCliSpecification {
    @Shared @TempDir Path work
    @Shared SshTestServer ssh
    @Shared Path keyFile

    def setupSpec() {
        ssh = SshTestServer.start()
        keyFile = work.resolve('agent_key')
        keyFile.text = ssh.clientKeys().privateKeyText()
    }

    def cleanupSpec() {
        closeServer() // before the SSH server its agents use
        ssh?.close()
    }

    /** Polls every 50 ms until the condition holds, for at most 20 s (times the timeout factor). */
    static void eventually(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 20_000 * CliRun.TIMEOUT_FACTOR
        while (!condition()) {
            assert System.currentTimeMillis() < deadline, "condition not met within ${20 * CliRun.TIMEOUT_FACTOR} s"
            Thread.sleep(50)
        }
    }

    def "agent add registers an agent and never prints the key"() {
        when:
        def r = stoker('agent', 'add', 'cli1', '--host', ssh.host(), '--port', ssh.port(), '--user', ssh.user(),
                '--key', keyFile, '--label', 'linux', '--label', 'fast', '--executors', 2,
                '--work-dir', work.resolve('agent').toString(), '--host-key', ssh.hostKeyFingerprint())

        then:
        r.exit == 0
        r.out.startsWith("added agent cli1 (${ssh.user()}@127.0.0.1:${ssh.port()}, 2 executors, labels: linux,fast)")
        !(r.out + r.err).contains('PRIVATE KEY')
    }

    def "agent list shows status, slots and labels"() {
        expect:
        eventually { stoker('agent', 'list').out.contains('online') }
        def r = stoker('agent', 'list')
        r.exit == 0
        def lines = r.out.readLines()
        lines[0].split(/\s+/) as List == ['NAME', 'ADDRESS', 'STATUS', 'MODE', 'BUSY', 'LABELS', 'TASKS']
        def row = lines[1].split(/\s+/) as List
        row[3] in ['persistent', 'shell'] // persistent where the host has Java 21+ for the agent program
        row - [row[3]] == ['cli1', "${ssh.user()}@127.0.0.1:${ssh.port()}".toString(), 'online', '0/2', 'cli1,linux,fast', '-']
    }

    def "agent install prints the facts and the automatic labels, and the tools on the PATH that did not run"() {
        given: 'the host has an mvn that finds no Java'
        def bin = Files.createDirectories(work.resolve('bin'))
        Files.writeString(bin.resolve('mvn'), '#!/bin/sh\n'
                + 'echo "The JAVA_HOME environment variable is not defined correctly," >&2\nexit 1\n')
        bin.resolve('mvn').toFile().setExecutable(true)
        ssh.putFirstOnPath(bin)

        when:
        def r = stoker('agent', 'install', 'cli1')

        then:
        r.exit == 0
        r.out.startsWith('agent cli1: linux/')
        r.out.contains('  git: git version')
        r.out.contains('  mvn found but did not run: The JAVA_HOME environment variable is not defined correctly, '
                + '(no tool:mvn label)')
        r.out.readLines().last().startsWith('automatic labels: os:linux, arch:')
        r.out.contains('tool:git')
        !r.out.readLines().last().contains('tool:mvn')
    }

    def "after an install the list counts the automatic labels instead of widening, and agent show lists them all"() {
        when:
        def list = stoker('agent', 'list')
        def row = list.out.readLines()[1]
        def show = stoker('agent', 'show', 'cli1')
        def automatic = show.out.readLines().find { it.startsWith('automatic labels: ') }

        then: 'the list: the name, the labels given, and how many install added'
        list.exit == 0
        row =~ / cli1,linux,fast \+\d+ auto /
        !row.contains('os:linux')
        list.out.contains("+N auto: labels from 'stoker agent install'")

        and: 'show: every label, the name first, and the tools'
        show.exit == 0
        show.out.contains('labels: cli1 (its name), linux, fast\n')
        automatic.contains('os:linux') && automatic.contains('tool:git')
        automatic.split(', ').size() == (row =~ /\+(\d+) auto/)[0][1] as int
        show.out.contains('  mvn found but did not run: The JAVA_HOME')
        show.out.readLines().find { it.startsWith('installed ') } ==~ /installed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: linux\/.*/

        and: '--json keeps the full set, the name among them'
        def json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stoker('agent', 'list', '--json').out).get(0)
        json.path('labels')*.asText().containsAll(['cli1', 'linux', 'fast', 'os:linux', 'tool:git'])
    }

    def "bad input is refused with the field named and exit code 2"() {
        when:
        def bad = stoker('agent', 'add', 'cli2', '--host', 'h', '--user', 'u', '--key', keyFile, '--host-key', 'nope')
        def missing = stoker('agent', 'add', 'cli3', '--host', 'h', '--user', 'u', '--key', keyFile)
        def noFile = stoker('agent', 'add', 'cli4', '--host', 'h', '--user', 'u', '--key', work.resolve('absent'),
                '--trust-on-first-use')
        def notKey = stoker('agent', 'add', 'cli5', '--host', 'h', '--user', 'u', '--key', Files.writeString(work.resolve('x'), 'hello'),
                '--trust-on-first-use')

        then:
        bad.exit == 2
        bad.err.startsWith('stoker: --host-key: must be an OpenSSH SHA256 fingerprint')
        missing.exit == 2
        missing.err.contains('--host-key')
        noFile.exit == 2
        noFile.err.contains('cannot read the key file')
        notKey.exit == 2
        notKey.err.startsWith('stoker: --key: must be a private key')
    }

    def "agent run takes several servers and refuses one that is not an http(s) URL, naming it"() {
        when:
        def run = CliRun.of('agent', 'run', '--server', "${server.url()},ftp://elsewhere".toString(), '--token', 'stka_x')

        then:
        run.exit == 2
        run.err.readLines() == ["stoker: --server must be an http:// or https:// URL, not 'ftp://elsewhere'",
                                "Try 'stoker agent run --help' for more information."]
    }

    def "agent pin sets a new host key"() {
        when:
        def r = stoker('agent', 'pin', 'cli1', '--host-key', ssh.hostKeyFingerprint())

        then:
        r.exit == 0
        r.out.startsWith("pinned ${ssh.hostKeyFingerprint()} for agent cli1")
    }

    def "an agent added without labels says none, and a label that is its name is listed once"() {
        when:
        def bare = stoker('agent', 'add', 'cli6', '--host', ssh.host(), '--port', ssh.port(), '--user', ssh.user(),
                '--key', keyFile, '--work-dir', work.resolve('agent6').toString(), '--host-key', ssh.hostKeyFingerprint())
        def named = stoker('agent', 'add', 'cli7', '--host', ssh.host(), '--port', ssh.port(), '--user', ssh.user(),
                '--key', keyFile, '--label', 'cli7', '--label', 'fast', '--work-dir', work.resolve('agent7').toString(),
                '--host-key', ssh.hostKeyFingerprint())
        def rows = stoker('agent', 'list').out.readLines()

        then:
        bare.exit == 0
        bare.out.startsWith("added agent cli6 (${ssh.user()}@127.0.0.1:${ssh.port()}, 1 executor, labels: none)")
        named.exit == 0
        rows.find { it.startsWith('cli6 ') }.split(/\s+/)[5] == 'cli6'
        rows.find { it.startsWith('cli7 ') }.split(/\s+/)[5] == 'cli7,fast'

        cleanup:
        ['cli6', 'cli7'].each { stoker('agent', 'remove', it, '--force') }
    }

    def "agent remove unregisters it, and an unknown name is exit 2"() {
        expect:
        stoker('agent', 'remove', 'cli1').out == 'removed agent cli1\n'
        stoker('agent', 'list').out.contains("no agents; add one with 'stoker agent add'")
        def r = stoker('agent', 'remove', 'cli1')
        r.exit == 2
        r.err.contains("no agent 'cli1'")
    }

    def "agent remove of a pull agent says it dials again while its token is valid"() {
        given: 'a pull agent connected with a token'
        def created = stoker('agent', 'token', 'create', 'spec-pullers')
        assert created.exit == 0, created.err
        String agentToken = created.out.trim()
        def program = new io.stoker.agent.pull.PullAgentProgram(new io.stoker.agent.pull.PullAgentProgram.Settings(
                URI.create(server.url()), agentToken, 'puller', ['spec-pull'], 1, work.resolve('puller'),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(500)), { })
        Thread.ofPlatform().daemon().start { program.run() }
        eventually { stoker('agent', 'list').out.contains('puller') }

        when:
        def r = stoker('agent', 'remove', 'puller')

        then:
        r.exit == 0
        r.out == 'removed agent puller\npuller is a pull agent: it connects again while its token is valid; stop it ' +
                'on its machine, or revoke its token (stoker agent token revoke NAME) and remove it again\n'

        cleanup:
        program?.close()
    }

    def "stoker validate reports a label syntax error at the agent call's line:col"() {
        given:
        def file = work.resolve('Jobfile')
        file.text = """job('j') {
  task('t') {
    agent 'linux && (docker'
    sh 'true'
  }
}
"""
        when:
        def r = CliRun.of('validate', file)

        then:
        r.exit == 2
        r.err.contains("$file:3:5: agent of task 't': missing ')' at column 17 of 'linux && (docker'")
    }
}

package io.stoker.server.git

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration

class GitSshMirrorSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TestRepo source

    @AutoCleanup
    GitSshServer server

    GitMirrors mirrors

    def setup() {
        source = TestRepo.create(tmp.resolve('repos/org/app.git'))
        mirrors = new GitMirrors(tmp.resolve('data/git'), Duration.ofSeconds(20))
        server = new GitSshServer(tmp.resolve('repos').toRealPath(), mirrors.sshPublicKey())
    }

    def "the mirrors' own ssh key is generated once, private and in OpenSSH form"() {
        expect:
        mirrors.sshPublicKey().startsWith('ecdsa-sha2-nistp256 ')
        new GitMirrors(tmp.resolve('data/git')).sshPublicKey() == mirrors.sshPublicKey()
        PosixFilePermissions.toString(Files.getPosixFilePermissions(mirrors.sshDir().resolve('id_ecdsa'))) == 'rw-------'
        Files.readString(mirrors.sshDir().resolve('id_ecdsa')).startsWith('-----BEGIN OPENSSH PRIVATE KEY-----')
    }

    def "a sync over ssh:// from a known host mirrors the branches, and a later sync sees a new commit"() {
        given:
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}', 'run.sh': 'echo hi'])
        Files.writeString(mirrors.sshDir().resolve('known_hosts'), server.knownHostsLine() + '\n')

        when:
        def result = mirrors.sync('app', server.url('org/app.git'), null)

        then:
        result.branches() == [main: first]
        mirrors.resolve('app', 'main') == first
        mirrors.readJobfile('app', first).get().text() == 'job "a" {}'

        when:
        mirrors.export('app', first, tmp.resolve('ws'))

        then:
        Files.readString(tmp.resolve('ws/run.sh')) == 'echo hi'

        when:
        def second = source.commit('main', 'second', [Jobfile: 'job "b" {}'])
        mirrors.sync('app', server.url('org/app.git'), null)

        then:
        mirrors.resolve('app', 'main') == second
    }

    def "an scp-like URL (git@host:org/repo.git) is taken as ssh, so it gets the same key and host checks"() {
        given: "scp-like URLs have no port, and this test server cannot listen on 22: checked by how JGit parses it"
        def uri = new org.eclipse.jgit.transport.URIish('git@example.com:org/app.git')

        expect:
        uri.host == 'example.com'
        uri.path == 'org/app.git'
        uri.scheme == null
        org.eclipse.jgit.transport.TransportGitSsh.PROTO_SSH.canHandle(uri)
    }

    def "an unknown host key fails the sync with its fingerprint and the line to add, and leaves no mirror"() {
        given:
        source.commit('main', 'first', [Jobfile: 'job "a" {}'])

        when:
        mirrors.sync('app', server.url('org/app.git'), null)

        then:
        def e = thrown(GitMirrorException)
        e.message.contains("unknown ssh host [127.0.0.1]:${server.port()}")
        e.message.contains(server.fingerprint())
        e.message.contains(server.knownHostsLine())
        e.message.contains(mirrors.sshDir().resolve('known_hosts').toString())
        !mirrors.exists('app')
    }

    def "with trust-on-first-use the first key is recorded, and a changed host key fails even then"() {
        given:
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}'])
        def trusting = new GitMirrors(tmp.resolve('data/git'), Duration.ofSeconds(20), true)

        when:
        trusting.sync('app', server.url('org/app.git'), null)

        then:
        trusting.resolve('app', 'main') == first
        Files.readString(trusting.sshDir().resolve('known_hosts')).contains(server.knownHostsLine())

        when:
        server.changeHostKey()
        trusting.sync('app', server.url('org/app.git'), null)

        then:
        def e = thrown(GitMirrorException)
        e.message.contains("host key of [127.0.0.1]:${server.port()} has CHANGED")
        e.message.contains(server.fingerprint())
        trusting.resolve('app', 'main') == first // the mirror keeps what it had
    }

    def "a host pinned by a hashed known_hosts line (ssh-keygen -H) is trusted, with trust-on-first-use off"() {
        given:
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}'])
        def knownHosts = mirrors.sshDir().resolve('known_hosts')
        Files.writeString(knownHosts, server.knownHostsLine() + '\n')
        def hash = new ProcessBuilder('ssh-keygen', '-H', '-f', knownHosts.toString()).redirectErrorStream(true).start()
        hash.inputStream.text
        assert hash.waitFor() == 0
        assert Files.readString(knownHosts).startsWith('|1|')
        assert !Files.readString(knownHosts).contains('127.0.0.1')

        when:
        def result = mirrors.sync('app', server.url('org/app.git'), null)

        then:
        result.branches() == [main: first]
    }

    def "known_hosts wildcards are understood, and a key marked @revoked is refused even beside a plain line"() {
        given:
        source.commit('main', 'first', [Jobfile: 'job "a" {}'])
        def knownHosts = mirrors.sshDir().resolve('known_hosts')
        String key = server.knownHostsLine().split(' ', 2)[1]

        when:
        Files.writeString(knownHosts, "[127.0.0.?]:${server.port()} $key\n")
        mirrors.sync('app', server.url('org/app.git'), null)

        then:
        mirrors.exists('app')

        when:
        Files.writeString(knownHosts, "@revoked [127.0.0.1]:${server.port()} $key\n" + server.knownHostsLine() + '\n')
        mirrors.sync('app', server.url('org/app.git'), null)

        then:
        def e = thrown(GitMirrorException)
        e.message.contains("host key of [127.0.0.1]:${server.port()}")
        e.message.contains('@revoked')
    }
}

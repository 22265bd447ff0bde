package io.stoker.server.git

import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter
import spock.lang.AutoCleanup
import spock.lang.Requires
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

    def "the mirrors' own ssh key is generated once, private, in PKCS#8 PEM, its public half an authorized_keys line"() {
        expect:
        mirrors.sshPublicKey() ==~ /ecdsa-sha2-nistp256 [A-Za-z0-9+\/]+=* stoker-server/
        new GitMirrors(tmp.resolve('data/git')).sshPublicKey() == mirrors.sshPublicKey()
        PosixFilePermissions.toString(Files.getPosixFilePermissions(mirrors.sshDir().resolve('id_ecdsa'))) == 'rw-------'
        Files.readString(mirrors.sshDir().resolve('id_ecdsa')).startsWith('-----BEGIN PRIVATE KEY-----\n')
        !Files.exists(mirrors.sshDir().resolve('id_ecdsa.new'))
    }

    @Requires({ new File('/usr/bin/ssh-keygen').canExecute() })
    def "OpenSSH's ssh-keygen reads the private key and derives the same public key"() {
        when:
        def p = new ProcessBuilder('/usr/bin/ssh-keygen', '-y', '-f', mirrors.sshDir().resolve('id_ecdsa').toString())
                .redirectErrorStream(true).start()
        String derived = new String(p.inputStream.readAllBytes()).trim()

        then:
        p.waitFor() == 0
        derived.split(' ')[0..1] == mirrors.sshPublicKey().split(' ')[0..1]
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

    def "a data directory whose key an earlier version wrote in OpenSSH form still fetches with it"() {
        given: 'the key pair as earlier versions wrote it, with Apache MINA SSHD\'s OpenSSH writer'
        Path dir = tmp.resolve('old/ssh')
        Files.createDirectories(dir)
        def generator = java.security.KeyPairGenerator.getInstance('EC')
        generator.initialize(new java.security.spec.ECGenParameterSpec('secp256r1'))
        def pair = generator.generateKeyPair()
        dir.resolve('id_ecdsa').withOutputStream {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, 'old', (OpenSSHKeyEncryptionContext) null, it)
        }
        dir.resolve('id_ecdsa.pub').withOutputStream { OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(pair.public, 'old', it) }
        def old = new GitMirrors(tmp.resolve('old/git'), Duration.ofSeconds(20))
        assert old.sshDir() == dir
        def first = source.commit('main', 'first', [Jobfile: 'job "a" {}'])
        server.close()
        server = new GitSshServer(tmp.resolve('repos').toRealPath(), old.sshPublicKey())
        Files.writeString(dir.resolve('known_hosts'), server.knownHostsLine() + '\n')

        when:
        def result = old.sync('app', server.url('org/app.git'), null)

        then:
        result.branches() == [main: first]
        Files.readString(dir.resolve('id_ecdsa')).startsWith('-----BEGIN OPENSSH PRIVATE KEY-----') // left as it was
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

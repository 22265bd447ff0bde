package io.stoker.container

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.container.fixtures.Podman
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.container.fixtures.Registry
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.security.cert.CertificateException
import java.security.cert.X509Certificate
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManager
import javax.net.ssl.X509TrustManager

/**
 * The publishImage step: Jib puts workspace files on a base image and pushes, with no engine involved; Podman is
 * used only to put the base image into the test registry and to pull and run the result.
 */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() }, reason = Podman.SKIP + '; ' + Registry.SKIP)
class ImagePublisherSpec extends Specification {

    @Shared
    @AutoCleanup
    Registry registry = Registry.start()

    @Shared
    String base

    @TempDir
    Path workspace
    @TempDir
    Path cache

    List<String> log = Collections.synchronizedList([])
    def login = RegistryCredentials.parse(Registry.credentials())

    def setupSpec() {
        base = "${registry.host()}/base/busybox:1".toString()
        Podman.engine()
        assert Podman.podman('tag', Podman.IMAGE, base).exit == 0
        def pushed = Podman.podman('push', '--tls-verify=false', '--creds', Registry.credentials(), base)
        assert pushed.exit == 0: pushed.out
    }

    def cleanupSpec() {
        // the tag names this spec's registry, which is gone with it: every run would leave one on the host
        if (base) Podman.podman('rmi', base)
    }

    def setup() {
        def dist = Files.createDirectories(workspace.resolve('dist/conf'))
        dist.resolveSibling('hello.sh').text = '#!/bin/sh\necho "published by jib: $(cat /app/dist/conf/greeting.txt)"\n'
        Files.setPosixFilePermissions(dist.resolveSibling('hello.sh'), PosixFilePermissions.fromString('rwxr-xr-x'))
        dist.resolve('greeting.txt').text = 'hi'
        workspace.resolve('notes.txt').text = 'not in the image'
    }

    def "files from the workspace are published on a registry base image and run after a pull by digest (#how)"() {
        given:
        def ref = "${registry.host()}/org/jib:3".toString()
        def publisher = new ImagePublisher([] as Set, cache, pullBaseFirst)

        when:
        def digest = publisher.publish(workspace,
                new ImagePublisher.Request('dist/**', base, ['/app/dist/hello.sh'], ref, login, login), log::add)

        then:
        digest ==~ /sha256:[0-9a-f]{64}/
        registry.digestOf('org/jib', '3') == digest
        log.any { it.startsWith("pushed $ref digest $digest (2 files on $base)") }

        when:
        def pinned = ImageReference.parse(ref).withDigest(digest)
        def pulled = Podman.podman('pull', '--tls-verify=false', '--creds', Registry.credentials(), pinned)
        def ran = Podman.podman('--runtime', 'runc', 'run', '--rm', pinned)
        def listed = Podman.podman('--runtime', 'runc', 'run', '--rm', '--entrypoint', 'ls', pinned, '/app')

        then:
        pulled.exit == 0
        ran.exit == 0
        ran.out.contains('published by jib: hi')
        listed.out.readLines()*.trim() == ['dist']

        cleanup:
        Podman.podman('rmi', '-f', pinned)

        where:
        pullBaseFirst | how
        false         | 'base and push in one build'
        true          | 'the base pulled on its own first, as when only one of the registries is insecure'
    }

    @Requires({ Registry.otherNameOfLoopback() != null })
    def "with a base on a registry reached over plain HTTP, the push goes to a TLS registry whose certificate the JVM verifies"() {
        given: 'a push registry under a name that is not loopback, whose certificate this JVM is made to trust'
        def secure = Registry.start(Registry.otherNameOfLoopback())
        def ref = "${secure.host()}/org/jib:4".toString()
        def verified = Collections.synchronizedList([])
        def previous = SSLContext.default
        SSLContext.default = trusting(secure.certificate(), verified)

        when: 'an image on the plain-HTTP base is pushed there'
        def digest = new ImagePublisher([] as Set, cache).publish(workspace,
                new ImagePublisher.Request('dist/**', base, [], ref, login, login), log::add)

        then: 'the base was pulled on its own, and the push checked the registry\'s certificate'
        secure.digestOf('org/jib', '4') == digest
        verified.contains(secure.certificate().subjectX500Principal.name)
        !Files.list(cache.resolve('bases')).withCloseable { it.findAny().present } // its tar file is gone

        cleanup:
        if (previous != null) SSLContext.default = previous
        secure?.close()
    }

    /** A TLS context trusting only {@code certificate}, recording the subject of each server certificate it checks. */
    static SSLContext trusting(X509Certificate certificate, List<String> verified) {
        def manager = new X509TrustManager() {
            @Override
            void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException('no client certificates here')
            }

            @Override
            void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain[0] != certificate) throw new CertificateException('not the test registry')
                verified << chain[0].subjectX500Principal.name
            }

            @Override
            X509Certificate[] getAcceptedIssuers() {
                [certificate] as X509Certificate[]
            }
        }
        def context = SSLContext.getInstance('TLS')
        context.init(null, [manager] as TrustManager[], null)
        context
    }

    def "an image from scratch needs no base image at all"() {
        given:
        def ref = "${registry.host()}/org/bare:1".toString()

        when:
        def digest = new ImagePublisher([] as Set, cache).publish(workspace,
                new ImagePublisher.Request('dist/conf/*', 'scratch', [], ref, login, null), log::add)

        then:
        registry.digestOf('org/bare', '1') == digest
    }

    def "a wrong credential fails with one sentence naming the registry and the user"() {
        when:
        new ImagePublisher([] as Set, cache).publish(workspace, new ImagePublisher.Request('dist/**', 'scratch', [],
                "${registry.host()}/org/jib:bad", new RegistryCredentials('bot', 'wrong-password'), null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "publishImage: the registry ${registry.host()} refused the login of user 'bot'".toString()
        !log.any { it.contains('wrong-password') }
    }

    def "a registry that cannot be reached fails in one sentence, and the log holds no terminal colours nor Java type names"() {
        given: 'a port on 127.0.0.1 that refuses connections (held, so no other server takes it)'
        def refused = new ClosedPort()
        int port = refused.port

        when:
        new ImagePublisher([] as Set, cache).publish(workspace, new ImagePublisher.Request('dist/**', 'scratch', [],
                "127.0.0.1:$port/org/jib:1", login, null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "publishImage: the registry 127.0.0.1:$port cannot be reached (connection refused)".toString()
        log.any { it.contains("Connect to 127.0.0.1:$port") }
        !log.any { it.contains('\u001B') }
        !log.any { it =~ /\b(org|com|java)\.[a-z]+\.\S*[A-Z]/ }

        cleanup:
        refused?.close()
    }

    def "a base whose registry cannot be reached is named as the base's, not blamed on the push's registry (#how)"() {
        given: 'a base on a port of 127.0.0.1 that refuses connections, and a push to the working registry'
        def refused = new ClosedPort()
        def base = "127.0.0.1:${refused.port}/base/busybox:1".toString()

        when:
        new ImagePublisher([] as Set, cache, pullBaseFirst).publish(workspace, new ImagePublisher.Request('dist/**', base,
                [], "${registry.host()}/org/jib:unreachable-base", login, null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "publishImage: the registry 127.0.0.1:${refused.port} cannot be reached (connection refused) (its base)".toString()

        cleanup:
        refused?.close()

        where:
        pullBaseFirst | how
        false         | 'base and push in one build'
        true          | 'the base pulled on its own first'
    }

    def "a push to a registry on this machine, reached over plain HTTP on purpose, logs no HTTPS fallback notices"() {
        when:
        new ImagePublisher([] as Set, cache).publish(workspace, new ImagePublisher.Request('dist/**', 'scratch', [],
                "${registry.host()}/org/quiet:1", login, null), log::add)

        then:
        log.size() == 1
        log[0].startsWith("pushed ${registry.host()}/org/quiet:1 digest sha256:")
    }

    def "a base the registry does not have fails saying so, not with the registry's bare 404 (#how)"() {
        given:
        def absent = "${registry.host()}/base/absent:1".toString()

        when:
        new ImagePublisher([] as Set, cache, pullBaseFirst).publish(workspace, new ImagePublisher.Request('dist/**', absent, [],
                "${registry.host()}/org/jib:absent-base", login, login), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "publishImage: the registry ${registry.host()} has no image base/absent:1 (its base)".toString()

        where:
        how                                  | pullBaseFirst
        'base and push in one build'         | false
        'the base pulled into a file first'  | true
    }

    def "a glob matching nothing is refused before any registry is contacted"() {
        when:
        new ImagePublisher([] as Set, cache).publish(workspace,
                new ImagePublisher.Request('build/**', 'scratch', [], "${registry.host()}/org/jib:1", null, null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "publishImage: no file in the workspace matches from: 'build/**'"
    }
}

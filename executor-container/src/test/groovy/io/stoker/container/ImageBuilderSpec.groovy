package io.stoker.container

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.container.fixtures.Podman
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.container.fixtures.Registry
import spock.lang.AutoCleanup
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path
import java.time.Duration

/** The buildImage step against the host's Podman and a real registry on 127.0.0.1 that requires a login. */
@Timeout(300)
@IgnoreIf(value = { !Podman.installed() || !Registry.installed() }, reason = Podman.SKIP + '; ' + Registry.SKIP)
class ImageBuilderSpec extends Specification {

    @Shared
    @AutoCleanup
    Registry registry = Registry.start()

    @TempDir
    Path workspace

    List<String> log = Collections.synchronizedList([])
    ImageBuilder builder = new ImageBuilder(Podman.engine(), [] as Set, Duration.ofMinutes(4))

    def setup() {
        workspace.resolve('Containerfile').text = """\
            FROM ${Podman.IMAGE}
            COPY hello.txt /hello.txt
            CMD ["cat", "/hello.txt"]
            """.stripIndent()
        workspace.resolve('hello.txt').text = 'built by stoker\n'
    }

    def "an image built from a Containerfile is pushed with the secret's login and pulls back by its digest"() {
        given:
        def ref = "${registry.host()}/org/app:7".toString()

        when:
        def digest = builder.buildAndPush(workspace,
                new ImageBuilder.Request('.', 'Containerfile', ref, RegistryCredentials.parse(Registry.credentials())), log::add)

        then: 'the digest is the one the registry serves, and the log says it'
        digest ==~ /sha256:[0-9a-f]{64}/
        registry.digestOf('org/app', '7') == digest
        log.any { it == "pushed $ref digest $digest".toString() }
        !log.any { it.contains(Registry.PASSWORD) }

        when: 'the image is removed here and pulled back by digest'
        def pinned = ImageReference.parse(ref).withDigest(digest)
        Podman.podman('rmi', '-f', ref)
        def pulled = Podman.podman('pull', '--tls-verify=false', '--creds', Registry.credentials(), pinned)
        def ran = Podman.podman('--runtime', 'runc', 'run', '--rm', pinned)

        then:
        pulled.exit == 0
        ran.exit == 0
        ran.out.contains('built by stoker')

        cleanup:
        Podman.podman('rmi', '-f', pinned)
    }

    def "a pushed image leaves no tag on the host, so a task that runs it by tag pulls what the registry holds"() {
        given:
        def ref = "${registry.host()}/org/app:kept".toString()

        when:
        def digest = builder.buildAndPush(workspace,
                new ImageBuilder.Request('.', 'Containerfile', ref, RegistryCredentials.parse(Registry.credentials())), log::add)

        then:
        registry.digestOf('org/app', 'kept') == digest
        Podman.podman('image', 'exists', ref).exit == 1
        log.any { it == "removed the local tag $ref".toString() }

        cleanup:
        Podman.podman('rmi', '-f', ref)
    }

    def "a wrong credential fails the step with one sentence that names the registry and not the password"() {
        given:
        def ref = "${registry.host()}/org/app:wrong".toString()

        when:
        builder.buildAndPush(workspace, new ImageBuilder.Request('.', 'Containerfile', ref,
                new RegistryCredentials(Registry.USER, 'not-the-password')), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == "push: the registry ${registry.host()} refused the login of user 'bot'".toString()
        !log.any { it.contains('not-the-password') }

        cleanup:
        Podman.podman('rmi', '-f', ref)
    }

    def "a push without a login to a registry that requires one says to add credentials"() {
        when:
        builder.buildAndPush(workspace, new ImageBuilder.Request('.', 'Containerfile', "${registry.host()}/org/anon:1", null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message.startsWith("push: the registry ${registry.host()} requires a login")
    }

    def "a push to a registry that cannot be reached says so in one sentence"() {
        given: 'a port on 127.0.0.1 that refuses connections (held, so no other server takes it)'
        def refused = new ClosedPort()
        int port = refused.port
        def ref = "127.0.0.1:$port/org/app:1".toString()

        when:
        builder.buildAndPush(workspace, new ImageBuilder.Request('.', 'Containerfile', ref, null), log::add)

        then: 'and the image built for the push is not left on the host'
        def e = thrown(ImageBuildFailed)
        e.message == "push: the registry 127.0.0.1:$port cannot be reached (connection refused)".toString()
        Podman.podman('image', 'exists', ref).exit == 1

        cleanup:
        refused?.close()
        Podman.podman('rmi', '-f', ref)
    }

    def "a Containerfile outside the workspace is refused before the engine runs"() {
        when:
        builder.buildAndPush(workspace, new ImageBuilder.Request('.', '../Containerfile', "${registry.host()}/org/app:1", null), log::add)

        then:
        def e = thrown(ImageBuildFailed)
        e.message == 'buildImage: context and file must stay inside the workspace'
        log.isEmpty()
    }
}

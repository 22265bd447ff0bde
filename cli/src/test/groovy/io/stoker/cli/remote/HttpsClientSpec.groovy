package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.server.ServerConfig
import io.stoker.server.tls.SelfSigned
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The client commands against a real HTTPS server with a self-signed certificate made in the test. */
class HttpsClientSpec extends RemoteCliSpecification {
    @Shared @TempDir Path dir
    @Shared Path cert

    @Override
    int slots() {
        ServerConfig.defaults().slots()
    }

    @Override
    ServerConfig configure(ServerConfig config) {
        def identity = SelfSigned.create('EC')
        cert = identity.writeCert(dir.resolve('cert.pem'))
        config.withTls(cert, identity.writePkcs8Key(dir.resolve('key.pem')))
    }

    def "a client command reaches a self-signed HTTPS server when given its certificate with --ca-cert"() {
        expect:
        server.url().startsWith('https://')

        when:
        def run = CliRun.of('project', 'list', '--token', token, '--server', server.url(), '--ca-cert', cert)

        then:
        run.exit == 0
        run.out.contains('no projects')
    }

    def "without --ca-cert the JDK's trust store refuses the certificate, and the message says what to do"() {
        when:
        def run = CliRun.of('project', 'list', '--token', token, '--server', server.url())

        then:
        run.exit == 3
        run.err.contains('TLS handshake')
        run.err.contains("the server's certificate is not signed by a CA this client trusts")
        run.err.contains('--ca-cert')
        run.err.trim().lines().count() == 1

        and: 'no JDK type names'
        !(run.err =~ /\b(sun|java|javax)\.[a-z.]+[A-Z]\w*/)
        !run.err.contains('PKIX')
    }

    def "plain http to the HTTPS server says to use https, not that a header parser received no bytes"() {
        when:
        def run = CliRun.of('project', 'list', '--token', token, '--server', server.url().replace('https://', 'http://'))

        then:
        run.exit == 3
        run.err.trim().lines().count() == 1
        run.err.contains("closed the connection without an answer; if it serves HTTPS, use ${server.url()}")
        !run.err.contains('header parser')
    }

    def "a certificate that is not the server's does not help"() {
        given:
        def other = SelfSigned.create('EC').writeCert(dir.resolve('other.pem'))

        when:
        def run = CliRun.of('project', 'list', '--token', token, '--server', server.url(), '--ca-cert', other)

        then:
        run.exit == 3
        run.err.contains('TLS handshake')
    }

    def "a --ca-cert file that is missing or not a certificate is an input error: #why"() {
        given:
        def file = dir.resolve(name)
        if (text != null) Files.writeString(file, text)

        when:
        def run = CliRun.of('project', 'list', '--token', token, '--server', server.url(), '--ca-cert', file)

        then:
        run.exit == 2
        run.err.contains(says)

        where:
        why       | name        | text               || says
        'missing' | 'none.pem'  | null               || 'does not exist'
        'junk'    | 'junk.pem'  | 'not a certificate' || 'is not a PEM certificate'
        'empty'   | 'empty.pem' | ''                 || 'no PEM certificate'
    }

    def "STOKER_CA_CERT is the default of --ca-cert"() {
        expect:
        ServerOption.caCert(null, [STOKER_CA_CERT: '/etc/ca.pem']) == Path.of('/etc/ca.pem')
        ServerOption.caCert(Path.of('/x.pem'), [STOKER_CA_CERT: '/etc/ca.pem']) == Path.of('/x.pem')
        ServerOption.caCert(null, [STOKER_CA_CERT: ' ']) == null
    }

    def "stoker server refuses a certificate without its key with exit 2 and one line"() {
        when:
        def run = CliRun.of('server', '--port', '0', '--data-dir', dir.resolve('other-data'), '--tls-cert', cert)

        then:
        run.exit == 2
        run.err.trim() == "stoker: cannot start the server: a TLS certificate (--tls-cert) was given without its key (--tls-key)"
    }
}

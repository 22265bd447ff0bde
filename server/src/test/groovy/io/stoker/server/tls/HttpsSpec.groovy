package io.stoker.server.tls

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.TempDir

import javax.net.ssl.SSLHandshakeException
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

class HttpsSpec extends ServerSpecification {
    @Shared @TempDir Path certDir
    @Shared SelfSigned identity

    @Override
    StokerServer startServer(ServerConfig config) {
        identity = SelfSigned.create('EC')
        StokerServer.start(MigratedDatabase.into(config.withTls(identity.writeCert(certDir.resolve('cert.pem')),
                identity.writePkcs8Key(certDir.resolve('key.pem')))))
    }

    @Override
    Http newHttp(String url) {
        new Http(url, identity.trustingContext()).logIn()
    }

    @TempDir Path dir

    def "a server with a certificate and key serves HTTPS and says so in its URL and banner"() {
        expect:
        server.url() ==~ /https:\/\/127\.0\.0\.1:\d+/
        server.banner().contains("listening on https://127.0.0.1:${server.port()}")

        when:
        def health = http.get('/healthz')

        then:
        health.status == 200
        health.json == [status: 'ok', ready: true]

        and: 'the API works over it too'
        http.get('/version').status == 200
    }

    def "plain HTTP to the TLS port gets no HTTP answer"() {
        when:
        def r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port()}/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())

        then: 'the TLS port closes the connection or answers garbage, never a page'
        thrown(IOException)
    }

    def "a client that does not trust the certificate refuses the connection"() {
        when: 'the JDK trust store alone'
        new Http(server.url()).get('/healthz')

        then:
        thrown(SSLHandshakeException)

        when: 'another self-signed certificate'
        new Http(server.url(), SelfSigned.create('EC').trustingContext()).get('/healthz')

        then:
        thrown(SSLHandshakeException)
    }

    def "RSA and EC keys are read as PKCS#8 and in their traditional PEM forms (#form)"() {
        given:
        def other = SelfSigned.create(algorithm)
        def cert = other.writeCert(dir.resolve('cert.pem'))
        def key = traditional ? other.writeTraditionalKey(dir.resolve('key.pem')) : other.writePkcs8Key(dir.resolve('key.pem'))

        expect:
        Files.readString(key).startsWith("-----BEGIN $form-----")

        when:
        def s = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data'))
                .withIsolatedCompiler(false).withTls(cert, key)))

        then:
        new Http(s.url(), other.trustingContext()).get('/healthz').status == 200

        cleanup:
        s?.close()

        where:
        algorithm | traditional | form
        'RSA'     | false       | 'PRIVATE KEY'
        'RSA'     | true        | 'RSA PRIVATE KEY'
        'EC'      | true        | 'EC PRIVATE KEY'
    }

    def "a TLS setup that cannot work is a one-line start error: #why"() {
        given:
        def a = SelfSigned.create('EC')
        def b = SelfSigned.create('EC')
        def files = [
                cert     : a.writeCert(dir.resolve('cert.pem')),
                key      : a.writePkcs8Key(dir.resolve('key.pem')),
                otherKey : b.writePkcs8Key(dir.resolve('other-key.pem')),
                rsaKey   : SelfSigned.create('RSA').writePkcs8Key(dir.resolve('rsa-key.pem')),
                missing  : dir.resolve('missing.pem'),
                notPem   : Files.writeString(dir.resolve('junk.pem'), 'not a pem file\n'),
                empty    : Files.writeString(dir.resolve('empty.pem'), ''),
                encrypted: Files.writeString(dir.resolve('enc.pem'),
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n")]

        when:
        StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')) // a start that fails makes no data dir
                .withIsolatedCompiler(false).withTls(files[cert], files[key]))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(says)
        e.message.lines().count() == 1

        and: 'nothing was opened'
        !Files.exists(dir.resolve('data'))

        where:
        why                                | cert      | key         | says
        'certificate without key'          | 'cert'    | null        | 'without its key'
        'key without certificate'          | null      | 'key'       | 'without a certificate'
        'missing certificate file'         | 'missing' | 'key'       | 'missing.pem does not exist'
        'missing key file'                 | 'cert'    | 'missing'   | 'missing.pem does not exist'
        'empty key file'                   | 'cert'    | 'empty'     | 'empty.pem is empty'
        'certificate that is not PEM'      | 'notPem'  | 'key'       | 'cannot read the TLS certificate'
        'key that is not PEM'              | 'cert'    | 'notPem'    | 'cannot read the TLS certificate'
        'key of another certificate'       | 'cert'    | 'otherKey'  | 'does not belong to the certificate'
        'key of another algorithm'         | 'cert'    | 'rsaKey'    | 'does not belong to the certificate'
        'encrypted key'                    | 'cert'    | 'encrypted' | 'is encrypted'
    }

    def "the TLS files come from the config file and the environment"() {
        given:
        def props = dir.resolve('stoker.properties')
        Files.writeString(props, "tlsCert=/etc/stoker/cert.pem\n")

        when:
        def c = ServerConfig.load(props, [STOKER_TLS_KEY: '/etc/stoker/key.pem'])

        then:
        c.tlsCert() == Path.of('/etc/stoker/cert.pem')
        c.tlsKey() == Path.of('/etc/stoker/key.pem')
        c.tls()
        !ServerConfig.defaults().tls()
    }
}

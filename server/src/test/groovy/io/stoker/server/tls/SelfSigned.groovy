package io.stoker.server.tls

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo
import org.bouncycastle.asn1.sec.ECPrivateKey
import org.bouncycastle.asn1.x500.X500Name
import org.bouncycastle.asn1.x509.BasicConstraints
import org.bouncycastle.asn1.x509.Extension
import org.bouncycastle.asn1.x509.GeneralName
import org.bouncycastle.asn1.x509.GeneralNames
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder
import org.bouncycastle.openssl.jcajce.JcaPEMWriter
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder

import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.cert.X509Certificate
import java.time.Duration
import java.time.Instant

/**
 * A self-signed certificate for 127.0.0.1 and localhost made in the test, written as PEM files: the certificate,
 * and its key as PKCS#8 ({@code PRIVATE KEY}) or in the algorithm's traditional form (PKCS#1 {@code RSA PRIVATE
 * KEY}, SEC1 {@code EC PRIVATE KEY}).
 */
class SelfSigned {
    final KeyPair keys
    final X509Certificate certificate

    private SelfSigned(KeyPair keys, X509Certificate certificate) {
        this.keys = keys
        this.certificate = certificate
    }

    /** A fresh key pair ({@code RSA} or {@code EC}) and a certificate valid for a day. */
    static SelfSigned create(String algorithm = 'EC', String cn = 'stoker-test') {
        def gen = KeyPairGenerator.getInstance(algorithm)
        gen.initialize(algorithm == 'RSA' ? 2048 : 256)
        KeyPair keys = gen.generateKeyPair()
        def name = new X500Name("CN=$cn")
        def now = Instant.now()
        def builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now - Duration.ofMinutes(5)), Date.from(now + Duration.ofDays(1)), name, keys.public)
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames([
                new GeneralName(GeneralName.iPAddress, '127.0.0.1'),
                new GeneralName(GeneralName.dNSName, 'localhost')] as GeneralName[]))
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        def signer = new JcaContentSignerBuilder(algorithm == 'RSA' ? 'SHA256withRSA' : 'SHA256withECDSA').build(keys.private)
        new SelfSigned(keys, new JcaX509CertificateConverter().getCertificate(builder.build(signer)))
    }

    /** Writes the certificate as PEM. */
    Path writeCert(Path file) {
        write(file, certificate)
    }

    /** Writes the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    Path writePkcs8Key(Path file) {
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, [10] as byte[]).encodeToString(keys.private.encoded) + "\n-----END PRIVATE KEY-----\n")
        file
    }

    /** Writes the private key in its traditional PEM form: PKCS#1 for RSA, SEC1 for EC. */
    Path writeTraditionalKey(Path file) {
        if (keys.private.algorithm == 'RSA') return write(file, keys)
        // SEC1 with the curve's name, as 'openssl ecparam -genkey' writes it (BC's writer spells the curve out)
        def info = PrivateKeyInfo.getInstance(keys.private.encoded)
        def inner = ECPrivateKey.getInstance(info.parsePrivateKey())
        def sec1 = new ECPrivateKey(256, inner.key, inner.publicKey, info.privateKeyAlgorithm.parameters)
        Files.writeString(file, "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, [10] as byte[]).encodeToString(sec1.encoded) + "\n-----END EC PRIVATE KEY-----\n")
        file
    }

    /** An SSL context that trusts this certificate and nothing else. */
    SSLContext trustingContext() {
        def store = KeyStore.getInstance('PKCS12')
        store.load(null, null)
        store.setCertificateEntry('stoker', certificate)
        def tmf = TrustManagerFactory.getInstance(TrustManagerFactory.defaultAlgorithm)
        tmf.init(store)
        def ctx = SSLContext.getInstance('TLS')
        ctx.init(null, tmf.trustManagers, null)
        ctx
    }

    private static Path write(Path file, Object pem) {
        file.withWriter('UTF-8') { w ->
            new JcaPEMWriter(w).withCloseable { it.writeObject(pem) }
        }
        file
    }
}

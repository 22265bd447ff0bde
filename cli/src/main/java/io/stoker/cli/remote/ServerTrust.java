package io.stoker.cli.remote;

import io.stoker.cli.CliException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * Which HTTPS servers the client believes: the JDK's trust store, plus the PEM certificates of {@code --ca-cert}
 * (a private CA, or a self-signed server's own certificate). There is deliberately no "trust everything" switch;
 * host names are always verified.
 */
final class ServerTrust {
    private ServerTrust() {
    }

    /** The JDK's default context when {@code caCert} is null, else one that also trusts the file's certificates. */
    static SSLContext context(Path caCert) {
        try {
            if (caCert == null) return SSLContext.getDefault();
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : jdkAnchors()) store.setCertificateEntry("jdk-" + n++, ca);
            int own = 0;
            for (Certificate c : read(caCert)) store.setCertificateEntry("ca-cert-" + own++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw CliException.invalid("cannot set up TLS with --ca-cert " + caCert + ": " + e.getMessage());
        }
    }

    private static Collection<? extends Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw CliException.invalid("--ca-cert " + file + " holds no PEM certificate");
            return certs;
        } catch (NoSuchFileException e) {
            throw CliException.invalid("--ca-cert " + file + " does not exist");
        } catch (CertificateException e) {
            // the JDK wraps a read that failed (a directory) in its parse error, type name and all
            if (e.getCause() instanceof IOException cause && Files.isDirectory(file)) {
                throw CliException.invalid("cannot read --ca-cert " + file + ": " + io.stoker.cli.FileProblem.reason(cause));
            }
            throw CliException.invalid("--ca-cert " + file + " is not a PEM certificate (a file with -----BEGIN CERTIFICATE----- blocks)");
        } catch (IOException e) {
            throw CliException.invalid("cannot read --ca-cert " + file + ": " + io.stoker.cli.FileProblem.reason(e));
        }
    }

    private static X509Certificate[] jdkAnchors() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) return x.getAcceptedIssuers();
        }
        return new X509Certificate[0];
    }
}

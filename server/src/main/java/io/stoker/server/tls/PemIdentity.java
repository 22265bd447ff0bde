package io.stoker.server.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * The server's TLS identity from two PEM files: a certificate chain (leaf first) and its private key (PKCS#8
 * {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}; not encrypted). Loading
 * checks everything a handshake would need, so every mistake is one {@link IllegalArgumentException} line.
 */
public final class PemIdentity {
    private final PemKeyCertOptions options;
    private final X509Certificate leaf;

    private PemIdentity(PemKeyCertOptions options, X509Certificate leaf) {
        this.options = options;
        this.leaf = leaf;
    }

    /**
     * Reads and checks both files; {@code cert} and {@code key} must both be given or both be null (then there is
     * no identity and the server speaks plain HTTP).
     *
     * @return the identity, or null when neither file is given
     * @throws IllegalArgumentException one line naming the file and what is wrong with it
     */
    public static PemIdentity load(Path cert, Path key) {
        if (cert == null && key == null) return null;
        if (cert == null) throw new IllegalArgumentException("a TLS key (--tls-key) was given without a certificate (--tls-cert)");
        if (key == null) throw new IllegalArgumentException("a TLS certificate (--tls-cert) was given without its key (--tls-key)");
        Buffer certPem = read(cert, "certificate");
        Buffer keyPem = read(key, "key");
        if (keyPem.toString().contains("ENCRYPTED PRIVATE KEY") || keyPem.toString().contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException("TLS key " + key + " is encrypted; give an unencrypted PEM key "
                    + "(protect it with file permissions: chmod 600)");
        }
        PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(certPem).setKeyValue(keyPem);
        X509KeyManager keys;
        String alias;
        try {
            // Vert.x' own reader, so what passes here is exactly what the server will serve
            KeyStore store = options.loadKeyStore(null);
            alias = Collections.list(store.aliases()).getFirst();
            keys = (X509KeyManager) options.getKeyManagerFactory(null).getKeyManagers()[0];
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("does not match algorithm")) {
                throw new IllegalArgumentException("TLS key " + key + " does not belong to the certificate " + cert
                        + " (the key's algorithm differs)");
            }
            throw new IllegalArgumentException("cannot read the TLS certificate " + cert + " and key " + key + ": "
                    + oneLine(e));
        }
        try {
            PrivateKey privateKey = keys.getPrivateKey(alias);
            Certificate[] chain = keys.getCertificateChain(alias);
            if (privateKey == null || chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                throw new IllegalArgumentException("TLS certificate " + cert + " or key " + key + " holds nothing usable");
            }
            if (!belongTogether(privateKey, leaf.getPublicKey())) {
                throw new IllegalArgumentException("TLS key " + key + " does not belong to the certificate " + cert
                        + " (" + leaf.getSubjectX500Principal().getName() + ")");
            }
            return new PemIdentity(options, leaf);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + cert + " and key " + key + ": "
                    + oneLine(e));
        }
    }

    /** What Vert.x' {@code HttpServerOptions.setKeyCertOptions} takes. */
    public PemKeyCertOptions options() {
        return options.copy();
    }

    /** The leaf certificate, e.g. for the start-up log. */
    public X509Certificate certificate() {
        return leaf;
    }

    private static Buffer read(Path file, String what) {
        // reading one fails with the operating system's "Is a directory"
        if (Files.isDirectory(file)) throw new IllegalArgumentException("TLS " + what + " " + file + " is a directory, not a PEM file");
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) throw new IllegalArgumentException("TLS " + what + " " + file + " is empty");
            return Buffer.buffer(bytes);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " " + file + ": " + oneLine(e));
        }
    }

    /** Signs a random challenge with the private key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IllegalArgumentException("TLS keys of type " + privateKey.getAlgorithm()
                    + " are not supported (use RSA, EC or Ed25519)");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}

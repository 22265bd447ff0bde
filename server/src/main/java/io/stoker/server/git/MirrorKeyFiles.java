package io.stoker.server.git;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The git mirrors' key pair as files, made with the JDK alone: an ECDSA P-256 private key in PKCS#8 PEM (which
 * OpenSSH, ssh-keygen and JGit's ssh read) and its public half as an {@code authorized_keys} line. Apache MINA
 * SSHD's key writer registers its security providers (BouncyCastle's ~1,000 classes) on first use, which cost a
 * freshly started server ~13 MiB resident for a key it writes once; they now load at the first ssh fetch.
 */
final class MirrorKeyFiles {
    static final String KEY_TYPE = "ecdsa-sha2-nistp256";
    private static final int COORDINATE_BYTES = 32;

    private MirrorKeyFiles() {
    }

    /** Generates a pair and writes {@code privateKey} (0600, in place atomically) and {@code privateKey + ".pub"}. */
    static void generate(Path privateKey, String comment) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Path partial = privateKey.resolveSibling(privateKey.getFileName() + ".new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, pem(pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(privateKey.resolveSibling(privateKey.getFileName() + ".pub"),
                publicLine((ECPublicKey) pair.getPublic(), comment) + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, privateKey, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the key file is in the PKCS#8 PEM form {@link #generate} writes. */
    static boolean isPkcs8(Path privateKey) {
        try (var in = Files.newBufferedReader(privateKey, StandardCharsets.US_ASCII)) {
            return "-----BEGIN PRIVATE KEY-----".equals(in.readLine());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The pair as {@link #generate} wrote it: the private key from the PEM file with the JDK's EC key factory, the
     * public one from the {@code .pub} line (JGit's own key loader cannot take an EC key in PKCS#8).
     */
    static KeyPair read(Path privateKey) throws IOException, GeneralSecurityException {
        String pem = Files.readString(privateKey, StandardCharsets.US_ASCII);
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        String line = Files.readString(privateKey.resolveSibling(privateKey.getFileName() + ".pub"), StandardCharsets.US_ASCII);
        PublicKey pub = PublicKeyEntry.parsePublicKeyEntry(line.strip()).resolvePublicKey(null, null, null);
        return new KeyPair(pub, key);
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** {@code ecdsa-sha2-nistp256 BASE64 comment}: RFC 5656's key blob (type, curve, uncompressed point). */
    static String publicLine(ECPublicKey key, String comment) {
        var blob = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(blob)) {
            string(out, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
            string(out, "nistp256".getBytes(StandardCharsets.US_ASCII));
            byte[] point = new byte[1 + 2 * COORDINATE_BYTES];
            point[0] = 0x04;
            unsigned(key.getW().getAffineX(), point, 1);
            unsigned(key.getW().getAffineY(), point, 1 + COORDINATE_BYTES);
            string(out, point);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return KEY_TYPE + " " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
    }

    private static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    /** {@code value} as exactly {@link #COORDINATE_BYTES} big-endian bytes at {@code offset}. */
    private static void unsigned(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray(); // may carry a leading sign byte or be shorter
        int from = Math.max(0, bytes.length - COORDINATE_BYTES);
        int length = bytes.length - from;
        Arrays.fill(into, offset, offset + COORDINATE_BYTES - length, (byte) 0);
        System.arraycopy(bytes, from, into, offset + COORDINATE_BYTES - length, length);
    }
}

package io.stoker.server.forge;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** HMAC-SHA256 signatures and token comparison that take the same time whatever the attacker sends. */
public final class Secrets {
    private Secrets() {
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} under {@code secret} (UTF-8). */
    public static String hmacSha256Hex(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    public static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Does {@code hex} (the header value, any case) equal the body's HMAC? Malformed hex simply does not match. */
    public static boolean signatureMatches(String secret, byte[] body, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    /**
     * Checks a {@code sha256=<hex>} signature header (GitHub's {@code X-Hub-Signature-256}, Bitbucket's
     * {@code X-Hub-Signature}); null when it verifies, else the 401 naming the header.
     */
    public static WebhookOutcome.Rejected sha256Header(String name, String value, String host, byte[] body,
                                                       String secret) {
        if (value == null) {
            return WebhookOutcome.Rejected.missing(name, "missing " + name + " header (set a secret on the " + host
                    + " webhook)");
        }
        if (!value.startsWith("sha256=") || !signatureMatches(secret, body, value.substring(7))) {
            return WebhookOutcome.Rejected.wrong(name, name + " does not match the body signed with this server's secret");
        }
        return null;
    }

    /** Constant-time equality of two tokens, also hiding their lengths (both are hashed first). */
    public static boolean tokensEqual(String expected, String given) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

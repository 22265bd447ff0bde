package io.stoker.server.outbox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of a signed webhook's body, as GitHub signs its own ({@code X-Hub-Signature-256}): the header
 * {@code x-stoker-signature-256: sha256=<lowercase hex HMAC-SHA256 of the exact body bytes, keyed by the secret>}.
 * It covers the body only: a retry sends the same body, so the same signature, under the same delivery id.
 */
public final class Signature {
    public static final String HEADER = "x-stoker-signature-256";

    private Signature() {
    }

    /** The header's value for {@code body} signed with {@code secret} (both as UTF-8 bytes). */
    public static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}

package io.stoker.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer secrets (API, refresh and agent tokens) and the hashes they are stored as. 256 random bits need no slow
 * hash: SHA-256 of the token is enough to make a stolen table useless.
 */
public final class OpaqueTokens {
    /** Prefix of named API tokens, so scanners and people can tell one when they see it. */
    static final String API_PREFIX = "stk_";
    /** Prefix of refresh tokens. */
    static final String REFRESH_PREFIX = "stkr_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpaqueTokens() {
    }

    public static String generate(String prefix) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.stoker.server.run;

import java.security.SecureRandom;

/**
 * Run keys: 128 random bits from {@link SecureRandom} in lower-case base32 (26 characters, {@code a-z2-7}), so a
 * key cannot be guessed from another one and is safe in URLs and file names.
 */
public final class RunKeys {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        return out.toString();
    }

    /** Whether text looks like a key (cheap check before a lookup). */
    public static boolean plausible(String key) {
        return key != null && key.matches("[a-z2-7]{26}");
    }
}

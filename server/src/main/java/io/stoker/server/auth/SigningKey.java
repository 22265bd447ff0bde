package io.stoker.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC key access tokens are signed with: 256 random bits in {@code <data>/jwt.key}, made with mode 0600 on
 * first start. Replacing the file (and restarting) invalidates every access token at once; refresh and API tokens
 * are unaffected.
 */
final class SigningKey {
    static final String FILE = "jwt.key";

    private SigningKey() {
    }

    /** The key as text (base64 of 32 bytes), created when missing. */
    static String load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            // servers sharing the data directory (a cluster) must all sign with the same key
            io.stoker.server.secret.KeyFile.createOnce(file, Base64.getEncoder().encodeToString(raw) + "\n");
        }
        String text = Files.readString(file).trim();
        if (text.length() < 40) throw new IllegalStateException(file + " holds no usable key; delete it to make a new one");
        return text;
    }
}

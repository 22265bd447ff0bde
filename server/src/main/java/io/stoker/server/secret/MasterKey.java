package io.stoker.server.secret;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The AES-256 key that encrypts every stored secret (secrets, agent private keys, git credentials). It lives
 * outside the database: in {@code STOKER_MASTER_KEY} (base64 of 32 bytes), else in {@code <data>/master.key},
 * created with mode 0600 on first start. Losing it makes the stored secrets unreadable; a copy of the database
 * alone reveals nothing.
 */
public final class MasterKey {
    public static final String ENV = "STOKER_MASTER_KEY";
    public static final String FILE = "master.key";
    /** What to do when a server's master key does not open what the others of its cluster sealed. */
    public static final String SAME_ON_EVERY_SERVER =
            "start every server of a cluster on the same --data-dir (or the same " + ENV + ")";
    private static final int BYTES = 32;

    private final SecretKey key;
    private final String source;

    private MasterKey(byte[] raw, String source) {
        this.key = new SecretKeySpec(raw, "AES");
        this.source = source;
    }

    /** The key from the environment, else from the data directory's key file (made when missing). */
    public static MasterKey load(Path dataDir, Map<String, String> env) throws IOException {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return new MasterKey(decode(fromEnv.trim(), ENV), ENV);
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) create(file);
        String text = Files.readString(file).trim();
        return new MasterKey(decode(text, file.toString()), file.toString());
    }

    private static void create(Path file) throws IOException {
        byte[] raw = new byte[BYTES];
        new SecureRandom().nextBytes(raw);
        KeyFile.createOnce(file, Base64.getEncoder().encodeToString(raw) + "\n");
    }

    private static byte[] decode(String text, String where) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // the decoder's own words ("Last unit does not have enough valid bits") say nothing to an operator
            throw new IllegalArgumentException(where + " is not base64 (the letters A-Z a-z 0-9 + / and '=' padding):"
                    + " make one with: head -c " + BYTES + " /dev/urandom | base64");
        }
        if (raw.length != BYTES) {
            throw new IllegalArgumentException(where + " must hold " + BYTES + " bytes (base64), has " + raw.length);
        }
        return raw;
    }

    SecretKey key() {
        return key;
    }

    /** Where the key came from (the variable's name or the file's path), for the start-up log. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[" + source + "]";
    }
}

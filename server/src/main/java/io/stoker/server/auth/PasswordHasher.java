package io.stoker.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes (BouncyCastle) as PHC strings {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, by default
 * with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane; {@link Cost}). Stored hashes keep their own parameters,
 * so a changed cost still verifies old ones. Blocking and deliberately slow (tens of milliseconds): never on the
 * event loop.
 */
public final class PasswordHasher {
    /** OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1. */
    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Cost cost;

    /** A hasher of OWASP's minimum cost, {@link Cost#DEFAULT}. */
    public PasswordHasher() {
        this(Cost.DEFAULT);
    }

    /** A hasher whose new hashes have this cost (verifying reads the cost each stored hash names). */
    public PasswordHasher(Cost cost) {
        this.cost = java.util.Objects.requireNonNull(cost);
    }

    /**
     * What a new hash costs, in Argon2id's terms: memory in KiB, passes, lanes. Written and read as in a PHC string,
     * {@code m=19456,t=2,p=1}.
     */
    public record Cost(int memoryKiB, int iterations, int parallelism) {
        /** OWASP's minimum. */
        public static final Cost DEFAULT = new Cost(MEMORY_KIB, ITERATIONS, PARALLELISM);
        private static final Pattern TEXT = Pattern.compile("m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})");

        /** The bounds a stored hash is verified within, so every hash made is one that verifies. */
        public Cost {
            if (parallelism < 1 || parallelism > 16) throw new IllegalArgumentException("p must be 1 to 16");
            if (iterations < 1 || iterations > 99) throw new IllegalArgumentException("t must be 1 to 99");
            if (memoryKiB < 8 * parallelism || memoryKiB > 1 << 20) {
                throw new IllegalArgumentException("m must be 8 KiB per lane (8 × p) to 1048576 KiB");
            }
        }

        /** {@code m=19456,t=2,p=1}; anything else is refused with the form it must have. */
        public static Cost parse(String text) {
            Matcher m = TEXT.matcher(text == null ? "" : text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an Argon2id cost like m=19456,t=2,p=1"
                        + " (memory in KiB, passes, lanes)");
            }
            return new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }

        /**
         * Whether it is weaker than every choice OWASP's cheat sheet offers as equivalent (19 MiB × 2 down to
         * 7 MiB × 5): under 7 MiB, or under 35,840 KiB-passes.
         */
        public boolean belowOwaspMinimum() {
            return memoryKiB < 7 * 1024 || (long) memoryKiB * iterations < 7L * 1024 * 5;
        }

        @Override
        public String toString() {
            return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
        }
    }

    /** A fresh salted hash of {@code password}. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return phc(salt, derive(password, salt, cost.memoryKiB(), cost.iterations(), cost.parallelism(), HASH_BYTES));
    }

    /**
     * A well-formed hash with this hasher's parameters that no password matches (its hash bytes are random, not
     * derived): verifying against it costs what verifying a stored hash does, and making it costs nothing — a
     * server no longer derives one at start.
     */
    public String unmatchable() {
        byte[] salt = new byte[SALT_BYTES];
        byte[] out = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(out);
        return phc(salt, out);
    }

    private String phc(byte[] salt, byte[] out) {
        return "$argon2id$v=19$" + cost + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches the PHC string; false for anything malformed. Constant time in the hash. */
    public boolean verify(String password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) return false;
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        // bounds keep a tampered row from turning a login into a memory or CPU bomb
        if (memory < 8 || memory > 1 << 20 || iterations < 1 || parallelism < 1 || parallelism > 16) return false;
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory).withIterations(iterations).withParallelism(parallelism).withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}

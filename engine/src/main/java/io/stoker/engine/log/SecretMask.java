package io.stoker.engine.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values in log lines with {@code ****}. A multi-line secret is masked line by line (logs are
 * lines); values shorter than {@link #MIN_LENGTH} characters are not masked, since masking "a" would mangle the
 * whole log while hiding nothing.
 */
public final class SecretMask {
    public static final int MIN_LENGTH = 3;
    public static final SecretMask NONE = new SecretMask(List.of());

    private final List<String> needles;
    private final byte[][] needleBytes;
    private final int longestBytes;

    private SecretMask(List<String> needles) {
        this.needles = needles;
        this.needleBytes = needles.stream().map(n -> n.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.longestBytes = needles.stream()
                .mapToInt(n -> n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).max().orElse(0);
    }

    /** A mask for these secret values. */
    public static SecretMask of(Collection<String> secretValues) {
        Set<String> parts = new LinkedHashSet<>();
        for (String v : secretValues) {
            if (v == null) continue;
            for (String line : v.split("\r?\n")) {
                if (line.length() >= MIN_LENGTH) parts.add(line);
            }
        }
        List<String> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a secret containing another
        return new SecretMask(List.copyOf(sorted));
    }

    /** The UTF-8 length of the longest masked text (0 for none): how much of a cut line must carry over. */
    public int longestBytes() {
        return longestBytes;
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    /**
     * True when some secret's UTF-8 bytes occur in {@code buf[off, off+len)}. A secret never spans a newline (each line
     * of one is masked on its own), so whole lines in which this finds nothing are written as they are, without a
     * string per line.
     */
    public boolean occursIn(byte[] buf, int off, int len) {
        int end = off + len;
        for (byte[] n : needleBytes) {
            byte first = n[0];
            for (int i = off, last = end - n.length; i <= last; i++) {
                if (buf[i] == first && java.util.Arrays.equals(buf, i, i + n.length, n, 0, n.length)) return true;
            }
        }
        return false;
    }

    /** The line with every secret replaced. */
    public String apply(String line) {
        String out = line;
        for (String n : needles) {
            if (out.contains(n)) out = out.replace(n, "****");
        }
        return out;
    }
}

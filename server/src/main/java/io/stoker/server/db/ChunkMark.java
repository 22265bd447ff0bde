package io.stoker.server.db;

import org.h2.mvstore.DataUtils;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where one chunk of an H2 file lies and which version it holds, as its header line ({@code chunk:1e21,block:2,len:4,
 * …,version:1e21,…}) or its footer ({@code chunk:1e21,len:4,version:1e21,fletcher:…}) says: what a store header
 * names ({@link HeaderFirstChannel}). Numbers are hexadecimal, as H2 writes them.
 */
record ChunkMark(int id, long block, int len, long version) {
    /** H2's block size: chunks start on block boundaries, the store header is the first two blocks. */
    static final int BLOCK = 4096;
    /** Longest chunk header line H2 writes (it pads the line to this at most). */
    static final int MAX_HEADER_LENGTH = 1024;
    /** Length of a chunk footer, the last bytes of its last block. */
    static final int FOOTER_LENGTH = 128;

    /** The chunk whose header line starts {@code bytes}, written at {@code position}; null for anything else. */
    static ChunkMark ofHeader(byte[] bytes, long position) {
        if (position % BLOCK != 0 || bytes.length < 6 || bytes[0] != 'c' || !startsWith(bytes, "chunk:")) return null;
        int end = 0;
        while (end < bytes.length && end < MAX_HEADER_LENGTH && bytes[end] != '\n') end++;
        if (end == bytes.length || bytes[end] != '\n') return null;
        try {
            Map<String, String> m = DataUtils.parseMap(new String(bytes, 0, end, StandardCharsets.ISO_8859_1).trim());
            // H2 leaves the block out of a chunk written where it was placed; one that states it must be there
            long block = m.containsKey("block") ? hexLong(m, "block") : position / BLOCK;
            ChunkMark mark = new ChunkMark(hexInt(m, "chunk"), block, hexInt(m, "len"), hexLong(m, "version"));
            return mark.block * BLOCK == position && mark.len > 0 ? mark : null;
        } catch (RuntimeException notAHeader) {
            return null;
        }
    }

    /** Whether {@code footer} (a chunk's last {@link #FOOTER_LENGTH} bytes) is intact and closes this chunk. */
    boolean closedBy(byte[] footer) {
        Map<String, String> m = checksummed(footer);
        try {
            return m != null && hexInt(m, "chunk") == id && hexInt(m, "len") == len && hexLong(m, "version") == version;
        } catch (RuntimeException damaged) {
            return false;
        }
    }

    /** The block after this chunk. */
    long end() {
        return block + len;
    }

    /**
     * The map a checksummed line holds ({@code k:v,…,fletcher:x}: a store header or a chunk footer), or null when the
     * line is damaged or its checksum does not match.
     */
    static Map<String, String> checksummed(byte[] bytes) {
        int start = 0, end = bytes.length;
        while (start < end && bytes[start] <= ' ') start++;
        while (end > start && bytes[end - 1] <= ' ') end--;
        String line = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        int at = line.lastIndexOf(",fletcher:");
        if (at < 0) return null;
        try {
            int check = (int) Long.parseLong(line.substring(at + ",fletcher:".length()), 16);
            if (check != DataUtils.getFletcher32(bytes, start, at)) return null;
            return DataUtils.parseMap(line.substring(0, at));
        } catch (RuntimeException damaged) {
            return null;
        }
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        for (int i = 0; i < prefix.length(); i++) if (bytes[i] != prefix.charAt(i)) return false;
        return true;
    }

    static int hexInt(Map<String, String> m, String key) {
        return (int) Long.parseLong(m.get(key), 16);
    }

    static long hexLong(Map<String, String> m, String key) {
        return Long.parseLong(m.get(key), 16);
    }
}

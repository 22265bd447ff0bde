package io.stoker.server.api;

/** One {@code Range: bytes=…} of a file: {@code a-b}, {@code a-} or {@code -n} (the last n bytes). */
final class ByteRange {
    private ByteRange() {
    }

    /**
     * The first and last byte (inclusive) the header asks for, clipped to the file; null when it cannot be served
     * (a start beyond the end, several ranges, not a byte range): the caller answers 416.
     */
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) return null;
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) return null;
                return new long[]{Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size || last < first) return null;
            return new long[]{first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package io.stoker.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes a gzipped ustar archive of a few files (a run's artifact zips), enough for {@code tar xzf}. */
final class TarGz {
    private TarGz() {
    }

    /** @param entries name in the archive → file */
    static void write(Map<String, Path> entries, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target), 64 * 1024)) {
            for (var e : entries.entrySet()) {
                long size = Files.size(e.getValue());
                out.write(header(e.getKey(), size, Files.getLastModifiedTime(e.getValue()).toMillis() / 1000));
                try (InputStream in = Files.newInputStream(e.getValue())) {
                    in.transferTo(out);
                }
                int pad = (int) ((512 - size % 512) % 512);
                out.write(new byte[pad]);
            }
            out.write(new byte[1024]); // two empty blocks end the archive
        }
    }

    private static byte[] header(String name, long size, long mtime) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) throw new IllegalArgumentException("archive name longer than 100 bytes: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = '0';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
        h[off + len - 1] = 0;
    }
}

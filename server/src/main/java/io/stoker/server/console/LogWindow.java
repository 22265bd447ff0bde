package io.stoker.server.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a task's log by line numbers without loading it: a per-file index of line start offsets (8 bytes a line,
 * 4 MB for 500,000 lines) is built once and extended as the file grows, so a window of 200 lines of a 50 MB log is
 * one seek. Search scans the file once, streaming, and returns at most {@code limit} matches.
 */
public final class LogWindow {
    /** Line numbers count from 0; {@code total} is the number of complete lines when the window was read. */
    public record Lines(long from, long total, List<String> lines) {
    }

    public record Match(long line, String text) {
    }

    public record Matches(String query, long scannedLines, boolean truncated, List<Match> matches) {
    }

    /**
     * The most stored text one answer carries, in bytes: a window or a search stops before the line that would pass
     * it (a window holds at least one line). A stored line may be 64 KiB, so 5,000 lines could be 300 MB.
     */
    public static final int MAX_ANSWER_BYTES = 4 << 20;

    private static final int CHUNK = 1 << 20;
    private static final int MAX_INDEXED_FILES = 64;

    private final Map<Path, Index> indexes = new ConcurrentHashMap<>();

    /**
     * Lines {@code [from, from + count)} of the file, fewer at its end or where the next line would take the window
     * past {@link #MAX_ANSWER_BYTES} (the rest is read from {@code from} plus the lines returned); an absent file has
     * no lines.
     */
    public Lines read(Path file, long from, int count) throws IOException {
        return read(file, from, count, MAX_ANSWER_BYTES);
    }

    Lines read(Path file, long from, int count, long maxBytes) throws IOException {
        if (!Files.exists(file)) return new Lines(from, 0, List.of());
        Index index = index(file);
        synchronized (index) {
            index.extend(file);
            long total = index.lines;
            if (from >= total || count <= 0) return new Lines(from, total, List.of());
            long start = index.starts[(int) from];
            long to = from + 1; // one line at least, however long
            while (to < Math.min(total, from + count) && index.end((int) to + 1) - start <= maxBytes) to++;
            long end = index.end((int) to);
            byte[] bytes = new byte[(int) (end - start)];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                    // keep reading until the window is whole
                }
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>((int) (to - from));
            int pos = 0;
            for (int i = 0; i < to - from; i++) {
                int nl = text.indexOf('\n', pos);
                lines.add(text.substring(pos, nl < 0 ? text.length() : nl));
                pos = nl + 1;
            }
            return new Lines(from, total, lines);
        }
    }

    /**
     * Lines containing {@code query} (case-insensitive), first {@code limit} of them, in order; truncated too where
     * the next match would take the matches' text past {@link #MAX_ANSWER_BYTES}.
     */
    public Matches search(Path file, String query, int limit) throws IOException {
        return search(file, query, limit, MAX_ANSWER_BYTES);
    }

    Matches search(Path file, String query, int limit, long maxBytes) throws IOException {
        List<Match> out = new ArrayList<>();
        if (!Files.exists(file) || query.isEmpty()) return new Matches(query, 0, false, out);
        String needle = query.toLowerCase(Locale.ROOT);
        long n = 0;
        long bytes = 0;
        boolean truncated = false;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // lines end at '\n' only, as the log writer and the line index count them: a progress bar's lone '\r'
            // stays inside its line (BufferedReader.readLine would split there, and every later match be off)
            StringBuilder line = new StringBuilder();
            for (int c = reader.read(); ; c = reader.read()) {
                if (c != '\n' && c != -1) {
                    line.append((char) c);
                    continue;
                }
                if (c == -1 && line.isEmpty()) break;
                String text = line.toString();
                line.setLength(0);
                if (shown(text).toLowerCase(Locale.ROOT).contains(needle)) {
                    long size = text.getBytes(StandardCharsets.UTF_8).length;
                    if (out.size() == limit || (!out.isEmpty() && bytes + size > maxBytes)) {
                        truncated = true;
                        break;
                    }
                    bytes += size;
                    out.add(new Match(n, text));
                }
                n++;
                if (c == -1) break;
            }
        }
        return new Matches(query, n, truncated, out);
    }

    /**
     * The part of a stored line a reader sees: its text, without the time and stream word it is stored with
     * ({@code 2026-11-27T09:24:59.503Z out tick 1} shows {@code tick 1}), so a search for "out" or "T09" does not
     * match every line. A line of another shape is its own text.
     */
    static String shown(String stored) {
        int time = stored.indexOf(' ');
        if (time <= 0) return stored;
        int stream = stored.indexOf(' ', time + 1);
        String word = stream < 0 ? stored.substring(time + 1) : stored.substring(time + 1, stream);
        if (io.stoker.engine.log.LogStream.ofLabel(word) == null) return stored;
        return stream < 0 ? "" : stored.substring(stream + 1);
    }

    private Index index(Path file) {
        if (indexes.size() > MAX_INDEXED_FILES) indexes.clear(); // a bound, not a cache policy: rebuilt in ms
        return indexes.computeIfAbsent(file.toAbsolutePath(), f -> new Index());
    }

    /** Start offsets of complete lines; {@code scanned} is how far the file has been read. */
    private static final class Index {
        long[] starts = new long[1024];
        long lines;
        long scanned;
        long lineStart;

        long end(int line) {
            // the end of line (line - 1) including its newline: the next line's start, or the scanned length
            return line < lines ? starts[line] : scanned;
        }

        void extend(Path file) throws IOException {
            long size = Files.size(file);
            if (size < scanned) { // rewritten: start over
                lines = 0;
                scanned = 0;
                lineStart = 0;
            }
            if (size == scanned) return;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK);
                long pos = scanned;
                while (pos < size) {
                    buf.clear();
                    int read = ch.read(buf, pos);
                    if (read <= 0) break;
                    byte[] a = buf.array();
                    for (int i = 0; i < read; i++) {
                        if (a[i] == '\n') {
                            add(lineStart);
                            lineStart = pos + i + 1;
                        }
                    }
                    pos += read;
                }
                scanned = lineStart; // a partial last line is read again once it is complete
            }
        }

        private void add(long start) {
            if (lines == starts.length) starts = Arrays.copyOf(starts, starts.length * 2);
            starts[(int) lines++] = start;
        }
    }
}

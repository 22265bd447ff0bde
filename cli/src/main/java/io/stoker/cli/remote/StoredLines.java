package io.stoker.cli.remote;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A log's text cut into the lines it was stored as: at {@code '\n'} only. A progress bar's bare CRs
 * ({@code prog:10%\r20%}) stay inside their line, and a CR before the newline stays at its end, as {@code stoker run}
 * prints them; {@link String#lines()} and {@code BufferedReader} would cut there too and lose the time and stream.
 */
final class StoredLines {
    private StoredLines() {
    }

    static List<String> of(String text) {
        List<String> lines = new ArrayList<>();
        try {
            read(new StringReader(text), lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return lines;
    }

    /** Hands each line to {@code line} as soon as its newline arrives; a last line without one comes at the end. */
    static void read(Reader in, Consumer<String> line) throws IOException {
        StringBuilder current = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') continue;
                current.append(buffer, start, i - start);
                line.accept(current.toString());
                current.setLength(0);
                start = i + 1;
            }
            current.append(buffer, start, n - start);
        }
        if (!current.isEmpty()) line.accept(current.toString());
    }
}
